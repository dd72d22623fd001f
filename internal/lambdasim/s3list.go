package lambdasim

import (
	"encoding/xml"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// maxListKeys is S3's page size for ListObjectsV2, and its max-keys ceiling.
const maxListKeys = 1000

// listBucketResult is ListObjectsV2's answer, in S3's element names.
type listBucketResult struct {
	XMLName               xml.Name       `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListBucketResult"`
	Name                  string         `xml:"Name"`
	Prefix                string         `xml:"Prefix"`
	KeyCount              int            `xml:"KeyCount"`
	MaxKeys               int            `xml:"MaxKeys"`
	IsTruncated           bool           `xml:"IsTruncated"`
	ContinuationToken     string         `xml:"ContinuationToken,omitempty"`
	NextContinuationToken string         `xml:"NextContinuationToken,omitempty"`
	Contents              []listedObject `xml:"Contents"`
}

type listedObject struct {
	Key          string `xml:"Key"`
	LastModified string `xml:"LastModified"`
	ETag         string `xml:"ETag"`
	Size         int    `xml:"Size"`
	StorageClass string `xml:"StorageClass"`
}

// serveListObjects answers ListObjectsV2 (list-type=2) in key order, a page
// of at most max-keys (1000) keys; the continuation token is the last key
// of the page before. The older ListObjects is not served.
func serveListObjects(s *Server, w http.ResponseWriter, r *http.Request, rt *route) {
	q := r.URL.Query()
	if q.Get("list-type") != "2" {
		errS3NotImpl.write(w)
		return
	}
	maxKeys := maxListKeys
	if v := q.Get("max-keys"); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n >= 0 && n < maxKeys {
			maxKeys = n
		}
	}
	prefix, token := q.Get("prefix"), q.Get("continuation-token")
	after := max(token, q.Get("start-after"))

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.s3.refused(w, rt.bucket) {
		return
	}
	bucket := s.s3.buckets[rt.bucket]
	if bucket == nil {
		e := errNoSuchBucket
		e.bucket = rt.bucket
		e.write(w)
		return
	}
	out := listBucketResult{Name: rt.bucket, Prefix: prefix, MaxKeys: maxKeys, ContinuationToken: token}
	for _, key := range slices.Sorted(maps.Keys(bucket)) {
		if !strings.HasPrefix(key, prefix) || key <= after {
			continue
		}
		if len(out.Contents) == maxKeys {
			out.IsTruncated = true
			out.NextContinuationToken = out.Contents[len(out.Contents)-1].Key
			break
		}
		obj := bucket[key]
		out.Contents = append(out.Contents, listedObject{Key: key, LastModified: obj.modified.UTC().Format("2006-01-02T15:04:05.000Z"),
			ETag: obj.etag, Size: len(obj.body), StorageClass: "STANDARD"})
	}
	out.KeyCount = len(out.Contents)
	body, _ := xml.Marshal(out)
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(body)
}
