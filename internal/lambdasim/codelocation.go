package lambdasim

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// GetFunction's Code.Location is a presigned S3 URL, valid 10 minutes. The
// emulator serves it itself, path-style under AWS's bucket name, so a
// client copying a function downloads the very bytes it was created from.

const (
	codeURLExpiry = 600 // seconds
	amzDateFormat = "20060102T150405Z"
	codeIDLen     = 36 // a UUID
)

// codeBucket is the bucket AWS keeps a region's function packages in.
func codeBucket(region string) string { return "awslambda-" + region + "-tasks" }

func isCodeBucket(bucket string) bool {
	return strings.HasPrefix(bucket, "awslambda-") && strings.HasSuffix(bucket, "-tasks")
}

// codeLocation registers a zip function's package for download and returns
// its presigned URL on the host the client reached. The package is named by
// its CodeSha256, not hashed again: waiters poll GetFunction, and packages
// reach 50 MB. The caller holds s.mu.
func (s *Server) codeLocation(r *http.Request, f *function, st *settings, now time.Time) string {
	sum, err := base64.StdEncoding.DecodeString(st.CodeSha256)
	if err != nil || len(sum) != sha256.Size { // not a zip's CodeSha256: hash after all
		full := sha256.Sum256(st.code)
		sum = full[:]
	}
	id := uuidShape(sum[:16])
	s.packages[id] = st.code
	key := "snapshots/" + s.opts.AccountID + "/" + f.key.name + "-" + id
	date := now.UTC().Format(amzDateFormat)
	q := url.Values{
		"versionId":           {hex.EncodeToString(sum[16:24])},
		"X-Amz-Algorithm":     {"AWS4-HMAC-SHA256"},
		"X-Amz-Date":          {date},
		"X-Amz-SignedHeaders": {"host"},
		"X-Amz-Expires":       {strconv.Itoa(codeURLExpiry)},
		"X-Amz-Credential":    {"ASIALAMBDASIM/" + date[:8] + "/" + f.key.region + "/s3/aws4_request"},
		"X-Amz-Signature":     {codeSignature(key, date)},
	}
	return "http://" + r.Host + "/" + codeBucket(f.key.region) + "/" + key + "?" + q.Encode()
}

// codeSignature makes tampered or hand-made URLs detectable, like S3's.
func codeSignature(key, date string) string {
	sum := sha256.Sum256([]byte("lambdasim\n" + key + "\n" + date))
	return hex.EncodeToString(sum[:])
}

func uuidShape(b []byte) string {
	h := hex.EncodeToString(b)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

var (
	errSignatureMismatch = s3Error{status: http.StatusForbidden, code: "SignatureDoesNotMatch",
		message: "The request signature we calculated does not match the signature you provided. Check your key and signing method."}
	errURLExpired = s3Error{status: http.StatusForbidden, code: "AccessDenied", message: "Request has expired"}
)

// serveFunctionCode answers a GET or HEAD of a Code.Location URL.
func serveFunctionCode(s *Server, w http.ResponseWriter, r *http.Request, rt *route) {
	q := r.URL.Query()
	date := q.Get("X-Amz-Date")
	signed, err := time.Parse(amzDateFormat, date)
	if err != nil || q.Get("X-Amz-Signature") != codeSignature(rt.key, date) || q.Get("X-Amz-Expires") != strconv.Itoa(codeURLExpiry) {
		errSignatureMismatch.write(w)
		return
	}
	s.mu.Lock()
	now := s.now()
	pkg, ok := s.packages[rt.key[max(0, len(rt.key)-codeIDLen):]]
	s.mu.Unlock()
	if now.After(signed.Add(codeURLExpiry * time.Second)) {
		errURLExpired.write(w)
		return
	}
	if !ok {
		e := errNoSuchKey
		e.key = rt.key
		e.write(w)
		return
	}
	sum := md5.Sum(pkg)
	h := w.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Length", strconv.Itoa(len(pkg)))
	h.Set("ETag", `"`+hex.EncodeToString(sum[:])+`"`)
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(pkg)
	}
}
