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
	"strconv"
	"strings"
	"time"

	"github.com/klauspost/compress/gzip"
)

// The WARC reader is this package's own: it reads a record's header line
// by line within fixed limits, streams its block (keeping at most a page's
// capped payload in memory, discarding the rest), and never writes a
// temporary file. It reports each record's byte offset (of its gzip member
// in a .warc.gz, of the record in a plain or wholly gzipped WARC); a
// corrupt record becomes one error record and reading goes on at the
// next record start (the next "WARC/1." line, or the next gzip member); a
// record cut short by the end of the file is an error record too.

// The reader's limits: a line of a WARC or HTTP header, a whole header,
// and its number of lines. A longer header is an error record, not an
// allocation.
const (
	maxWARCHeaderLine  = 64 << 10
	maxWARCHeaderBytes = 1 << 20
	maxWARCHeaderLines = 1000
)

// maxWARCErrorsInARow stops reading a file that yields nothing but errors:
// it is not a WARC, and one error record a line would flood the output.
const maxWARCErrorsInARow = 100

var (
	errLineTooLong = fmt.Errorf("a header line longer than %d bytes", maxWARCHeaderLine)
	warcStart      = []byte("WARC/1.")
)

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
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			yield(errorDoc(id, p, opts, err))
			return
		}
		s := &warcScan{id: id, origin: p, opts: opts, yield: yield}
		src := countReads(f, opts.BytesRead)
		if bytes.Equal(head[:n], gzipMagic) && !wholeFileGzip(f) {
			s.members(ctx, src, func(off int64) (io.Reader, error) {
				if _, err := f.Seek(off, io.SeekStart); err != nil {
					return nil, err
				}
				return countReads(f, opts.BytesRead), nil
			})
			return
		}
		if bytes.Equal(head[:n], gzipMagic) {
			zr, err := gzip.NewReader(bufio.NewReaderSize(src, 256<<10))
			if err != nil {
				yield(errorDoc(id, p, opts, fmt.Errorf("gzip: %w", err)))
				return
			}
			defer zr.Close()
			// Offsets are into the decompressed stream: a whole-file
			// gzip cannot be entered in the middle anyway, so records
			// carry no byte range.
			s.unranged = true
			s.plain(ctx, zr)
			return
		}
		s.plain(ctx, src)
	}
}

// ReadWARC streams the page documents of a WARC (or WET) stream, gzip per
// record or not: response records with an HTML or text payload (2xx
// status; the HTTP Content-Type decides, its charset kept in
// Meta[MetaContentType]), resource records of those types, and
// conversion records (plain text, as in WET files). Other records
// (requests, metadata, images, redirects) are not documents and are
// skipped. IDs are "name#offset", the record's byte offset in the stream
// (of its gzip member when gzipped); URL is WARC-Target-URI. A record that
// cannot be read is yielded with Err set and the run goes on with the
// next record.
func ReadWARC(ctx context.Context, r io.Reader, name string, opts Options) iter.Seq[Document] {
	return func(yield func(Document) bool) {
		s := &warcScan{id: name, origin: name, opts: opts, yield: yield}
		br := bufio.NewReaderSize(r, 256<<10)
		if head, _ := br.Peek(2); bytes.Equal(head, gzipMagic) {
			s.members(ctx, br, nil)
			return
		}
		s.plain(ctx, br)
	}
}

// warcScan is the state of reading one WARC stream.
type warcScan struct {
	// readErr is a read error of the stream under a record (a gzip
	// member that does not decompress), as opposed to a bad record.
	readErr    error
	id, origin string
	opts       Options
	yield      func(Document) bool
	// afterError: the bytes since the last error belong to what it
	// reported, so the next garbage is not reported again.
	afterError   bool
	errorsInARow int
	stopped      bool
	// unranged says that offsets are not byte offsets into the file (a
	// wholly gzipped file), so documents carry no WARC byte range.
	unranged bool
	// limitErrors gives up after maxWARCErrorsInARow errors in a row: in
	// an uncompressed stream, where garbage could make an error a line.
	// Gzip members bound the errors (one a member at most), and a range
	// could not count the errors before it, so members read on.
	limitErrors bool
	// stopAt, when positive, ends reading before the gzip member that
	// starts at or after it (ReadWARCRange).
	stopAt int64
}

// location is the WARCLocation of the record at offset (-1: unknown),
// its length not yet known.
func (s *warcScan) location(offset int64, recordID string) *WARCLocation {
	if s.unranged {
		offset = -1
	}
	return &WARCLocation{Filename: s.id, Offset: offset, Length: -1, RecordID: recordID}
}

// emit yields d, keeping count of errors in a row; it reports false when
// reading should stop.
func (s *warcScan) emit(d Document) bool {
	if s.stopped {
		return false
	}
	if d.Err != nil {
		s.errorsInARow++
		if s.limitErrors && s.errorsInARow > maxWARCErrorsInARow {
			s.stopped = true
			s.yield(warcErrorDoc(s.id, s.origin, -1, s.opts, fmt.Errorf("gave up on the rest of the file after %d unreadable records in a row", maxWARCErrorsInARow)))
			return false
		}
	} else {
		s.errorsInARow = 0
	}
	if !s.yield(d) {
		s.stopped = true
		return false
	}
	return true
}

// fail reports an unreadable record at offset, once per stretch of bad
// bytes.
func (s *warcScan) fail(offset int64, err error) bool {
	if s.afterError {
		return !s.stopped
	}
	s.afterError = true
	d := warcErrorDoc(s.id, s.origin, offset, s.opts, err)
	if offset >= 0 {
		d.WARC = s.location(offset, "")
	}
	return s.emit(d)
}

// offsetReader counts the bytes consumed from a buffered stream.
type offsetReader struct {
	br   *bufio.Reader
	read *int64 // bytes read from the source into br
	base int64
}

func (o offsetReader) pos() int64 { return o.base + *o.read - int64(o.br.Buffered()) }

// plain reads the records of an uncompressed stream (or one decompressed
// as a whole); offsets count its bytes.
func (s *warcScan) plain(ctx context.Context, r io.Reader) {
	s.limitErrors = true
	var read int64
	br := bufio.NewReaderSize(&byteCounter{r: r, n: &read}, 256<<10)
	at := offsetReader{br: br, read: &read}
	for !s.stopped && ctx.Err() == nil {
		if !s.record(ctx, br, at.pos, false) {
			return
		}
	}
}

// members reads a WARC gzipped record by record: each gzip member is read
// on its own, and a record's offset is its member's. A member that does
// not decompress is an error record, and reading goes on at the next gzip
// header after its start: reopen gives the stream from an offset (a file
// seeks back: the decompressor may have read into the members after a
// bad one); without it the search goes on from where reading stopped.
func (s *warcScan) members(ctx context.Context, r io.Reader, reopen func(offset int64) (io.Reader, error)) {
	s.membersFrom(ctx, r, 0, reopen)
}

// membersFrom is members over a stream whose first byte is at offset
// from in the file.
func (s *warcScan) membersFrom(ctx context.Context, r io.Reader, from int64, reopen func(offset int64) (io.Reader, error)) {
	cr := &countingByteReader{br: bufio.NewReaderSize(r, 256<<10), n: from}
	var zr *gzip.Reader
	for !s.stopped && ctx.Err() == nil {
		start := cr.n
		if s.stopAt > 0 && start >= s.stopAt {
			return
		}
		var err error
		if zr == nil {
			zr, err = gzip.NewReader(cr)
		} else {
			err = zr.Reset(cr)
		}
		if err == io.EOF {
			return
		}
		if err == nil {
			zr.Multistream(false)
			err = s.member(ctx, zr, start, func() int64 { return cr.n })
		}
		if err == nil {
			continue
		}
		if !s.fail(start, fmt.Errorf("gzip member: %w", err)) {
			return
		}
		// Resynchronise on the next gzip header after the bad member's
		// start.
		if reopen != nil {
			r, err := reopen(start + 1)
			if err != nil {
				// The file as a whole, not the member (already
				// reported under its offset): the rest is unread.
				s.emit(warcErrorDoc(s.id, s.origin, -1, s.opts, fmt.Errorf("the records after byte %d are unread: %w", start, err)))
				return
			}
			cr = &countingByteReader{br: bufio.NewReaderSize(r, 256<<10), n: start + 1}
		}
		if !cr.seekMagic(start) {
			return
		}
	}
}

// member reads the records of one gzip member whose compressed bytes start
// at start. Its documents are held until the member ends cleanly, so that
// a member cut short (a truncated file) yields one error record, not a
// page and an error.
func (s *warcScan) member(ctx context.Context, zr *gzip.Reader, start int64, end func() int64) error {
	br := bufio.NewReaderSize(zr, 64<<10)
	if head, _ := br.Peek(len(warcStart)); bytes.Equal(head, warcStart) {
		// A member that starts a record is a place to start reading
		// (nextGoodMember's rule), so its failure is its own error, as
		// it is for a range that starts here.
		s.afterError = false
	}
	var held []Document
	k := 0
	inner := func() int64 { k++; return start }
	hold := &warcScan{id: s.id, origin: s.origin, opts: s.opts, afterError: s.afterError,
		yield: func(d Document) bool { held = append(held, d); return true }}
	for ctx.Err() == nil {
		if _, err := br.Peek(1); err != nil {
			if err != io.EOF {
				return err
			}
			break
		}
		if !hold.record(ctx, br, inner, true) {
			break
		}
		if hold.readErr != nil {
			return hold.readErr
		}
	}
	if hold.readErr != nil {
		return hold.readErr
	}
	length := end() - start
	for i, d := range held {
		if d.WARC != nil {
			// The range to fetch is the whole member, whichever of its
			// records this is.
			d.WARC.Offset, d.WARC.Length = start, length
		}
		if i > 0 {
			// More than one record in a member: the offset is the
			// member's, so later records get a suffix to stay unique.
			d.ID += "." + strconv.Itoa(i)
			d.Origin += "." + strconv.Itoa(i)
			if d.Err != nil {
				d.Err = fmt.Errorf("%w (record %d of its gzip member)", d.Err, i+1)
			}
		}
		if d.Err == nil {
			s.afterError = false
		}
		if !s.emit(d) {
			return nil
		}
	}
	if len(held) > 0 && held[len(held)-1].Err != nil {
		s.afterError = true
	}
	return nil
}

// record reads one record from br, whose next byte is at pos(), and
// yields it if it is a page (or an error record). It reports false at the
// end of the stream or when reading should stop. inMember says the stream
// is one gzip member: a read error there is the member's (s.readErr).
func (s *warcScan) record(ctx context.Context, br *bufio.Reader, pos func() int64, inMember bool) bool {
	s.readErr = nil
	if err := skipBlankLines(br); err != nil {
		if err != io.EOF {
			s.readErr = err
		}
		return false
	}
	start := pos()
	line, err := readHeaderLine(br, maxWARCHeaderLine)
	if err != nil && !errors.Is(err, errLineTooLong) {
		if inMember && err != io.EOF {
			s.readErr = err
			return false
		}
		return s.fail(start, fmt.Errorf("%d bytes at the end are not a WARC record", pos()-start)) && false
	}
	if err != nil || !bytes.HasPrefix(line, []byte("WARC/")) {
		if !s.fail(start, errors.New("not a WARC record (no WARC/1.x line)")) {
			return false
		}
		return s.resync(br, inMember)
	}
	h, err := readHeaderBlock(br)
	if err != nil {
		if inMember && !errors.Is(err, errLineTooLong) && !errors.Is(err, errHeaderTooLarge) && err != io.EOF && !errors.Is(err, io.ErrUnexpectedEOF) {
			s.readErr = err
			return false
		}
		if !s.fail(start, fmt.Errorf("WARC header: %w", err)) {
			return false
		}
		return s.resync(br, inMember)
	}
	length, err := strconv.ParseInt(h.get("Content-Length"), 10, 64)
	if err != nil || length < 0 {
		if !s.fail(start, fmt.Errorf("WARC header: Content-Length %q is not a length", h.get("Content-Length"))) {
			return false
		}
		return s.resync(br, inMember)
	}
	var read int64
	block := &byteCounter{r: io.LimitReader(br, length), n: &read}
	d, isPage := s.document(h, block, start)
	// Whatever the page part left of the block is discarded, a byte at a
	// time through a small buffer: a record of any size costs no memory.
	if _, err := io.Copy(io.Discard, block); err != nil {
		if inMember && !errors.Is(err, io.ErrUnexpectedEOF) {
			s.readErr = err
			return false
		}
	}
	if read == length && !inMember && d.WARC != nil && d.WARC.Offset >= 0 {
		// The record ends after the blank lines that close it.
		_ = skipBlankLines(br)
		d.WARC.Length = pos() - start
	}
	if read < length {
		if inMember {
			if _, err := br.Peek(1); err != nil && err != io.EOF {
				s.readErr = err
				return false
			}
		}
		return s.fail(start, fmt.Errorf("truncated record: the file ends %d bytes into the %d its Content-Length declares", read, length)) && false
	}
	if isPage {
		s.afterError = d.Err != nil
		if d.Err != nil {
			s.errorsInARow++
			if s.errorsInARow > maxWARCErrorsInARow {
				return false
			}
			if !s.yield(d) {
				s.stopped = true
				return false
			}
			return true
		}
		return s.emit(d)
	}
	s.afterError = false
	return true
}

// resync skips to the next line that starts a WARC record ("WARC/1."),
// without reading it; it reports false at the end of the stream.
func (s *warcScan) resync(br *bufio.Reader, inMember bool) bool {
	for {
		head, err := br.Peek(len(warcStart))
		if bytes.Equal(head, warcStart) {
			return true
		}
		if err != nil {
			if inMember && err != io.EOF {
				s.readErr = err
			}
			return false
		}
		if err := discardLine(br); err != nil {
			if inMember && err != io.EOF {
				s.readErr = err
			}
			return false
		}
	}
}

// document turns one record into a document; isPage is false for records
// that are not pages. The block is read only as far as the page needs.
func (s *warcScan) document(h warcHeader, block io.Reader, offset int64) (d Document, isPage bool) {
	off := strconv.FormatInt(offset, 10)
	d = Document{ID: s.id + "#" + off, Origin: s.origin + "#" + off, Label: s.opts.DefaultLabel, Source: s.opts.DefaultSource,
		WARC: s.location(offset, h.get("WARC-Record-ID"))}
	d.URL = strings.TrimSuffix(strings.TrimPrefix(h.get("WARC-Target-URI"), "<"), ">")
	fail := func(err error) (Document, bool) {
		d.Err = fmt.Errorf("read %s: %w", d.ID, err)
		return d, true
	}
	var payload io.Reader
	var contentType string
	switch strings.ToLower(h.get("WARC-Type")) {
	case "response":
		if !strings.HasPrefix(strings.ToLower(h.get("Content-Type")), "application/http") && h.get("Content-Type") != "" {
			return d, false
		}
		br := bufio.NewReaderSize(block, 16<<10)
		status, err := readHeaderLine(br, maxWARCHeaderLine)
		if err != nil {
			return fail(fmt.Errorf("HTTP status line: %w", err))
		}
		code, ok := httpStatus(status)
		if !ok {
			return fail(fmt.Errorf("not an HTTP response: %q", clipBytes(status, 40)))
		}
		hh, err := readHeaderBlock(br)
		if err != nil {
			return fail(fmt.Errorf("HTTP header: %w", err))
		}
		if code < 200 || code > 299 {
			return d, false
		}
		contentType = hh.get("Content-Type")
		d.Format = formatOfContentType(contentType)
		if d.Format == formatNotAPage {
			return d, false
		}
		if payload, err = decodeHTTPPayload(br, hh.get("Transfer-Encoding"), hh.get("Content-Encoding")); err != nil {
			return fail(err)
		}
	case "resource", "conversion":
		contentType = h.get("Content-Type")
		d.Format = formatOfContentType(contentType)
		if strings.EqualFold(h.get("WARC-Type"), "conversion") && contentType == "" {
			d.Format = FormatText
		}
		if d.Format == formatNotAPage {
			return d, false
		}
		payload = block
	default:
		return d, false
	}
	body, err := readCapped(payload, s.opts.maxBody())
	if err != nil {
		return fail(err)
	}
	d.Body = body
	d.Meta = map[string]any{}
	if contentType != "" {
		d.Meta[MetaContentType] = contentType
	}
	if date := h.get("WARC-Date"); date != "" {
		d.Meta["warc_date"] = date
	}
	if s.opts.Format != FormatAuto {
		d.Format = s.opts.Format
	}
	return d, true
}

// httpStatus reads the status code of an HTTP status line.
func httpStatus(line []byte) (int, bool) {
	f := bytes.Fields(line)
	if len(f) < 2 || !bytes.HasPrefix(f[0], []byte("HTTP/")) {
		return 0, false
	}
	code, err := strconv.Atoi(string(f[1]))
	return code, err == nil && code >= 100 && code <= 999
}

func clipBytes(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

// warcHeader is a record's (or an HTTP message's) header fields, in order.
type warcHeader [][2]string

// get returns the first value of a field, matched without case.
func (h warcHeader) get(name string) string {
	for _, kv := range h {
		if strings.EqualFold(kv[0], name) {
			return kv[1]
		}
	}
	return ""
}

var errHeaderTooLarge = fmt.Errorf("a header of more than %d bytes or %d lines", maxWARCHeaderBytes, maxWARCHeaderLines)

// readHeaderBlock reads "Name: value" lines up to the blank line that ends
// a header, within the header limits. Continuation lines are joined to
// the field before.
func readHeaderBlock(br *bufio.Reader) (warcHeader, error) {
	var h warcHeader
	total := 0
	for n := 0; ; n++ {
		if n >= maxWARCHeaderLines || total > maxWARCHeaderBytes {
			return nil, errHeaderTooLarge
		}
		line, err := readHeaderLine(br, maxWARCHeaderLine)
		if err != nil {
			if err == io.EOF {
				return nil, io.ErrUnexpectedEOF
			}
			return nil, err
		}
		total += len(line)
		if len(bytes.TrimSpace(line)) == 0 {
			return h, nil
		}
		if (line[0] == ' ' || line[0] == '\t') && len(h) > 0 {
			h[len(h)-1][1] += " " + string(bytes.TrimSpace(line))
			continue
		}
		k, v, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue // a malformed line is skipped, as lenient readers do
		}
		h = append(h, [2]string{string(bytes.TrimSpace(k)), string(bytes.TrimSpace(v))})
	}
}

// readHeaderLine reads one line without its line end, refusing (after skipping
// to its end) a line longer than max: it never holds more than max bytes.
func readHeaderLine(br *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(line)+len(chunk) > max {
			if errors.Is(err, bufio.ErrBufferFull) {
				if derr := discardLine(br); derr != nil && derr != io.EOF {
					return nil, derr
				}
			}
			return nil, errLineTooLong
		}
		line = append(line, chunk...)
		switch {
		case err == nil:
			return bytes.TrimRight(line, "\r\n"), nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == io.EOF && len(line) > 0:
			return bytes.TrimRight(line, "\r\n"), nil
		default:
			return nil, err
		}
	}
}

// discardLine skips the rest of the current line, whatever its length.
func discardLine(br *bufio.Reader) error {
	for {
		_, err := br.ReadSlice('\n')
		if !errors.Is(err, bufio.ErrBufferFull) {
			return err
		}
	}
}

// skipBlankLines skips the line ends between records.
func skipBlankLines(br *bufio.Reader) error {
	for {
		b, err := br.Peek(1)
		if err != nil {
			return err
		}
		if b[0] != '\r' && b[0] != '\n' {
			return nil
		}
		_, _ = br.Discard(1)
	}
}

// countingByteReader is a buffered stream that counts the bytes consumed
// from it and is an io.ByteReader, so that a gzip reader takes exactly its
// member's bytes and the count is the next member's offset.
type countingByteReader struct {
	br *bufio.Reader
	n  int64
}

func (c *countingByteReader) Read(p []byte) (int, error) {
	k, err := c.br.Read(p)
	c.n += int64(k)
	return k, err
}

func (c *countingByteReader) ReadByte() (byte, error) {
	b, err := c.br.ReadByte()
	if err == nil {
		c.n++
	}
	return b, err
}

// seekMagic moves to the next gzip header after offset from (the start
// of a bad member), reading forward: bytes already past are not read
// again. It reports false at the end of the stream.
func (c *countingByteReader) seekMagic(from int64) bool {
	for {
		b, err := c.br.Peek(3)
		if len(b) < 3 || err != nil && len(b) < 3 {
			return false
		}
		if c.n > from && b[0] == 0x1f && b[1] == 0x8b && b[2] == 0x08 {
			return true
		}
		if _, err := c.ReadByte(); err != nil {
			return false
		}
	}
}

// warcErrorDoc is the error record for the WARC record at offset (-1: for
// the file as a whole).
func warcErrorDoc(id, origin string, offset int64, opts Options, err error) Document {
	rid, org := id, origin
	if offset >= 0 {
		rid += "#" + strconv.FormatInt(offset, 10)
		org += "#" + strconv.FormatInt(offset, 10)
	}
	return Document{ID: rid, Origin: org, Label: opts.DefaultLabel, Source: opts.DefaultSource, Err: fmt.Errorf("read %s: %w", rid, err)}
}

// byteCounter counts the bytes read through it.
type byteCounter struct {
	r io.Reader
	n *int64
}

func (c *byteCounter) Read(p []byte) (int, error) {
	k, err := c.r.Read(p)
	*c.n += int64(k)
	return k, err
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
// record). It reads the first record's header only, within the header
// limits.
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
	if _, err := readHeaderLine(br, maxWARCHeaderLine); err != nil {
		return false
	}
	h, err := readHeaderBlock(br)
	if err != nil {
		return false
	}
	length, err := strconv.ParseInt(h.get("Content-Length"), 10, 64)
	if err != nil || length < 0 {
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
