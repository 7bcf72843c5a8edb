package corpus

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"

	"github.com/klauspost/compress/gzip"
)

// jsonlKeys are the keys of a JSONL record that map to Document fields.
var jsonlKeys = map[string]bool{"id": true, "url": true, "html": true, "text": true,
	"label": true, "source": true, "group": true}

// ReadJSONL streams the documents of a JSONL stream (gzip or not: the
// gzip magic decides), one record a line:
// {"id","url","html"|"text","label","source","group","meta"}. name is how
// IDs and errors name the stream: a record without an id gets
// "name:LINE". A line that is not a record is yielded with Err set.
func ReadJSONL(ctx context.Context, r io.Reader, name string, opts Options) iter.Seq[Document] {
	return readJSONLStream(ctx, r, name, name, opts)
}

func readJSONLStream(ctx context.Context, r io.Reader, name, origin string, opts Options) iter.Seq[Document] {
	return func(yield func(Document) bool) {
		zr, closeR, err := maybeGunzip(r)
		if err != nil {
			yield(errorDoc(name, origin, opts, err))
			return
		}
		defer closeR()
		br := bufio.NewReaderSize(zr, 256<<10)
		// A line may hold a body escaped as JSON: up to 6 bytes a byte
		// for control characters, but twice the body cap is ample for
		// pages.
		maxLine := 2*opts.maxBody() + 1<<20
		records := 0
		for line := 1; ; line++ {
			if ctx.Err() != nil {
				return
			}
			b, tooLong, err := readLine(br, maxLine)
			lineID := name + ":" + strconv.Itoa(line)
			if len(bytes.TrimSpace(b)) == 0 && !tooLong {
				if err != nil {
					if !errors.Is(err, io.EOF) {
						yield(lineErr(lineID, origin+":"+strconv.Itoa(line), opts, err))
						return
					}
					if records == 0 {
						// A file with no record (empty, or blank lines
						// only): one error record says so, so that the file
						// is not silently dropped.
						yield(errorDoc(name, origin, opts, errors.New("empty file (no records)")))
					}
					return
				}
				continue
			}
			records++
			var d Document
			switch {
			case tooLong:
				d = lineErr(lineID, origin+":"+strconv.Itoa(line), opts, fmt.Errorf("line longer than %d bytes", maxLine))
			case err != nil && !errors.Is(err, io.EOF):
				// A stream cut inside a line (a truncated gzip): the part
				// read is no record.
				d = lineErr(lineID, origin+":"+strconv.Itoa(line), opts, err)
			default:
				d = parseJSONLRecord(b, lineID, origin+":"+strconv.Itoa(line), opts)
			}
			if !yield(d) {
				return
			}
			if err != nil {
				return
			}
		}
	}
}

// lineErr is the record yielded for a JSONL line that cannot be read.
func lineErr(id, origin string, opts Options, err error) Document {
	return Document{ID: id, Origin: origin, Label: opts.DefaultLabel, Source: opts.DefaultSource,
		Err: fmt.Errorf("read %s: %w", id, err)}
}

// readLine reads one line without its newline, at most maxBytes of it: a
// longer line is discarded up to its end and reported tooLong.
func readLine(br *bufio.Reader, maxBytes int64) (line []byte, tooLong bool, err error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if int64(len(buf)+len(chunk)) > maxBytes {
				tooLong, buf = true, nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimSuffix(buf, []byte("\n")), tooLong, err
	}
}

// decodeKnownKeys decodes only the values of the keys that map to Document
// fields (and the Content-Type a record may carry); the others (meta) are
// scanned, never built: a record with
// millions of meta keys costs its line, not a map of them.
func decodeKnownKeys(b []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		if err == nil {
			err = fmt.Errorf("%v", t)
		}
		return nil, fmt.Errorf("not a JSON object: %w", err)
	}
	fields := make(map[string]any, len(jsonlKeys))
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("not a JSON object: %w", err)
		}
		k, _ := t.(string)
		if !jsonlKeys[k] && k != MetaContentType {
			var skip skipValue
			if err := dec.Decode(&skip); err != nil {
				return nil, fmt.Errorf("%q: %w", k, err)
			}
			continue
		}
		var x any
		if err := dec.Decode(&x); err != nil {
			return nil, fmt.Errorf("%q: %w", k, err)
		}
		fields[k] = x
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("not a JSON object: %w", err)
	}
	if dec.More() {
		return nil, errors.New("not one JSON object: data after the object")
	}
	return fields, nil
}

// skipValue takes any JSON value and keeps nothing of it.
type skipValue struct{}

func (*skipValue) UnmarshalJSON([]byte) error { return nil }

// parseJSONLRecord reads one JSONL line into a document.
func parseJSONLRecord(b []byte, lineID, origin string, opts Options) Document {
	d := Document{ID: lineID, Origin: origin, Label: opts.DefaultLabel, Source: opts.DefaultSource}
	fail := func(err error) Document {
		return lineErr(lineID, origin, opts, err)
	}
	decode := decodeObject
	if opts.SkipMeta {
		decode = decodeKnownKeys
	}
	fields, err := decode(b)
	if err != nil {
		return fail(err)
	}
	if v, ok := fields["id"]; ok {
		id, err := idField(v)
		if err != nil {
			return fail(fmt.Errorf("%q: %w", "id", err))
		}
		if id != "" {
			d.ID = id
		}
	}
	failID := func(err error) Document {
		e := lineErr(d.ID, origin, opts, err)
		e.Err = fmt.Errorf("read %s (%s): %w", d.ID, lineID, err)
		return e
	}
	if err := applyFields(&d, fields, jsonlKeys); err != nil {
		return failID(err)
	}
	html, hasHTML := fields["html"]
	text, hasText := fields["text"]
	var body string
	switch {
	case hasHTML:
		d.Format = FormatHTML
		body, err = stringField(html)
		if err != nil {
			return failID(fmt.Errorf("%q: %w", "html", err))
		}
	case hasText:
		d.Format = FormatText
		body, err = stringField(text)
		if err != nil {
			return failID(fmt.Errorf("%q: %w", "text", err))
		}
	default:
		return failID(errors.New(`record has neither "html" nor "text"`))
	}
	if int64(len(body)) > opts.maxBody() {
		return failID(fmt.Errorf("body is larger than the %d-byte cap", opts.maxBody()))
	}
	d.Body = []byte(body)
	if opts.Format != FormatAuto {
		d.Format = opts.Format
	}
	return d
}

// idField reads a record id: a string, or a number kept as written.
func idField(v any) (string, error) {
	if n, ok := v.(json.Number); ok {
		return n.String(), nil
	}
	return stringField(v)
}

// JSONLWriter writes documents as JSONL records that ReadJSONL reads back:
// {"id","url","html"|"text","label","source","group","meta"}, "text" for
// text documents and "html" otherwise.
type JSONLWriter struct {
	w   *bufio.Writer
	gz  *gzip.Writer
	buf bytes.Buffer
}

// NewJSONLWriter returns a writer of JSONL to w, gzip-compressed when
// gzipped is set. Close flushes it.
func NewJSONLWriter(w io.Writer, gzipped bool) *JSONLWriter {
	jw := &JSONLWriter{}
	if gzipped {
		jw.gz = gzip.NewWriter(w)
		w = jw.gz
	}
	jw.w = bufio.NewWriterSize(w, 256<<10)
	return jw
}

// jsonlRecord is the JSON shape of one document; Body goes to HTML or Text.
type jsonlRecord struct {
	ID     string         `json:"id"`
	URL    string         `json:"url,omitempty"`
	HTML   *string        `json:"html,omitempty"`
	Text   *string        `json:"text,omitempty"`
	Label  Label          `json:"label,omitempty"`
	Source string         `json:"source,omitempty"`
	Group  string         `json:"group,omitempty"`
	Meta   map[string]any `json:"meta,omitempty"`
}

// Write writes one document as one line. A document with Err set is
// refused: there is no body to write.
func (jw *JSONLWriter) Write(d Document) error {
	if d.Err != nil {
		return fmt.Errorf("write %s: document has a read error: %w", d.ID, d.Err)
	}
	rec := jsonlRecord{ID: d.ID, URL: d.URL, Label: d.Label, Source: d.Source, Group: d.Group, Meta: d.Meta}
	body := string(d.Body)
	if d.Format == FormatText {
		rec.Text = &body
	} else {
		rec.HTML = &body
	}
	jw.buf.Reset()
	enc := json.NewEncoder(&jw.buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rec); err != nil {
		return fmt.Errorf("write %s: %w", d.ID, err)
	}
	if _, err := jw.w.Write(jw.buf.Bytes()); err != nil {
		return fmt.Errorf("write %s: %w", d.ID, err)
	}
	return nil
}

// Close flushes what is buffered and ends the gzip stream; it does not
// close the underlying writer.
func (jw *JSONLWriter) Close() error {
	if err := jw.w.Flush(); err != nil {
		return err
	}
	if jw.gz != nil {
		return jw.gz.Close()
	}
	return nil
}
