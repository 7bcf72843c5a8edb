// Package record is the public format of repack's per-page records: what
// `repack batch` writes for every input document (one JSONL line or CSV
// row), and what any other front end that scores crawls (the Beam
// pipeline, a service) must write alike. A record is built from a corpus
// document and its verdict, or from the error that left it without one.
package record

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/repack/repack/corpus"
	"github.com/repack/repack/detector"
	"github.com/repack/repack/features/signal"
)

// Schema is the version of the record format, which every record carries
// (docs/formats.md keeps the changelog): 2 added the version itself and
// lists only reasons that carry weight; 3 added the WARC location fields;
// 4 added index and source.
const Schema = 4

// Record is the output for one input document. A document that could not
// be read or scored has Error set, an empty Label and no probability.
type Record struct {
	// SchemaVersion is Schema.
	SchemaVersion int `json:"schema_version"`
	// ID names the document: the path relative to the input root for
	// files, "file#offset" for WARC records, the JSONL record's id.
	ID     string `json:"id"`
	Source string `json:"source"`
	URL    string `json:"url"`
	// Label is "authentic", "repackaged" or "injected"; "" on error.
	Label string `json:"label"`
	// Kind lists every kind of spam flagged.
	Kind        []string `json:"kind"`
	Probability *float64 `json:"probability"`
	Score       *float64 `json:"score"`
	// Model is the model's version.
	Model string `json:"model"`
	// Reasons are the top reasons by contribution.
	Reasons []Reason `json:"reasons"`
	// Error says why the document has no verdict; null when it has one.
	Error *string `json:"error"`
	// WARCFilename, WARCRecordOffset, WARCRecordLength and WARCRecordID
	// place a record read from a WARC file in it, as the columns of
	// Common Crawl's index do: the file (as the ID names it), the byte
	// range of the record's gzip member (of the record in a plain WARC)
	// and the WARC-Record-ID. Null for other inputs, and offset and
	// length null where the range is unknown (corpus.WARCLocation).
	WARCFilename     *string `json:"warc_filename"`
	WARCRecordOffset *int64  `json:"warc_record_offset"`
	WARCRecordLength *int64  `json:"warc_record_length"`
	WARCRecordID     *string `json:"warc_record_id"`
	// Index names the story index the document was looked up in
	// ("NAME@CHECKSUM"), null for none.
	Index *string `json:"index"`
	// Original is the indexed story the document copies, null for none.
	Original *Original `json:"original"`
}

// Original is the indexed story a document copies: its original, the share
// of it the document carries, whether the document dropped its credit,
// and the spans the document inserted into it (evidence into the
// document's text).
type Original struct {
	ID            string            `json:"id"`
	URL           string            `json:"url"`
	Containment   float64           `json:"containment"`
	CreditDropped bool              `json:"credit_dropped"`
	Inserted      []signal.Evidence `json:"inserted"`
}

// IndexName is how records name an index: "NAME@CHECKSUM".
func IndexName(info *detector.IndexInfo) *string {
	if info == nil {
		return nil
	}
	s := info.Name + "@" + info.Checksum
	return &s
}

// Reason is one feature's part in a record's score.
type Reason struct {
	Feature      string            `json:"feature"`
	Value        float64           `json:"value"`
	Contribution float64           `json:"contribution"`
	Evidence     []signal.Evidence `json:"evidence"`
}

// Format is an output format.
type Format string

// The output formats.
const (
	FormatJSONL Format = "jsonl"
	FormatCSV   Format = "csv"
)

// ParseFormat reads "jsonl" or "csv".
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(s)); f {
	case FormatJSONL, FormatCSV:
		return f, nil
	}
	return "", fmt.Errorf("unknown output format %q (want jsonl or csv)", s)
}

// csvHeader names the CSV columns.
var csvHeader = []string{"schema_version", "id", "source", "url", "label", "kind", "probability", "score", "model", "reasons", "error",
	"warc_filename", "warc_record_offset", "warc_record_length", "warc_record_id", "index", "original_url", "original_containment"}

// csvIDColumn and csvLabelColumn are where resume finds a record's id and
// label.
const (
	csvIDColumn    = 1
	csvLabelColumn = 4
)

// Append appends r as one line in format f, newline included. Every
// record is exactly one line: JSON escapes newlines, and CSV fields have
// theirs replaced by spaces, so that a file cut at a line end holds whole
// records only.
func Append(buf *bytes.Buffer, f Format, r Record) error {
	if f == FormatCSV {
		return appendCSV(buf, csvRow(r))
	}
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// csvRow flattens a record: kinds joined by ";", reasons as
// "feature:contribution" joined by ";".
func csvRow(r Record) []string {
	num := func(p *float64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatFloat(*p, 'g', -1, 64)
	}
	reasons := make([]string, len(r.Reasons))
	for i, x := range r.Reasons {
		reasons[i] = x.Feature + ":" + strconv.FormatFloat(x.Contribution, 'g', 6, 64)
	}
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	integer := func(p *int64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatInt(*p, 10)
	}
	srcURL, containment := "", ""
	if r.Original != nil {
		srcURL, containment = r.Original.URL, strconv.FormatFloat(r.Original.Containment, 'g', 6, 64)
	}
	return []string{strconv.Itoa(r.SchemaVersion), r.ID, r.Source, r.URL, r.Label, strings.Join(r.Kind, ";"), num(r.Probability), num(r.Score),
		r.Model, strings.Join(reasons, ";"), str(r.Error),
		str(r.WARCFilename), integer(r.WARCRecordOffset), integer(r.WARCRecordLength), str(r.WARCRecordID),
		str(r.Index), srcURL, containment}
}

// appendCSV appends one CSV row, with line breaks inside fields replaced.
func appendCSV(buf *bytes.Buffer, row []string) error {
	for i, f := range row {
		row[i] = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(f)
	}
	w := csv.NewWriter(buf)
	if err := w.Write(row); err != nil {
		return err
	}
	w.Flush()
	return w.Error()
}

// AppendHeader appends the header line of format f: the CSV column names,
// nothing for JSONL.
func AppendHeader(buf *bytes.Buffer, f Format) error {
	if f != FormatCSV {
		return nil
	}
	return appendCSV(buf, slices.Clone(csvHeader))
}

// ParseLine reads the id and label of one line of output in format f,
// without its line break. header says the line is the first of its file:
// for CSV it must then be the header, and has no id.
func ParseLine(line []byte, f Format, header bool) (id, label string, err error) {
	if f == FormatCSV {
		row, err := csv.NewReader(bytes.NewReader(line)).Read()
		if err != nil {
			return "", "", fmt.Errorf("not a CSV record: %w", err)
		}
		if header {
			if !slices.Equal(row, csvHeader) {
				return "", "", errors.New("not the header of a repack batch CSV")
			}
			return "", "", nil
		}
		if len(row) != len(csvHeader) {
			return "", "", fmt.Errorf("%d columns, want %d", len(row), len(csvHeader))
		}
		return row[csvIDColumn], row[csvLabelColumn], nil
	}
	return parseJSONLine(line)
}

// parseJSONLine reads the id and label of a JSONL record, refusing a line
// that is not a repack batch record of this schema: the record's first
// keys are schema_version, id, source, url and label, in that order, so
// they are read as tokens without decoding the reasons after them (a
// resume over millions of records reads only their heads).
func parseJSONLine(line []byte) (id, label string, err error) {
	notRecord := func(why string) (string, string, error) {
		return "", "", fmt.Errorf("not a repack batch JSONL record of schema %d (%s)", Schema, why)
	}
	if !bytes.HasSuffix(bytes.TrimSpace(line), []byte("}")) {
		return notRecord("the line does not end its object")
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	var ok bool
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return notRecord("not a JSON object")
	}
	for _, key := range []string{"schema_version", "id", "source", "url", "label"} {
		k, err := dec.Token()
		if err != nil || k != key {
			return notRecord(fmt.Sprintf("%q is not where it should be", key))
		}
		v, err := dec.Token()
		if err != nil {
			return notRecord(fmt.Sprintf("%q: %v", key, err))
		}
		switch key {
		case "schema_version":
			if n, ok := v.(json.Number); !ok || n.String() != strconv.Itoa(Schema) {
				return notRecord(fmt.Sprintf("schema_version %v", v))
			}
		case "id":
			if id, ok = v.(string); !ok {
				return notRecord("id is not a string")
			}
		case "label":
			if label, ok = v.(string); !ok {
				return notRecord("label is not a string")
			}
		}
	}
	return id, label, nil
}

// Failed returns the record of a document that has no verdict: it could
// not be read, or not scored, for the reason msg.
func Failed(d corpus.Document, model, msg string) Record {
	r := empty(d, model)
	r.Error = &msg
	return r
}

// Of returns the record of a scored document: its label, kinds,
// probability and score, and the first reasons (at most reasons) of the
// features that fired, with their evidence.
func Of(d corpus.Document, v detector.Verdict, reasons int) Record {
	r := empty(d, v.Model)
	r.Label = v.Label
	for _, k := range v.Kind {
		r.Kind = append(r.Kind, string(k))
	}
	p, s := v.Probability, v.Score
	r.Probability, r.Score = &p, &s
	for _, x := range v.TopReasons(reasons) {
		r.Reasons = append(r.Reasons, Reason{Feature: x.Feature, Value: x.Value, Contribution: x.Contribution, Evidence: x.Evidence})
	}
	r.Index = IndexName(v.Index)
	if s := v.Source; s != nil {
		r.Original = &Original{ID: s.ID, URL: s.URL, Containment: s.Containment, CreditDropped: s.CreditDropped, Inserted: s.Inserted}
	}
	return r
}

// Score analyses one document with det and returns its record, and
// whether it was flagged. A document that could not be read, that takes
// longer than limit (0: no limit), or whose analysis fails or panics gets
// an error record naming the cause, so that one odd page cannot end a run
// over a crawl. Every front end that writes records scores through it.
func Score(ctx context.Context, det *detector.Detector, d corpus.Document, reasons int, limit time.Duration) (Record, bool) {
	model := det.Model().Version
	failed := func(msg string) Record {
		r := Failed(d, model, msg)
		r.Index = IndexName(detector.InfoOf(det.Index()))
		return r
	}
	if d.Err != nil {
		return failed(d.Err.Error()), false
	}
	dctx, cancel := detector.WithTimeLimit(ctx, limit)
	defer cancel()
	a, err := analyze(dctx, det, detector.InputOf(d))
	var tle *detector.TimeLimitError
	if errors.As(err, &tle) {
		return failed(fmt.Sprintf("score %s: %v (--doc-timeout)", d.ID, err)), false
	}
	if err != nil {
		return failed(fmt.Sprintf("score %s: %v", d.ID, err)), false
	}
	return Of(d, a.Verdict, reasons), a.Verdict.Flagged()
}

// analyze scores one input, turning a panic in the feature code into an
// error for this document alone.
func analyze(ctx context.Context, det *detector.Detector, in detector.Input) (a *detector.Analysis, err error) {
	defer func() {
		if r := recover(); r != nil {
			a, err = nil, fmt.Errorf("internal error (panic): %v", r)
		}
	}()
	return det.Analyze(ctx, in)
}

func empty(d corpus.Document, model string) Record {
	r := Record{SchemaVersion: Schema, ID: d.ID, Source: d.Source, URL: d.URL, Kind: []string{}, Model: model, Reasons: []Reason{}}
	if w := d.WARC; w != nil {
		r.WARCFilename = &w.Filename
		if w.Offset >= 0 {
			r.WARCRecordOffset = &w.Offset
		}
		if w.Length >= 0 {
			r.WARCRecordLength = &w.Length
		}
		if w.RecordID != "" {
			r.WARCRecordID = &w.RecordID
		}
	}
	return r
}
