package lambdasim

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"math/rand/v2"
	"strings"
	"time"
)

// Deployment packages are stored and hashed, never run: a function's
// behaviour comes from its SIM_* variables.

const (
	packageZip   = "Zip"
	packageImage = "Image"

	// maxUnzippedCode is AWS's limit on a package's unzipped size (layers
	// would count too; the emulator has none).
	maxUnzippedCode = 262144000
)

// applyCode stores a package on st: its bytes (served back by GetFunction's
// Code.Location) or its image, and the identity AWS shows. packageType is
// the function's. The caller holds s.mu.
func (s *Server) applyCode(st *settings, in *codeInput, packageType string) *apiError {
	hasZip := len(in.ZipFile) > 0 || in.S3Bucket != "" || in.S3Key != ""
	switch {
	case packageType == packageImage && (hasZip || in.ImageUri == ""):
		return errInvalidParameter("Please provide ImageUri when updating a function with packageType Image.")
	case packageType == packageImage:
		applyImage(st, in.ImageUri)
		return nil
	case in.ImageUri != "":
		return errInvalidParameter("Please don't provide ImageUri when updating a function with packageType Zip.")
	}
	var pkg []byte
	switch {
	case len(in.ZipFile) > 0:
		pkg = in.ZipFile
	case hasZip:
		obj, err := s.s3.get(in.S3Bucket, in.S3Key)
		if err != nil {
			return errInvalidParameter("Error occurred while GetObject. S3 Error Code: %s. S3 Error Message: %s", err.code, err.message)
		}
		pkg = obj.body
	default:
		return errInvalidParameter("Please provide a source for function code.")
	}
	if err := checkZip(pkg); err != nil {
		return err
	}
	st.code, st.CodeSha256, st.CodeSize, st.PackageType = pkg, codeSha256(pkg), int64(len(pkg)), packageZip
	st.ImageUri, st.ResolvedImageUri = "", ""
	return nil
}

// checkZip refuses what Lambda cannot unpack: not a zip, or more than
// 250 MB once unzipped (read from the zip's directory, not by unzipping).
func checkZip(pkg []byte) *apiError {
	r, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if err != nil {
		return errInvalidParameter("Could not unzip uploaded file. Please check your file, then try to upload again.")
	}
	var unzipped uint64
	for _, f := range r.File {
		unzipped += f.UncompressedSize64
	}
	if unzipped > maxUnzippedCode {
		return errInvalidParameter("Unzipped size must be smaller than %d bytes", maxUnzippedCode)
	}
	return nil
}

// applyImage stores an image function's code: ImageUri as given,
// ResolvedImageUri pinned to a digest, which is the CodeSha256 (hex, as
// AWS shows it for images). The emulator has no registry: a tag's digest is
// derived from the URI.
func applyImage(st *settings, uri string) {
	repo, digest := uri, ""
	if at := strings.LastIndex(uri, "@sha256:"); at >= 0 {
		repo, digest = uri[:at], uri[at+len("@sha256:"):]
	} else {
		if colon := strings.LastIndex(uri, ":"); colon > strings.LastIndex(uri, "/") {
			repo = uri[:colon]
		}
		sum := sha256.Sum256([]byte(uri))
		digest = hex.EncodeToString(sum[:])
	}
	st.code, st.CodeSha256, st.CodeSize, st.PackageType = nil, digest, 0, packageImage
	st.ImageUri, st.ResolvedImageUri = uri, repo+"@sha256:"+digest
}

// codeSha256 is Lambda's CodeSha256 for a zip: base64 of its SHA-256.
func codeSha256(b []byte) string {
	sum := sha256.Sum256(b)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// placeholderZip is the package of a function added without one (preloads):
// a real, reproducible zip, so that its Code.Location serves what its
// CodeSha256 and CodeSize describe.
func placeholderZip(name string) []byte {
	return ZipPackage("index.js", "// "+name+": simulated by lambdasim; its SIM_* environment variables decide how it runs.\nexports.handler = async (event) => event;\n")
}

// ZipPackage is a deployment package holding one file, byte for byte the
// same on every call (stored, fixed time), for tests that create or update
// function code.
func ZipPackage(file, source string) []byte {
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	f, err := w.CreateHeader(&zip.FileHeader{Name: file, Method: zip.Store, Modified: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err == nil {
		_, err = f.Write([]byte(source))
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		panic("lambdasim: zip package: " + err.Error()) // writing to memory cannot fail
	}
	return buf.Bytes()
}

// LargeZipPackage is a deployment package of about size bytes that does not
// compress (seeded random bytes, stored): a package above the 50 MB that
// CreateFunction takes inline, for tests of staging through S3.
func LargeZipPackage(size int, seed uint64) []byte {
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:], seed)
	data := make([]byte, size)
	_, _ = rand.NewChaCha8(key).Read(data) // never fails
	var buf bytes.Buffer
	buf.Grow(size + 1024)
	w := zip.NewWriter(&buf)
	f, err := w.CreateHeader(&zip.FileHeader{Name: "blob.bin", Method: zip.Store, Modified: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err == nil {
		_, err = f.Write(data)
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		panic("lambdasim: zip package: " + err.Error()) // writing to memory cannot fail
	}
	return buf.Bytes()
}
