package corpus

import (
	"bufio"
	"bytes"
	"compress/flate"
	"context"
	"crypto/sha1"
	"errors"
	"fmt"
	"io"
	"iter"
	"mime"
	"net/http/httputil"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/gzip"
	gowarc "github.com/nlnwa/gowarc/v3"
)

// WARC reading uses github.com/nlnwa/gowarc/v3: it reports each record's
// byte offset in the (compressed) file and, after a corrupt record, scans
// on to the next record start, reporting the fault as a value. On top of
// it this file adds what a batch over a crawl needs: a corrupt record
// becomes an error record (never a silent gap), a gzip WARC is re-scanned
// from just past a corrupt member so that the members after it are not
// swallowed, and a whole-file-gzipped WARC (not per-record members) is
// read through one decompressor instead of yielding its first record only.

// warcRecordOptions are the library's parse options: faults in syntax and
// the spec are warnings (a crawl is read leniently); a record that cannot
// be parsed at all is still an error.
func warcRecordOptions() []gowarc.WarcRecordOption {
	return []gowarc.WarcRecordOption{
		gowarc.WithSyntaxErrorPolicy(gowarc.ErrWarn),
		gowarc.WithSpecViolationPolicy(gowarc.ErrWarn),
		gowarc.WithUnknownRecordTypePolicy(gowarc.ErrWarn),
	}
}

// newWARCReaderMu serialises the library's reader constructor: its
// default options call uuid.EnableRandPool, which writes a global of
// github.com/google/uuid without a lock (gowarc v3.1.0), a data race when
// two goroutines open WARCs at once.
var newWARCReaderMu sync.Mutex

// newWARCReader opens the library's reader on r, whose first byte is at
// offset start in the file.
func newWARCReader(r io.Reader, start int64) (*gowarc.WarcFileReader, error) {
	newWARCReaderMu.Lock()
	defer newWARCReaderMu.Unlock()
	return gowarc.NewWarcFileReaderFromStream(r, start, warcRecordOptions()...)
}

// maxWARCErrorsInARow stops reading a file that yields nothing but errors:
// it is not a WARC, and one error record a byte would flood the output.
const maxWARCErrorsInARow = 100

// readWARCFile streams the documents of a WARC file.
func readWARCFile(ctx context.Context, p, id string, opts Options) iter.Seq[Document] {
	return func(yield func(Document) bool) {
		f, err := os.Open(p)
		if err != nil {
			yield(errorDoc(id, p, opts, err))
			return
		}
		defer f.Close()
		var head [2]byte
		n, _ := io.ReadFull(f, head[:])
		if n == 0 {
			yield(errorDoc(id, p, opts, errors.New("empty file (0 bytes)")))
			return
		}
		gzipped := bytes.Equal(head[:n], gzipMagic)
		scan := &warcScan{id: id, origin: p, opts: opts, yield: yield}
		if gzipped && wholeFileGzip(f) {
			if _, err := f.Seek(0, io.SeekStart); err != nil {
				yield(errorDoc(id, p, opts, err))
				return
			}
			zr, err := gzip.NewReader(bufio.NewReaderSize(countReads(f, opts.BytesRead), 256<<10))
			if err != nil {
				yield(errorDoc(id, p, opts, fmt.Errorf("gzip: %w", err)))
				return
			}
			defer zr.Close()
			// Offsets are into the decompressed stream: a whole-file
			// gzip cannot be entered in the middle anyway.
			scan.run(ctx, zr, 0)
			return
		}
		// A gzip file is re-scanned from just past a corrupt record's
		// start: the decompressor may have read into the members after
		// a corrupt one, and a fresh scan finds them.
		scan.restartAfterError = gzipped
		start := int64(0)
		for {
			if _, err := f.Seek(start, io.SeekStart); err != nil {
				yield(errorDoc(id, p, opts, err))
				return
			}
			next, more := scan.run(ctx, countReads(f, opts.BytesRead), start)
			if !more {
				return
			}
			start = next
		}
	}
}

// ReadWARC streams the page documents of a WARC (or WET) stream, gzip per
// record or not: response records with an HTML or text payload (2xx
// status; the HTTP Content-Type decides, its charset kept in
// Meta[MetaContentType]), resource records of those types, and
// conversion records (plain text, as in WET files). Other records
// (requests, metadata, images, redirects) are not documents and are
// skipped. IDs are "name#offset", the record's byte offset in the stream;
// URL is WARC-Target-URI. A record that cannot be read is yielded with
// Err set and the run goes on with the next record.
func ReadWARC(ctx context.Context, r io.Reader, name string, opts Options) iter.Seq[Document] {
	return func(yield func(Document) bool) {
		scan := &warcScan{id: name, origin: name, opts: opts, yield: yield}
		scan.run(ctx, r, 0)
	}
}

// warcScan is the state of reading one WARC file, kept across restarts.
type warcScan struct {
	id, origin string
	opts       Options
	yield      func(Document) bool
	// restartAfterError stops a run at the first corrupt record, so that
	// the caller re-scans from just past its start.
	restartAfterError bool
	// expected is where the next record should start; afterError says
	// the bytes up to the next record belong to a record already
	// reported as corrupt.
	expected     int64
	afterError   bool
	errorsInARow int
	lastErrAt    int64
	started      bool
}

// run yields the documents of r, whose first byte is at offset start in
// the file. It returns more = true, with the offset to re-scan from, when
// it stopped at a corrupt record for a restart.
func (s *warcScan) run(ctx context.Context, r io.Reader, start int64) (next int64, more bool) {
	if !s.started {
		s.started, s.expected, s.lastErrAt = true, start, -1
	}
	// The library closes a stream that is an io.Closer; the file is ours.
	tail := &tailReader{r: r, n: start}
	wr, err := newWARCReader(tail, start)
	if err != nil {
		s.yield(errorDoc(s.id, s.origin, s.opts, err))
		return 0, false
	}
	defer wr.Close()
	for {
		if ctx.Err() != nil {
			return 0, false
		}
		rec, err := wr.Next()
		if err == io.EOF {
			// The library stops without a word at fewer than 5 bytes it
			// cannot read a record start from; only line ends may end a
			// file unreported.
			end := max(rec.Offset, tail.n)
			if end > s.expected && !s.afterError && !tail.blankTail(end-s.expected) {
				s.yield(warcErrorDoc(s.id, s.origin, s.expected, s.opts, fmt.Errorf("%d bytes at the end are not a WARC record", end-s.expected)))
			}
			return 0, false
		}
		if err != nil {
			_ = rec.Close()
			if errors.Is(err, gowarc.ErrNoRecord) {
				// Bytes up to the end that hold no record: the tail of a
				// record already reported, or garbage reported here.
				if !s.afterError {
					s.yield(warcErrorDoc(s.id, s.origin, s.expected, s.opts, err))
				}
				return 0, false
			}
			if rec.Offset > s.expected && !s.afterError {
				// The bad data began where a record was due.
				rec.Offset = s.expected
			}
			s.errorsInARow++
			stuck := rec.Offset <= s.lastErrAt
			s.lastErrAt = rec.Offset
			if !stuck {
				if !s.yield(warcErrorDoc(s.id, s.origin, rec.Offset, s.opts, err)) {
					return 0, false
				}
			}
			if stuck || s.errorsInARow >= maxWARCErrorsInARow {
				if !stuck {
					s.yield(warcErrorDoc(s.id, s.origin, rec.Offset, s.opts, fmt.Errorf("gave up on the rest of the file after %d unreadable records in a row", s.errorsInARow)))
				}
				return 0, false
			}
			s.afterError = true
			s.expected = rec.Offset + rec.Size
			if s.restartAfterError {
				return rec.Offset + 1, true
			}
			continue
		}
		s.errorsInARow = 0
		if rec.Offset > s.expected && !s.afterError {
			// The library skipped bytes to find this record: a record
			// whose start was destroyed. Say so rather than lose it.
			if !s.yield(warcErrorDoc(s.id, s.origin, s.expected, s.opts, fmt.Errorf("%d bytes before the next record are not a WARC record", rec.Offset-s.expected))) {
				_ = rec.Close()
				return 0, false
			}
		}
		s.afterError = false
		s.expected = rec.Offset + rec.Size
		d, ok := warcDocument(rec, s.id, s.origin, s.opts)
		_ = rec.Close()
		if ok && !s.yield(d) {
			return 0, false
		}
	}
}

// tailReader counts what is read from a stream and keeps its last bytes,
// to tell trailing line ends from trailing junk.
type tailReader struct {
	r    io.Reader
	n    int64
	last [8]byte
	kept int
}

func (t *tailReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.n += int64(n)
	if n >= len(t.last) {
		copy(t.last[:], p[n-len(t.last):n])
	} else {
		copy(t.last[:], t.last[n:])
		copy(t.last[len(t.last)-n:], p[:n])
	}
	t.kept = min(t.kept+n, len(t.last))
	return n, err
}

// blankTail reports whether the last k bytes read are all CR or LF.
func (t *tailReader) blankTail(k int64) bool {
	if k > int64(t.kept) {
		return false
	}
	for _, c := range t.last[len(t.last)-int(k):] {
		if c != '\r' && c != '\n' {
			return false
		}
	}
	return true
}

// warcErrorDoc is the error record for the WARC record at offset.
func warcErrorDoc(id, origin string, offset int64, opts Options, err error) Document {
	rid := id + "#" + strconv.FormatInt(offset, 10)
	// errors.Join in the library may repeat a message on several lines.
	var parts []string
	for _, p := range strings.Split(err.Error(), "\n") {
		if p != "" && !slices.Contains(parts, p) {
			parts = append(parts, p)
		}
	}
	msg := strings.Join(parts, "; ")
	return Document{ID: rid, Origin: origin + "#" + strconv.FormatInt(offset, 10), Label: opts.DefaultLabel,
		Source: opts.DefaultSource, Err: fmt.Errorf("read %s: %s", rid, msg)}
}

// warcDocument turns one record into a document; ok is false for records
// that are not pages.
func warcDocument(rec gowarc.Record, id, origin string, opts Options) (Document, bool) {
	wr := rec.WarcRecord
	off := strconv.FormatInt(rec.Offset, 10)
	d := Document{ID: id + "#" + off, Origin: origin + "#" + off, Label: opts.DefaultLabel, Source: opts.DefaultSource}
	d.URL = strings.TrimSuffix(strings.TrimPrefix(wr.WarcHeader().Get(gowarc.WarcTargetURI), "<"), ">")
	fail := func(err error) (Document, bool) {
		d.Err = fmt.Errorf("read %s: %w", d.ID, err)
		return d, true
	}
	var (
		payload     io.Reader
		contentType string
		err         error
	)
	switch wr.Type() {
	case gowarc.Response:
		hb, isHTTP := wr.Block().(gowarc.HttpResponseBlock)
		if !isHTTP {
			return d, false
		}
		if code := hb.HttpStatusCode(); code < 200 || code > 299 {
			return d, false
		}
		h := hb.HttpHeader()
		if h != nil {
			contentType = h.Get("Content-Type")
		}
		d.Format = formatOfContentType(contentType)
		if d.Format == formatNotAPage {
			return d, false
		}
		payload, err = hb.PayloadBytes()
		if err != nil {
			return fail(err)
		}
		// net/http moves Transfer-Encoding out of the parsed header: read
		// it from the raw one.
		transfer := rawHeaderValue(hb.ProtocolHeaderBytes(), "Transfer-Encoding")
		contentEncoding := rawHeaderValue(hb.ProtocolHeaderBytes(), "Content-Encoding")
		if payload, err = decodeHTTPPayload(payload, transfer, contentEncoding); err != nil {
			return fail(err)
		}
	case gowarc.Resource, gowarc.Conversion:
		contentType = wr.WarcHeader().Get(gowarc.ContentType)
		d.Format = formatOfContentType(contentType)
		if wr.Type() == gowarc.Conversion && contentType == "" {
			d.Format = FormatText
		}
		if d.Format == formatNotAPage {
			return d, false
		}
		payload, err = wr.Block().RawBytes()
		if err != nil {
			return fail(err)
		}
	default:
		return d, false
	}
	body, err := readCapped(payload, opts.maxBody())
	if err != nil {
		return fail(err)
	}
	d.Body = body
	d.Meta = map[string]any{}
	if contentType != "" {
		d.Meta[MetaContentType] = contentType
	}
	if date := wr.WarcHeader().Get(gowarc.WarcDate); date != "" {
		d.Meta["warc_date"] = date
	}
	if opts.Format != FormatAuto {
		d.Format = opts.Format
	}
	return d, true
}

// formatNotAPage marks a Content-Type that is not a page.
const formatNotAPage Format = "-"

// formatOfContentType says how a payload of a Content-Type is read: HTML,
// text, sniffed when the type is missing, or not a page at all.
func formatOfContentType(ct string) Format {
	if strings.TrimSpace(ct) == "" {
		return FormatAuto
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.SplitN(ct, ";", 2)[0]))
	}
	switch mt {
	case "text/html", "application/xhtml+xml":
		return FormatHTML
	case "text/plain":
		return FormatText
	}
	return formatNotAPage
}

// decodeHTTPPayload undoes the transfer and content encodings a WARC
// payload may keep from the wire.
func decodeHTTPPayload(r io.Reader, transfer, content string) (io.Reader, error) {
	if strings.EqualFold(strings.TrimSpace(transfer), "chunked") {
		// Some crawlers store the payload de-chunked but keep the header:
		// decode only what really is chunked.
		br := bufio.NewReader(r)
		if head, _ := br.Peek(32); looksChunked(head) {
			r = httputil.NewChunkedReader(br)
		} else {
			r = br
		}
	}
	switch strings.ToLower(strings.TrimSpace(content)) {
	case "", "identity", "none":
		return r, nil
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("Content-Encoding gzip: %w", err)
		}
		return zr, nil
	case "deflate":
		return flate.NewReader(r), nil
	}
	return nil, fmt.Errorf("unsupported Content-Encoding %q", content)
}

// rawHeaderValue returns the value of the first header line called name
// in a raw HTTP header block.
func rawHeaderValue(header []byte, name string) string {
	for _, line := range bytes.Split(header, []byte("\n")) {
		k, v, ok := bytes.Cut(line, []byte(":"))
		if ok && strings.EqualFold(string(bytes.TrimSpace(k)), name) {
			return string(bytes.TrimSpace(v))
		}
	}
	return ""
}

// looksChunked reports whether b starts with a chunk-size line.
func looksChunked(b []byte) bool {
	i := bytes.Index(b, []byte("\r\n"))
	if i <= 0 {
		return false
	}
	size := bytes.TrimSpace(bytes.SplitN(b[:i], []byte(";"), 2)[0])
	_, err := strconv.ParseUint(string(size), 16, 63)
	return err == nil
}

// wholeFileGzip reports whether a gzip WARC holds more than one record in
// its first gzip member (a WARC gzipped as a whole rather than record by
// record). It reads the first record only.
func wholeFileGzip(f *os.File) bool {
	defer func() { _, _ = f.Seek(0, io.SeekStart) }()
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return false
	}
	zr, err := gzip.NewReader(bufio.NewReader(f))
	if err != nil {
		return false
	}
	defer zr.Close()
	zr.Multistream(false)
	br := bufio.NewReader(zr)
	length := int64(-1)
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return false
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			break
		}
		if k, v, ok := strings.Cut(line, ":"); ok && strings.EqualFold(strings.TrimSpace(k), "Content-Length") {
			if length, err = strconv.ParseInt(strings.TrimSpace(v), 10, 64); err != nil {
				return false
			}
		}
	}
	if length < 0 {
		return false
	}
	if _, err := io.CopyN(io.Discard, br, length); err != nil {
		return false
	}
	rest, _ := br.Peek(16)
	return bytes.Contains(rest, []byte("WARC/"))
}

// WARCWriter writes documents as WARC records that ReadWARC reads back:
// an HTML document as a response record with an HTTP 200 header, a text
// document as a conversion record (as in WET files), each in its own gzip
// member when gzipped. Labels, groups and Meta are not kept: WARC has no
// place for them.
type WARCWriter struct {
	w       io.Writer
	gzipped bool
	offset  int64
	// Date is the WARC-Date of every record; zero means 2000-01-01.
	Date time.Time
}

// NewWARCWriter returns a writer of WARC records to w.
func NewWARCWriter(w io.Writer, gzipped bool) *WARCWriter {
	return &WARCWriter{w: w, gzipped: gzipped}
}

// Write writes one document and returns the byte offset of its record,
// which is what ReadWARC puts after "#" in its ID.
func (ww *WARCWriter) Write(d Document) (int64, error) {
	if d.Err != nil {
		return 0, fmt.Errorf("write %s: document has a read error: %w", d.ID, d.Err)
	}
	date := ww.Date
	if date.IsZero() {
		date = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	var block bytes.Buffer
	recordType := "response"
	blockType := "application/http;msgtype=response"
	if d.Format == FormatText {
		recordType, blockType = "conversion", "text/plain; charset=utf-8"
		block.Write(d.Body)
	} else {
		fmt.Fprintf(&block, "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n", len(d.Body))
		block.Write(d.Body)
	}
	sum := sha1.Sum([]byte(d.ID))
	var rec bytes.Buffer
	fmt.Fprintf(&rec, "WARC/1.1\r\nWARC-Type: %s\r\n", recordType)
	fmt.Fprintf(&rec, "WARC-Record-ID: <urn:uuid:%x-%x-%x-%x-%x>\r\n", sum[0:4], sum[4:6], sum[6:8], sum[8:10], sum[10:16])
	fmt.Fprintf(&rec, "WARC-Date: %s\r\n", date.UTC().Format(time.RFC3339))
	if d.URL != "" {
		fmt.Fprintf(&rec, "WARC-Target-URI: %s\r\n", d.URL)
	}
	fmt.Fprintf(&rec, "Content-Type: %s\r\nContent-Length: %d\r\n\r\n", blockType, block.Len())
	rec.Write(block.Bytes())
	rec.WriteString("\r\n\r\n")
	out := rec.Bytes()
	if ww.gzipped {
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		if _, err := zw.Write(out); err != nil {
			return 0, err
		}
		if err := zw.Close(); err != nil {
			return 0, err
		}
		out = z.Bytes()
	}
	at := ww.offset
	n, err := ww.w.Write(out)
	ww.offset += int64(n)
	if err != nil {
		return at, fmt.Errorf("write %s: %w", d.ID, err)
	}
	return at, nil
}
