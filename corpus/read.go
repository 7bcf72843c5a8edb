package corpus

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/klauspost/compress/gzip"
)

// DefaultMaxBodyBytes is the default cap on one document's body. A body
// past it is an error record rather than a silent cut, so that memory
// stays bounded whatever the input holds.
const DefaultMaxBodyBytes = 64 << 20

// MetaContentType is the Meta key under which readers keep a page's HTTP
// Content-Type (from a WARC response), whose charset decides decoding.
const MetaContentType = "content_type"

// Options control how documents are read.
type Options struct {
	// DefaultLabel is the label of a document whose record names none
	// (e.g. corpus.Authentic for the authentic corpus).
	DefaultLabel Label
	// DefaultSource is the Source of a document whose record names none.
	DefaultSource string
	// Format, when not FormatAuto, forces every body to be read as HTML
	// or text, whatever the file extension, record or Content-Type says.
	Format Format
	// MaxBodyBytes caps one document's body; 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Stdin is what the input "-" reads (JSONL); nil means os.Stdin.
	Stdin io.Reader
	// SkipMeta leaves JSONL records' other keys out of Meta, unparsed: for
	// readers that never use Meta (batch), so that a record's metadata
	// cannot cost more memory than its line.
	SkipMeta bool
	// BytesRead, when set, is advanced by the bytes read from input files
	// (compressed bytes for gzip), for progress reports.
	BytesRead *atomic.Int64
}

func (o Options) maxBody() int64 {
	if o.MaxBodyBytes > 0 {
		return o.MaxBodyBytes
	}
	return DefaultMaxBodyBytes
}

// The kinds of input file the readers know, by name.
type fileKind int

const (
	kindNone fileKind = iota
	kindHTML
	kindText
	kindJSONL
	kindWARC
)

// kindOf names the kind of a file from its name: .html, .htm, .txt,
// .jsonl(.gz), .warc(.gz) and .wet(.gz). Other files are not documents.
func kindOf(name string) fileKind {
	n := strings.ToLower(name)
	n = strings.TrimSuffix(n, ".gz")
	switch path.Ext(n) {
	case ".html", ".htm":
		if n != strings.ToLower(name) {
			return kindNone // .html.gz is not a kind we read
		}
		return kindHTML
	case ".txt":
		if n != strings.ToLower(name) {
			return kindNone
		}
		return kindText
	case ".jsonl":
		return kindJSONL
	case ".warc", ".wet":
		return kindWARC
	}
	return kindNone
}

// Read streams the documents of every input, in order: a directory
// (walked recursively in sorted order), a file (.html, .htm, .txt with an
// optional sidecar .json, .jsonl, .jsonl.gz, .warc, .warc.gz, .wet,
// .wet.gz) or "-" (JSONL on standard input). A record that cannot be read
// is yielded with Err set and an ID naming it; nothing is dropped. Memory
// stays bounded by one document at a time whatever the input size.
func Read(ctx context.Context, inputs []string, opts Options) iter.Seq[Document] {
	return func(yield func(Document) bool) {
		for _, in := range inputs {
			for d := range ReadPath(ctx, in, opts) {
				if !yield(d) {
					return
				}
			}
		}
	}
}

// ReadAll reads every document of the inputs into memory: for corpora that
// fit in it (training). Unreadable records come back with Err set.
func ReadAll(ctx context.Context, inputs []string, opts Options) []Document {
	var docs []Document
	for d := range Read(ctx, inputs, opts) {
		docs = append(docs, d)
	}
	return docs
}

// ReadPath streams the documents of one input: a directory, a file or "-".
// Document IDs are paths relative to a directory input, the base name of a
// file input (with "#offset" for WARC records), and the record's own id in
// JSONL.
func ReadPath(ctx context.Context, input string, opts Options) iter.Seq[Document] {
	return readAs(ctx, input, "", false, opts)
}

// ReadAs streams the documents of one input as ReadPath does, but names
// them as if the input had been found at the relative path name under a
// larger root (a directory that a file pattern such as crawl/*/x.warc.gz
// starts from): a file's documents are named name (with "#offset" for
// WARC records), a directory's name/relative-path ("" or "." names a
// directory the root itself). ReadPath(dir) is ReadAs(dir, ""), and
// ReadPath(file) is ReadAs(file, its base name).
func ReadAs(ctx context.Context, input, name string, opts Options) iter.Seq[Document] {
	return readAs(ctx, input, path.Clean(filepath.ToSlash(name)), true, opts)
}

func readAs(ctx context.Context, input, name string, named bool, opts Options) iter.Seq[Document] {
	fileID := func() string {
		if named {
			return name
		}
		return filepath.Base(input)
	}
	return func(yield func(Document) bool) {
		if input == "-" {
			r := opts.Stdin
			if r == nil {
				r = os.Stdin
			}
			for d := range readJSONLStream(ctx, r, "stdin", "stdin", opts) {
				if !yield(d) {
					return
				}
			}
			return
		}
		fi, err := os.Stat(input)
		if err != nil {
			yield(errorDoc(fileID(), input, opts, err))
			return
		}
		if fi.IsDir() {
			prefix := ""
			if named && name != "." {
				prefix = name
			}
			walkDir(ctx, input, prefix, opts, yield)
			return
		}
		if !fi.Mode().IsRegular() {
			// A pipe named on the command line (<(zcat crawl.jsonl.gz),
			// /dev/stdin): read once, as a stream, never re-opened.
			readStreamFile(ctx, input, fileID(), opts, yield)
			return
		}
		kind := kindOf(fi.Name())
		if kind == kindNone {
			// A file named on the command line is read even with an odd
			// name: by its sniffed content.
			kind = kindText
			if head, err := sniffHead(input); err == nil {
				kind = sniffKind(head)
			}
		}
		readFile(ctx, input, fileID(), kind, opts, yield)
	}
}

// walkDir yields the documents under root in sorted order, named by
// their paths relative to root, under prefix when it is not "".
func walkDir(ctx context.Context, root, prefix string, opts Options, yield func(Document) bool) {
	_ = filepath.WalkDir(root, func(p string, de fs.DirEntry, err error) error {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		rel, relErr := filepath.Rel(root, p)
		if relErr != nil {
			rel = p
		}
		id := filepath.ToSlash(rel)
		if prefix != "" {
			id = path.Join(prefix, id)
		}
		if err != nil {
			// An unreadable directory (or entry): one error record names
			// it, and the walk goes on with its siblings.
			if !yield(errorDoc(id, p, opts, err)) {
				return filepath.SkipAll
			}
			if de != nil && de.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if de.IsDir() {
			return nil
		}
		kind := kindOf(de.Name())
		if kind != kindNone {
			if err := regularFile(p, de); err != nil {
				// A named pipe, socket or device in a crawl directory is
				// never a page; opening a pipe would wait for a writer
				// for good.
				if !yield(errorDoc(id, p, opts, err)) {
					return filepath.SkipAll
				}
				return nil
			}
		}
		if kind == kindNone {
			if err := orphanLabelFile(p); err != nil && !yield(errorDoc(id, p, opts, err)) {
				return filepath.SkipAll
			}
			return nil
		}
		if !readFile(ctx, p, id, kind, opts, yield) {
			return filepath.SkipAll
		}
		return nil
	})
}

// regularFile refuses a directory entry that is not a regular file, or a
// symbolic link to one.
func regularFile(p string, de fs.DirEntry) error {
	t := de.Type()
	if t.IsRegular() {
		return nil
	}
	if t&fs.ModeSymlink != 0 {
		fi, err := os.Stat(p)
		if err != nil || fi.Mode().IsRegular() {
			// A dangling link is reported when it is opened.
			return nil
		}
		t = fi.Mode().Type()
	}
	return fmt.Errorf("not a regular file (%s); skipped", describeMode(t))
}

// describeMode names a non-regular file type for an error message.
func describeMode(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0, m&fs.ModeCharDevice != 0:
		return "a device"
	case m&fs.ModeDir != 0:
		return "a directory"
	}
	return "type " + m.String()
}

// readStreamFile reads a file that is not a regular file (a pipe): opened
// once, its kind sniffed from its first bytes without losing them, and
// read as a JSONL or WARC stream or as one page.
func readStreamFile(ctx context.Context, p, id string, opts Options, yield func(Document) bool) {
	f, err := openInterruptible(ctx, p)
	if err != nil {
		yield(errorDoc(id, p, opts, err))
		return
	}
	defer f.Close()
	stop := context.AfterFunc(ctx, func() { f.Close() })
	defer stop()
	readStream(ctx, bufio.NewReaderSize(countReads(f, opts.BytesRead), 256<<10), p, id, kindOf(p), false, nil, opts, yield)
}

// ReadStream streams the documents of one input read from r rather than
// from a file: an object in cloud storage, say. name names the documents
// (as ReadAs names a file's) and its extension says what r holds, as a
// file's does (.html, .txt, .jsonl[.gz], .warc[.gz], .wet[.gz]); other
// names are sniffed. A WARC gzipped record by record is read member by
// member, with the offsets a file's reading gives; a WARC gzipped as one
// stream is one member here, its records after the first named with
// ".N" suffixes, unlike a file's. A page file's sidecar .json is not read.
// A stream cannot go back: a corrupt gzip member can take the good
// members after it with it (the decompressor reads past its end before it
// fails); ReadObject, given a way to open the object again, does not.
func ReadStream(ctx context.Context, r io.Reader, name string, opts Options) iter.Seq[Document] {
	return func(yield func(Document) bool) {
		readStream(ctx, bufio.NewReaderSize(countReads(r, opts.BytesRead), 256<<10), name, name, kindOf(path.Base(name)), true, nil, opts, yield)
	}
}

// ReadObject is ReadStream over an object that open gives from a byte
// offset (open(0) first; each reader is closed when done with). A corrupt
// gzip member of a WARC is then passed over as a file's is: reading
// resumes at the first gzip header after the member's start, so the
// documents are those of the same bytes read as a file, but for a WARC
// gzipped as one stream, which is one member here: its documents are
// held until it ends (memory grows with the object) and damage anywhere
// in it makes it one error record. When open fails after a damaged
// member, an error record named after the object says the rest is unread.
func ReadObject(ctx context.Context, name string, open func(offset int64) (io.ReadCloser, error), opts Options) iter.Seq[Document] {
	return func(yield func(Document) bool) {
		rc, err := open(0)
		if err != nil {
			yield(errorDoc(name, name, opts, err))
			return
		}
		defer func() { rc.Close() }()
		reopen := func(off int64) (io.Reader, error) {
			rc.Close()
			next, err := open(off)
			if err != nil {
				rc = io.NopCloser(nil)
				return nil, err
			}
			rc = next
			return countReads(next, opts.BytesRead), nil
		}
		readStream(ctx, bufio.NewReaderSize(countReads(rc, opts.BytesRead), 256<<10), name, name, kindOf(path.Base(name)), true, reopen, opts, yield)
	}
}

// readStream reads one input from br: p names it in Origin, id in IDs.
// kind is what its name says (kindNone: sniffed). object says the stream
// is a whole stored file (ReadStream, ReadObject), read as a file would
// be: a gzipped WARC member by member, going back through reopen (when
// not nil) after a corrupt member; otherwise (a pipe, which cannot be
// reopened at a member) a gzip stream is undone first, and its offsets
// are not the file's.
func readStream(ctx context.Context, br *bufio.Reader, p, id string, kind fileKind, object bool, reopen func(int64) (io.Reader, error), opts Options, yield func(Document) bool) {
	head, _ := br.Peek(512)
	if object && kind == kindWARC {
		if len(head) == 0 {
			yield(errorDoc(id, p, opts, errors.New("empty file (0 bytes)")))
			return
		}
		s := &warcScan{id: id, origin: p, opts: opts, yield: yield}
		if bytes.HasPrefix(head, gzipMagic) {
			s.members(ctx, br, reopen)
			return
		}
		s.plain(ctx, br)
		return
	}
	if kind == kindNone {
		if len(head) >= 2 && bytes.Equal(head[:2], gzipMagic) {
			kind = kindJSONL // a gzip stream: JSONL or WARC, told apart below
		} else {
			kind = sniffKind(head)
		}
	}
	switch kind {
	case kindJSONL, kindWARC:
		zr, closeR, err := maybeGunzip(br)
		if err != nil {
			yield(errorDoc(id, p, opts, err))
			return
		}
		defer closeR()
		zb := bufio.NewReaderSize(zr, 256<<10)
		zhead, _ := zb.Peek(512)
		if sniffKind(zhead) == kindWARC {
			s := &warcScan{id: id, origin: p, opts: opts, yield: yield}
			// A gzipped stream's offsets count decompressed bytes, which
			// name no range of the file.
			s.unranged = len(head) >= 2 && bytes.Equal(head[:2], gzipMagic)
			s.plain(ctx, zb)
			return
		}
		for d := range readJSONLStream(ctx, zb, id, p, opts) {
			if !yield(d) {
				return
			}
		}
	default:
		d := Document{ID: id, Origin: p, Label: opts.DefaultLabel, Source: opts.DefaultSource, Format: FormatHTML}
		if kind == kindText {
			d.Format = FormatText
		}
		body, err := readCapped(br, opts.maxBody())
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			d.Err = fmt.Errorf("read %s: %w", id, bareErr(err))
		case len(body) == 0 && object:
			d.Err = fmt.Errorf("read %s: empty file (0 bytes)", id)
		case len(body) == 0:
			d.Err = fmt.Errorf("read %s: empty input (0 bytes)", id)
		default:
			d.Body = body
		}
		if opts.Format != FormatAuto {
			d.Format = opts.Format
		}
		yield(d)
	}
}

// openInterruptible opens p, giving up when ctx is done first: opening a
// named pipe waits for a writer.
func openInterruptible(ctx context.Context, p string) (*os.File, error) {
	type opened struct {
		f   *os.File
		err error
	}
	ch := make(chan opened, 1)
	go func() {
		f, err := os.Open(p)
		ch <- opened{f, err}
	}()
	select {
	case o := <-ch:
		return o.f, o.err
	case <-ctx.Done():
		go func() {
			if o := <-ch; o.f != nil {
				o.f.Close()
			}
		}()
		return nil, ctx.Err()
	}
}

// readFile yields the documents of one file of a known kind; it reports
// false when the consumer stopped.
func readFile(ctx context.Context, p, id string, kind fileKind, opts Options, yield func(Document) bool) bool {
	switch kind {
	case kindJSONL:
		f, err := os.Open(p)
		if err != nil {
			return yield(errorDoc(id, p, opts, err))
		}
		defer f.Close()
		for d := range readJSONLStream(ctx, countReads(f, opts.BytesRead), id, p, opts) {
			if !yield(d) {
				return false
			}
		}
		return true
	case kindWARC:
		for d := range readWARCFile(ctx, p, id, opts) {
			if !yield(d) {
				return false
			}
		}
		return true
	default:
		return yield(readPageFile(p, id, kind, opts))
	}
}

// readPageFile reads one .html/.htm/.txt file and its sidecar .json.
func readPageFile(p, id string, kind fileKind, opts Options) Document {
	d := Document{ID: id, Origin: p, Label: opts.DefaultLabel, Source: opts.DefaultSource}
	d.Format = FormatHTML
	if kind == kindText {
		d.Format = FormatText
	}
	body, err := readBodyFile(p, opts)
	if err != nil {
		d.Err = fmt.Errorf("read %s: %w", id, err)
		return d
	}
	d.Body = body
	if kind == kindText {
		if u, fields, rest, ok := TextHeader(body); ok {
			d.URL, d.Body = u, rest
			if len(fields) > 0 {
				d.Meta = map[string]any{MetaHeader: fields}
			}
		}
	}
	sidecar := strings.TrimSuffix(p, filepath.Ext(p)) + ".json"
	if err := applySidecar(&d, sidecar, opts); err != nil {
		d.Body = nil
		d.Err = fmt.Errorf("read %s: sidecar %s: %w", id, filepath.Base(sidecar), err)
		return d
	}
	if opts.Format != FormatAuto {
		d.Format = opts.Format
	}
	return d
}

// readBodyFile reads a whole page file (gunzipped when it is gzip, whatever
// its name), refusing an empty file and one past the body cap.
func readBodyFile(p string, opts Options) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, bareErr(err)
	}
	defer f.Close()
	r := countReads(f, opts.BytesRead)
	size := fileSize(f)
	var head [2]byte
	if n, _ := f.ReadAt(head[:], 0); n == 2 && bytes.Equal(head[:], gzipMagic) {
		zr, err := gzip.NewReader(bufio.NewReader(r))
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		defer zr.Close()
		r, size = zr, 0
	}
	body, err := readCappedSized(r, size, opts.maxBody())
	if err != nil {
		return nil, bareErr(err)
	}
	if len(body) == 0 {
		return nil, errors.New("empty file (0 bytes)")
	}
	return body, nil
}

// readCapped reads r to its end, refusing more than maxBytes.
func readCapped(r io.Reader, maxBytes int64) ([]byte, error) {
	return readCappedSized(r, 0, maxBytes)
}

// readCappedSized is readCapped with a size hint (a file's size), so that
// the buffer is allocated once rather than grown.
func readCappedSized(r io.Reader, sizeHint, maxBytes int64) ([]byte, error) {
	var buf bytes.Buffer
	if sizeHint > 0 {
		// bytes.Buffer wants 512 bytes free before each read.
		buf.Grow(int(min(sizeHint, maxBytes+1)) + bytes.MinRead)
	}
	if _, err := buf.ReadFrom(io.LimitReader(r, maxBytes+1)); err != nil {
		return nil, err
	}
	if int64(buf.Len()) > maxBytes {
		return nil, fmt.Errorf("body is larger than the %d-byte cap", maxBytes)
	}
	return buf.Bytes(), nil
}

// fileSize is f's size, or 0 when it cannot be told.
func fileSize(f *os.File) int64 {
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return 0
	}
	return fi.Size()
}

// errorDoc is the record yielded for an input that cannot be read.
// orphanLabelFile reports a label file with no page beside it: a .json
// sidecar that names a label while no .html, .htm or .txt of its name
// exists, which would otherwise drop a labelled page silently. Other JSON
// files in a directory (manifests, configuration) are not documents and
// pass.
func orphanLabelFile(p string) error {
	if !strings.HasSuffix(p, ".json") {
		return nil
	}
	stem := strings.TrimSuffix(p, ".json")
	for _, ext := range []string{".html", ".htm", ".txt"} {
		if _, err := os.Stat(stem + ext); err == nil {
			return nil
		}
	}
	f, err := os.Open(p)
	if err != nil {
		return nil
	}
	defer f.Close()
	var side struct {
		Label *string `json:"label"`
	}
	if json.NewDecoder(io.LimitReader(f, 1<<20)).Decode(&side) != nil || side.Label == nil {
		return nil
	}
	base := filepath.Base(stem)
	return fmt.Errorf("label file names a missing page: no %s.html, %s.htm or %s.txt beside it", base, base, base)
}

func errorDoc(id, origin string, opts Options, err error) Document {
	return Document{ID: id, Origin: origin, Label: opts.DefaultLabel, Source: opts.DefaultSource,
		Err: fmt.Errorf("read %s: %w", id, bareErr(err))}
}

// bareErr drops the absolute path an *fs.PathError carries, so that error
// text names inputs by their ID and is the same wherever the input lives.
func bareErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}

// gzipMagic starts every gzip stream.
var gzipMagic = []byte{0x1f, 0x8b}

// maybeGunzip returns a reader of r's content, gunzipped when r starts
// with the gzip magic (the name is not trusted), and a function that
// releases it.
func maybeGunzip(r io.Reader) (io.Reader, func(), error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(2)
	if !bytes.Equal(head, gzipMagic) {
		return br, func() {}, nil
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, nil, fmt.Errorf("gzip: %w", err)
	}
	return zr, func() { _ = zr.Close() }, nil
}

// sniffHead reads the first bytes of a file, gunzipped when gzip.
func sniffHead(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, closeR, err := maybeGunzip(f)
	if err != nil {
		return nil, err
	}
	defer closeR()
	head := make([]byte, 512)
	n, _ := io.ReadFull(r, head)
	return head[:n], nil
}

// Collection reports whether a file, by its name or its first bytes (body
// may be the whole file), holds many documents rather than one page: a
// WARC or WET ("a WARC file"), JSONL records ("a JSONL file") or gzip of
// either; what names it for a message.
func Collection(name string, body []byte) (what string, ok bool) {
	switch kindOf(filepath.Base(name)) {
	case kindWARC:
		return "a WARC file", true
	case kindJSONL:
		return "a JSONL file", true
	}
	head := body[:min(len(body), 4096)]
	if bytes.HasPrefix(head, gzipMagic) {
		return "gzip-compressed", true
	}
	t := bytes.TrimLeft(head, " \t\r\n\ufeff")
	if bytes.HasPrefix(t, []byte("WARC/")) {
		return "a WARC file", true
	}
	if bytes.HasPrefix(t, []byte("{")) {
		line, _, _ := bytes.Cut(bytes.TrimLeft(body, " \t\r\n\ufeff"), []byte("\n"))
		var rec map[string]json.RawMessage
		if json.Unmarshal(line, &rec) == nil {
			_, html := rec["html"]
			_, text := rec["text"]
			if html || text {
				return "a JSONL file", true
			}
		}
	}
	return "", false
}

// sniffKind tells a WARC, a JSONL file and a page apart by their first
// bytes, for files whose name says nothing.
func sniffKind(head []byte) fileKind {
	t := bytes.TrimLeft(head, " \t\r\n\ufeff")
	switch {
	case bytes.HasPrefix(t, []byte("WARC/")):
		return kindWARC
	case bytes.HasPrefix(t, []byte("{")):
		return kindJSONL
	case bytes.HasPrefix(t, []byte("<")):
		return kindHTML
	}
	return kindText
}

// countingReader adds what it reads to a shared counter.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// countReads wraps r so that its reads advance n, when n is set.
func countReads(r io.Reader, n *atomic.Int64) io.Reader {
	if n == nil {
		return r
	}
	return countingReader{r: r, n: n}
}
