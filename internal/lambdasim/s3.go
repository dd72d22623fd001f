package lambdasim

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/xml"
	"hash/crc32"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// objectStore is a minimal path-style S3 for payloads and reports; the
// caller holds s.mu.
type objectStore struct {
	buckets map[string]map[string]*object
	denied  map[string]bool
}

type object struct {
	body        []byte
	contentType string
	etag        string
	crc32       string // base64 of the big-endian CRC32, as x-amz-checksum-crc32
	modified    time.Time
}

func newObjectStore() *objectStore {
	return &objectStore{buckets: make(map[string]map[string]*object), denied: make(map[string]bool)}
}

// s3Error is an S3 error answer (XML body).
type s3Error struct {
	status  int
	code    string
	message string
	key     string
	bucket  string
}

var (
	errNoSuchKey     = s3Error{status: http.StatusNotFound, code: "NoSuchKey", message: "The specified key does not exist."}
	errNoSuchBucket  = s3Error{status: http.StatusNotFound, code: "NoSuchBucket", message: "The specified bucket does not exist"}
	errAccessDenied  = s3Error{status: http.StatusForbidden, code: "AccessDenied", message: "Access Denied"}
	errS3NotImpl     = s3Error{status: http.StatusNotImplemented, code: "NotImplemented", message: "A header you provided implies functionality that is not implemented"}
	errS3BadEncoding = s3Error{status: http.StatusBadRequest, code: "IncompleteBody", message: "The request body terminated unexpectedly"}
)

func (e *s3Error) write(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(e.status)
	// HEAD answers carry no body; the SDK maps the status alone.
	body := struct {
		XMLName    xml.Name `xml:"Error"`
		Code       string
		Message    string
		Key        string `xml:",omitempty"`
		BucketName string `xml:",omitempty"`
	}{Code: e.code, Message: e.message, Key: e.key, BucketName: e.bucket}
	out, _ := xml.Marshal(body)
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(out)
}

// get returns an object, or the S3 error a GetObject would get.
func (st *objectStore) get(bucket, key string) (*object, *s3Error) {
	if st.denied[bucket] {
		return nil, &errAccessDenied
	}
	b, ok := st.buckets[bucket]
	if !ok {
		e := errNoSuchBucket
		e.bucket = bucket
		return nil, &e
	}
	obj, ok := b[key]
	if !ok {
		e := errNoSuchKey
		e.key = key
		return nil, &e
	}
	return obj, nil
}

// refused answers AccessDenied, and says so, when the bucket is denied.
func (st *objectStore) refused(w http.ResponseWriter, bucket string) bool {
	if st.denied[bucket] {
		errAccessDenied.write(w)
		return true
	}
	return false
}

func (st *objectStore) put(bucket, key string, body []byte, contentType string, now time.Time) *object {
	b := st.buckets[bucket]
	if b == nil {
		b = make(map[string]*object)
		st.buckets[bucket] = b
	}
	sum := md5.Sum(body)
	var crc [4]byte
	binary.BigEndian.PutUint32(crc[:], crc32.ChecksumIEEE(body))
	if contentType == "" {
		contentType = "binary/octet-stream"
	}
	obj := &object{
		body:        body,
		contentType: contentType,
		etag:        `"` + hex.EncodeToString(sum[:]) + `"`,
		crc32:       base64.StdEncoding.EncodeToString(crc[:]),
		modified:    now,
	}
	b[key] = obj
	return obj
}

// PutObject stores an object (creating the bucket) for tests and preloads.
func (s *Server) PutObject(bucket, key string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.s3.put(bucket, key, append([]byte(nil), body...), "", s.now())
}

// DenyS3 makes every request on the bucket answer 403 AccessDenied.
func (s *Server) DenyS3(bucket string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.s3.denied[bucket] = true
}

const maxObjectSize = 64 << 20

func serveS3(s *Server, w http.ResponseWriter, r *http.Request, rt *route) {
	switch rt.op {
	case "PutObject":
		servePutObject(s, w, r, rt)
	case "GetObject", "HeadObject":
		serveGetObject(s, w, r, rt)
	case "ListObjects":
		serveListObjects(s, w, r, rt)
	case "DeleteObject":
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.s3.refused(w, rt.bucket) {
			return
		}
		delete(s.s3.buckets[rt.bucket], rt.key)
		w.WriteHeader(http.StatusNoContent)
	case "CreateBucket":
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.s3.refused(w, rt.bucket) {
			return
		}
		if s.s3.buckets[rt.bucket] == nil {
			s.s3.buckets[rt.bucket] = make(map[string]*object)
		}
		w.Header().Set("Location", "/"+rt.bucket)
		w.WriteHeader(http.StatusOK)
	case "HeadBucket":
		s.mu.Lock()
		defer s.mu.Unlock()
		switch {
		case s.s3.denied[rt.bucket]:
			w.WriteHeader(http.StatusForbidden)
		case s.s3.buckets[rt.bucket] == nil:
			w.WriteHeader(http.StatusNotFound)
		default:
			w.WriteHeader(http.StatusOK)
		}
	default:
		errS3NotImpl.write(w)
	}
}

func servePutObject(s *Server, w http.ResponseWriter, r *http.Request, rt *route) {
	body, err := readObjectBody(r)
	if err != nil {
		errS3BadEncoding.write(w)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.s3.refused(w, rt.bucket) {
		return
	}
	obj := s.s3.put(rt.bucket, rt.key, body, r.Header.Get("Content-Type"), s.now())
	w.Header().Set("ETag", obj.etag)
	if r.Header.Get("X-Amz-Checksum-Crc32") != "" || r.Header.Get("X-Amz-Trailer") == "x-amz-checksum-crc32" {
		w.Header().Set("X-Amz-Checksum-Crc32", obj.crc32)
	}
	w.WriteHeader(http.StatusOK)
}

// readObjectBody reads a PutObject body, decoding aws-chunked uploads.
func readObjectBody(r *http.Request) ([]byte, error) {
	body := io.LimitReader(r.Body, maxObjectSize)
	if isAWSChunked(r) {
		return decodeAWSChunked(body)
	}
	return io.ReadAll(body)
}

func serveGetObject(s *Server, w http.ResponseWriter, r *http.Request, rt *route) {
	s.mu.Lock()
	obj, e := s.s3.get(rt.bucket, rt.key)
	s.mu.Unlock()
	if e != nil {
		e.write(w)
		return
	}
	h := w.Header()
	h.Set("Content-Type", obj.contentType)
	h.Set("Content-Length", strconv.Itoa(len(obj.body)))
	h.Set("ETag", obj.etag)
	h.Set("Last-Modified", obj.modified.UTC().Format(http.TimeFormat))
	h.Set("Accept-Ranges", "bytes")
	// The SDK validates responses against a checksum when it asks for one.
	if r.Header.Get("X-Amz-Checksum-Mode") == "ENABLED" {
		h.Set("X-Amz-Checksum-Crc32", obj.crc32)
		h.Set("X-Amz-Checksum-Type", "FULL_OBJECT")
	}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(obj.body)
	}
}

// s3FaultError is an injected fault in S3's words.
func s3FaultError(f Fault) *s3Error {
	e := &s3Error{status: f.Status, code: f.Code, message: f.Message}
	if e.status == 0 {
		e.status = http.StatusInternalServerError
	}
	if e.code == "" {
		switch e.status {
		case http.StatusServiceUnavailable, http.StatusTooManyRequests:
			e.code, e.message = "SlowDown", "Please reduce your request rate."
		case http.StatusForbidden:
			e.code, e.message = errAccessDenied.code, errAccessDenied.message
		default:
			e.code, e.message = "InternalError", "We encountered an internal error. Please try again."
		}
	}
	if e.message == "" {
		e.message = e.code
	}
	return e
}

// Objects are the keys in a bucket, sorted, for assertions.
func (s *Server) Objects(bucket string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Sorted(maps.Keys(s.s3.buckets[bucket]))
}
