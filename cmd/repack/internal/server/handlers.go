package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"sort"
	"time"
	"unicode/utf8"

	"github.com/repack/repack/features/source"

	"github.com/repack/repack/detector"
	"github.com/repack/repack/features/page"
	"github.com/repack/repack/features/signal"
)

// scoreResponse is the answer of POST /v1/score and one result of
// POST /v1/batch.
type scoreResponse struct {
	// ClientToken echoes the request's client_token.
	ClientToken string           `json:"client_token,omitempty"`
	Verdict     detector.Verdict `json:"verdict"`
	// Format is what the page was read as: "html" or "text".
	Format string `json:"format"`
	// Text is the page's visible text: evidence with field "text" indexes
	// it with byte offsets.
	Text string `json:"text"`
	// HiddenText is the text a reader does not see: evidence with field
	// "hidden" indexes it.
	HiddenText string `json:"hidden_text"`
	// Highlights are the text and hidden-text evidence of every feature
	// that fired, with UTF-16 offsets too, for JavaScript strings.
	Highlights []highlight `json:"highlights"`
}

// highlight is one span to mark in Text (or HiddenText).
type highlight struct {
	Feature string `json:"feature"`
	// Field is "text" or "hidden".
	Field string `json:"field"`
	// Start and End are byte offsets [Start, End) into the field.
	Start int `json:"start"`
	End   int `json:"end"`
	// StartUTF16 and EndUTF16 are the same span in UTF-16 code units, as
	// JavaScript indexes strings.
	StartUTF16 int `json:"start_utf16"`
	EndUTF16   int `json:"end_utf16"`
	// Contribution is the feature's part in the verdict's score: positive
	// pushes towards the label, negative away.
	Contribution float64 `json:"contribution"`
	Text         string  `json:"text"`
	Path         string  `json:"path,omitempty"`
	Note         string  `json:"note,omitempty"`
}

// batchResponse is the answer of POST /v1/batch.
type batchResponse struct {
	// Model is the version of the model that scored every document.
	Model   string        `json:"model"`
	Results []batchResult `json:"results"`
}

// batchResult is one document's result: a score, or an error.
type batchResult struct {
	Index       int    `json:"index"`
	ClientToken string `json:"client_token,omitempty"`
	*scoreResponse
	Error *apiError `json:"error,omitempty"`
}

// detectorOrFail returns the detector in use, or writes 503 and nil.
func (s *Server) detectorOrFail(w http.ResponseWriter, r *http.Request) *detector.Detector {
	d := s.det.Load()
	if d == nil {
		s.fail(w, r, newError(http.StatusServiceUnavailable, codeNotReady, "no model is loaded yet"))
	}
	return d
}

func (s *Server) handleScore(w http.ResponseWriter, r *http.Request) {
	d := s.detectorOrFail(w, r)
	if d == nil {
		return
	}
	body, aerr := s.readBody(w, r, "/v1/score", s.cfg.MaxBodyBytes)
	if aerr != nil {
		s.fail(w, r, aerr)
		return
	}
	in, aerr := decodeScore(r.Header.Get("Content-Type"), r.Header, r.URL.Query(), body)
	if aerr != nil {
		s.fail(w, r, aerr)
		return
	}
	resp, aerr := s.score(r, d, in)
	if aerr != nil {
		s.fail(w, r, aerr)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

func (s *Server) handleBatch(w http.ResponseWriter, r *http.Request) {
	d := s.detectorOrFail(w, r)
	if d == nil {
		return
	}
	body, aerr := s.readBody(w, r, "/v1/batch", s.cfg.MaxBatchBodyBytes)
	if aerr != nil {
		s.fail(w, r, aerr)
		return
	}
	inputs, docErrs, aerr := decodeBatch(r.Header.Get("Content-Type"), body)
	if aerr != nil {
		s.fail(w, r, aerr)
		return
	}
	resp := batchResponse{Model: d.Model().Version, Results: make([]batchResult, len(inputs))}
	for i, in := range inputs {
		res := batchResult{Index: i, ClientToken: in.clientToken, Error: docErrs[i]}
		if res.Error == nil {
			res.scoreResponse, res.Error = s.score(r, d, in)
		}
		resp.Results[i] = res
	}
	writeJSON(w, http.StatusOK, resp)
}

// score analyses one page and builds its response.
func (s *Server) score(r *http.Request, d *detector.Detector, in pageInput) (*scoreResponse, *apiError) {
	info := infoOf(r)
	if info != nil && in.in.URL != "" {
		info.urls = append(info.urls, in.in.URL)
	}
	a, aerr := s.analyze(r.Context(), d, in.in)
	if aerr != nil {
		return nil, aerr
	}
	if info != nil {
		info.labels = append(info.labels, a.Verdict.Label)
	}
	return &scoreResponse{
		ClientToken: in.clientToken,
		Verdict:     a.Verdict,
		Format:      a.Page.Format.String(),
		Text:        a.Page.Text,
		HiddenText:  a.Page.HiddenText,
		Highlights:  highlights(a),
	}, nil
}

// analyze runs the detector on one page once a worker slot is free.
func (s *Server) analyze(ctx context.Context, d *detector.Detector, in detector.Input) (*detector.Analysis, *apiError) {
	start := time.Now()
	select {
	case s.workers <- struct{}{}:
	case <-ctx.Done():
		return nil, newError(http.StatusRequestTimeout, codeRequestTimeout, "the request was cancelled before its page was analysed")
	}
	defer func() { <-s.workers }()
	if s.beforeAnalyze != nil {
		s.beforeAnalyze(ctx)
	}
	ctx, cancel := detector.WithTimeLimit(ctx, s.cfg.DocTimeout)
	defer cancel()
	a, err := d.Analyze(ctx, in)
	var tle *detector.TimeLimitError
	s.metrics.scoreDuration.Observe(time.Since(start).Seconds())
	switch {
	case err == nil:
		s.metrics.pagesScored.WithLabelValues(a.Verdict.Label).Inc()
		return a, nil
	case errors.Is(err, page.ErrEmpty):
		return nil, newError(http.StatusBadRequest, codeEmptyPage, "the page is empty")
	case errors.Is(err, page.ErrBinary):
		return nil, newError(http.StatusBadRequest, codeBinaryContent, "the page is binary data, not HTML or text")
	case errors.As(err, &tle):
		return nil, newError(http.StatusUnprocessableEntity, codeTimeLimit, "the page was "+err.Error()+" (--doc-timeout)").with("limit_seconds", tle.Limit.Seconds())
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return nil, newError(http.StatusRequestTimeout, codeRequestTimeout, "the request was cancelled while its page was analysed")
	default:
		return nil, newError(http.StatusBadRequest, codeUnreadablePage, "the page cannot be read: "+err.Error())
	}
}

// readBody reads the request body up to limit bytes.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request, endpoint string, limit int64) ([]byte, *apiError) {
	tooLarge := func() *apiError {
		return newError(http.StatusRequestEntityTooLarge, codeTooLarge, "the body is over the server's limit").with("limit_bytes", limit)
	}
	info := infoOf(r)
	if info != nil && info.bodyRead {
		return info.body, nil
	}
	if r.ContentLength > limit {
		s.metrics.bodyBytes.WithLabelValues(endpoint).Observe(float64(limit))
		return nil, tooLarge()
	}
	var buf bytes.Buffer
	if r.ContentLength > 0 {
		buf.Grow(int(r.ContentLength) + 1)
	}
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, limit))
	n := int64(buf.Len())
	s.metrics.bodyBytes.WithLabelValues(endpoint).Observe(float64(n))
	if info != nil {
		info.bodyBytes = n
	}
	if err != nil {
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			return nil, tooLarge()
		case errors.Is(err, os.ErrDeadlineExceeded):
			return nil, newError(http.StatusRequestTimeout, codeRequestTimeout, "the body did not arrive within the server's read timeout")
		default:
			return nil, newError(http.StatusBadRequest, codeBadRequest, "reading the body: "+err.Error())
		}
	}
	return buf.Bytes(), nil
}

// highlights lists the text and hidden-text evidence of every reason
// that carries weight (detector.Reason.Weighed), and the spans the page
// inserted into an indexed original (feature inserted_spans, contribution
// 0: the model does not weigh them yet), ordered by field, then position,
// then feature name.
func highlights(a *detector.Analysis) []highlight {
	out := []highlight{}
	for _, rs := range a.Verdict.Reasons {
		if !rs.Weighed() {
			continue
		}
		for _, ev := range rs.Evidence {
			if ev.Field != signal.FieldText && ev.Field != signal.FieldHidden {
				continue
			}
			out = append(out, highlight{Feature: rs.Feature, Field: ev.Field, Start: ev.Start, End: ev.End,
				Contribution: rs.Contribution, Text: ev.Text, Path: ev.Path, Note: ev.Note})
		}
	}
	if src := a.Verdict.Source; src != nil {
		for _, ev := range src.Inserted {
			out = append(out, highlight{Feature: source.InsertedSpans.Name, Field: ev.Field, Start: ev.Start, End: ev.End, Text: ev.Text, Path: ev.Path, Note: ev.Note})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Field != b.Field {
			return a.Field > b.Field // "text" before "hidden"
		}
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		if a.End != b.End {
			return a.End < b.End
		}
		return a.Feature < b.Feature
	})
	setUTF16(out, signal.FieldText, a.Page.Text)
	setUTF16(out, signal.FieldHidden, a.Page.HiddenText)
	return out
}

// setUTF16 fills the UTF-16 offsets of the highlights on one field in one
// pass over its text. An offset inside a rune maps to the rune's start.
func setUTF16(hs []highlight, field, text string) {
	type ref struct {
		off int
		dst *int
	}
	var refs []ref
	for i := range hs {
		if hs[i].Field == field {
			refs = append(refs, ref{hs[i].Start, &hs[i].StartUTF16}, ref{hs[i].End, &hs[i].EndUTF16})
		}
	}
	sort.Slice(refs, func(i, j int) bool { return refs[i].off < refs[j].off })
	pos, units := 0, 0
	for _, rf := range refs {
		for pos < len(text) {
			r, size := utf8.DecodeRuneInString(text[pos:])
			if pos+size > rf.off {
				break
			}
			pos += size
			if r >= 0x10000 {
				units += 2
			} else {
				units++
			}
		}
		*rf.dst = units
	}
}

// featureInfo is one entry of GET /v1/features.
type featureInfo struct {
	Name        string        `json:"name"`
	Family      signal.Family `json:"family"`
	Description string        `json:"description"`
	Doc         string        `json:"doc"`
	// Weights are the model's weight for the feature in each head (on the
	// standardised value).
	Weights map[signal.Family]float64 `json:"weights"`
}

func (s *Server) handleFeatures(w http.ResponseWriter, r *http.Request) {
	d := s.detectorOrFail(w, r)
	if d == nil {
		return
	}
	weights := d.Model().FeatureWeights()
	list := d.Catalogue().Extractors()
	out := make([]featureInfo, len(list))
	for i, e := range list {
		out[i] = featureInfo{Name: e.Name, Family: e.Family, Description: e.Description(), Doc: e.Doc, Weights: weights[e.Name]}
	}
	writeJSON(w, http.StatusOK, struct {
		Model    string        `json:"model"`
		Features []featureInfo `json:"features"`
	}{d.Model().Version, out})
}

// modelInfo is the answer of GET /v1/model.
type modelInfo struct {
	Version       string          `json:"version"`
	Hash          string          `json:"hash"`
	FormatVersion int             `json:"format_version"`
	Features      []string        `json:"features"`
	Heads         []headInfo      `json:"heads"`
	Training      json.RawMessage `json:"training"`
	Metrics       json.RawMessage `json:"metrics"`
	// Index is the story index pages are looked up in, null for none.
	Index *detector.IndexInfo `json:"index"`
}

// headInfo summarises one head of the model.
type headInfo struct {
	Kind        signal.Family  `json:"kind"`
	Intercept   float64        `json:"intercept"`
	Threshold   float64        `json:"threshold"`
	Calibration detector.Platt `json:"calibration"`
	MinCues     int            `json:"min_cues"`
}

func (s *Server) handleModel(w http.ResponseWriter, r *http.Request) {
	d := s.detectorOrFail(w, r)
	if d == nil {
		return
	}
	m := d.Model()
	info := modelInfo{Version: m.Version, Hash: m.Hash, FormatVersion: m.FormatVersion, Features: m.Features,
		Training: m.Training, Metrics: m.Metrics, Heads: []headInfo{}, Index: detector.InfoOf(d.Index())}
	for _, h := range m.Heads {
		info.Heads = append(info.Heads, headInfo{Kind: h.Kind, Intercept: h.Intercept, Threshold: h.Threshold, Calibration: h.Calibration, MinCues: h.MinCues})
	}
	writeJSON(w, http.StatusOK, info)
}

func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	d := s.det.Load()
	switch {
	case s.draining.Load():
		s.fail(w, r, newError(http.StatusServiceUnavailable, codeNotReady, "shutting down"))
	case d == nil:
		s.fail(w, r, newError(http.StatusServiceUnavailable, codeNotReady, "no model is loaded yet"))
	default:
		writeJSON(w, http.StatusOK, map[string]string{"status": "ready", "model": d.Model().Version})
	}
}

func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) {
	s.metrics.exposition.ServeHTTP(w, r)
}

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = io.Copy(w, bytes.NewReader(openAPIDocument))
}
