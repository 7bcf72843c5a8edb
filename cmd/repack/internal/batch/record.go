package batch

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/repack/repack/features/signal"
)

// Record is the output for one input document. A document that could not
// be read or scored has Error set, an empty Label and no probability.
type Record struct {
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
var csvHeader = []string{"id", "source", "url", "label", "kind", "probability", "score", "model", "reasons", "error"}

// csvIDColumn and csvLabelColumn are where resume finds a record's id and
// label.
const (
	csvIDColumn    = 0
	csvLabelColumn = 3
)

// appendLine appends r as one line in format f, newline included. Every
// record is exactly one line: JSON escapes newlines, and CSV fields have
// theirs replaced by spaces, so that a file cut at a line end holds whole
// records only.
func appendLine(buf *bytes.Buffer, f Format, r Record) error {
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
	errText := ""
	if r.Error != nil {
		errText = *r.Error
	}
	return []string{r.ID, r.Source, r.URL, r.Label, strings.Join(r.Kind, ";"), num(r.Probability), num(r.Score),
		r.Model, strings.Join(reasons, ";"), errText}
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
