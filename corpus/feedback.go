package corpus

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
)

// Feedback is one line of a feedback file: a person's report that a
// verdict was wrong, as `repack serve` appends it for POST /v1/feedback.
// The page (HTML or Text) is there only when the client chose to send it.
type Feedback struct {
	// ReceivedAt is when the server wrote the record, RFC 3339 in UTC.
	ReceivedAt   string  `json:"received_at,omitempty"`
	URL          string  `json:"url,omitempty"`
	LabelClaimed string  `json:"label_claimed"`
	VerdictModel string  `json:"verdict_model,omitempty"`
	VerdictLabel string  `json:"verdict_label,omitempty"`
	Comment      string  `json:"comment,omitempty"`
	ClientToken  string  `json:"client_token,omitempty"`
	HTML         *string `json:"html,omitempty"`
	Text         *string `json:"text,omitempty"`
}

// FeedbackSource is the Source of the documents made from feedback.
const FeedbackSource = "feedback"

// FeedbackMeta is the Meta key under which a feedback document keeps what
// the report said: the verdict it contested and when it came.
const FeedbackMeta = "feedback"

// FeedbackSummary says what a feedback file held.
type FeedbackSummary struct {
	// Reports is the number of records.
	Reports int
	// Pages is the number of documents made: reports that carry the page,
	// one per distinct page and claim.
	Pages int
	// WithoutPage counts the reports that carry no page: they cannot be
	// trained on (the server stores a page only when the client sends it).
	WithoutPage int
	// Repeated counts reports of a page and claim already reported; the
	// latest report is kept.
	Repeated int
}

// ReadFeedback reads a feedback file into labelled documents: each report
// that carries the page becomes a document labelled with the claimed label,
// Source FeedbackSource, and id "feedback:FILE:LINE". The same page
// reported twice with the same claim is one document (the latest report).
// A line that is not a report, or claims no known label, is an error
// naming the file and line: a feedback file is small and should be
// clean before it trains a model.
func ReadFeedback(path string, opts Options) ([]Document, FeedbackSummary, error) {
	var sum FeedbackSummary
	f, err := os.Open(path)
	if err != nil {
		return nil, sum, fmt.Errorf("feedback file: %w", err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 256<<10)
	maxLine := 2*opts.maxBody() + 1<<20
	var docs []Document
	seen := map[string]int{} // page and claim -> index in docs
	for line := 1; ; line++ {
		b, tooLong, rerr := readLine(br, maxLine)
		where := path + ":" + strconv.Itoa(line)
		if rerr != nil && !errors.Is(rerr, io.EOF) {
			return nil, sum, fmt.Errorf("feedback %s: %w", where, rerr)
		}
		if tooLong {
			return nil, sum, fmt.Errorf("feedback %s: line longer than %d bytes", where, maxLine)
		}
		if len(bytes.TrimSpace(b)) > 0 {
			d, ok, err := feedbackDocument(b, where)
			if err != nil {
				return nil, sum, err
			}
			sum.Reports++
			switch {
			case !ok:
				sum.WithoutPage++
			default:
				key := string(d.Label) + "\x00" + d.Meta[FeedbackMeta].(map[string]any)["page_sha256"].(string)
				if i, dup := seen[key]; dup {
					sum.Repeated++
					docs[i] = d
				} else {
					seen[key] = len(docs)
					docs = append(docs, d)
				}
			}
		}
		if rerr != nil {
			break
		}
	}
	sum.Pages = len(docs)
	return docs, sum, nil
}

// feedbackDocument turns one report into a document; ok is false when the
// report carries no page.
func feedbackDocument(b []byte, where string) (Document, bool, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	var fb Feedback
	if err := dec.Decode(&fb); err != nil {
		return Document{}, false, fmt.Errorf("feedback %s: not a report: %w", where, err)
	}
	label, err := ParseLabel(fb.LabelClaimed)
	if err != nil || label == Unlabelled {
		return Document{}, false, fmt.Errorf("feedback %s: label_claimed %q: want authentic, repackaged or injected", where, fb.LabelClaimed)
	}
	var body []byte
	var format Format
	switch {
	case fb.HTML != nil && fb.Text != nil:
		return Document{}, false, fmt.Errorf("feedback %s: both html and text", where)
	case fb.HTML != nil:
		body, format = []byte(*fb.HTML), FormatHTML
	case fb.Text != nil:
		body, format = []byte(*fb.Text), FormatText
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return Document{}, false, nil
	}
	sum := sha256.Sum256(body)
	meta := map[string]any{
		"received_at":   fb.ReceivedAt,
		"verdict_label": fb.VerdictLabel,
		"verdict_model": fb.VerdictModel,
		"page_sha256":   hex.EncodeToString(sum[:]),
	}
	return Document{ID: "feedback:" + where, URL: fb.URL, Source: FeedbackSource, Label: label, Format: format,
		Body: body, Origin: where, Meta: map[string]any{FeedbackMeta: meta}}, true, nil
}
