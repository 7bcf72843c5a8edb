package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/repack/repack/corpus/sharedtest"
	"github.com/repack/repack/detector"
	"github.com/repack/repack/features/fixture"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runCLI runs the command line in-process with the given stdin and returns
// the exit code and both streams.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &stdout, stderr: &stderr}
	code := run(context.Background(), e, args)
	return code, stdout.String(), stderr.String()
}

const memberPage = "../../detector/testdata/member-page.html"

func TestScoreExitCodesAndFormats(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		args     []string
		stdin    string
		code     int
		out, err string
	}{
		{name: "example is flagged", args: []string{"score", "--example"}, code: exitFlagged, out: "REPACKAGED  probability"},
		{name: "authentic page", args: []string{"score", memberPage}, code: exitAuthentic, out: "AUTHENTIC  probability"},
		{name: "stdin, text", args: []string{"score", "--input-format", "text", "-"}, stdin: "A quiet story about a village fete.\nThe fete raised money for the church roof, organisers said on Sunday.", code: exitAuthentic, out: "AUTHENTIC"},
		{name: "missing file", args: []string{"score", "no/such/page.html"}, code: exitError, err: "no/such/page.html"},
		{name: "empty stdin", args: []string{"score", "-"}, code: exitError, err: "empty input"},
		{name: "bad flag value", args: []string{"score", "--format", "yaml", memberPage}, code: exitError, err: `--format "yaml"`},
		{name: "two pages", args: []string{"score", memberPage, memberPage}, code: exitError, err: "want exactly one"},
		{name: "flags after the page", args: []string{"score", memberPage, "--format", "json", "--explain=false"}, code: exitAuthentic, out: `"label": "authentic"`},
		{name: "flags on both sides", args: []string{"score", "--input-format", "html", memberPage, "--format", "json"}, code: exitAuthentic, out: `"label": "authentic"`},
		{name: "-- ends the flags", args: []string{"score", "--", "--format"}, code: exitError, err: "--format: no such file"},
		{name: "bad flag after the page", args: []string{"score", memberPage, "--no-such-flag"}, code: exitError, err: "flag provided but not defined: -no-such-flag"},
		{name: "unknown command", args: []string{"frobnicate"}, code: exitError, err: `unknown command "frobnicate"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := runCLI(t, tc.stdin, tc.args...)
			assert.Equal(t, tc.code, code, "stderr: %s", errOut)
			assert.Contains(t, out, tc.out)
			assert.Contains(t, errOut, tc.err)
		})
	}
}

func TestScoreOutputs(t *testing.T) {
	t.Parallel()
	// One line only.
	_, out, _ := runCLI(t, "", "score", "--explain=false", "--example")
	assert.Equal(t, 1, strings.Count(out, "\n"), out)

	// Piped: evidence in brackets, no escape codes; the table and evidence.
	_, out, _ = runCLI(t, "", "score", "--example")
	assert.NotContains(t, out, "\x1b[")
	assert.Contains(t, out, " pts ")
	assert.Contains(t, out, "Evidence:")
	assert.Contains(t, out, "PORTLAND,[Mintcove Digital Asset Institute] Maine (AP)")

	// JSON: the verdict object, whose reasons add up to the score.
	code, out, _ := runCLI(t, "", "score", "--format", "json", "--example")
	assert.Equal(t, exitFlagged, code)
	var v detector.Verdict
	require.NoError(t, json.Unmarshal([]byte(out), &v))
	assert.Equal(t, "repackaged", v.Label)
	sum := v.Intercept
	for _, r := range v.Reasons {
		sum += r.Contribution
	}
	assert.InDelta(t, v.Score, sum, 1e-12, "JSON round trip keeps the sum")
}

func TestScoreFetchesURLs(t *testing.T) {
	t.Parallel()
	page, err := os.ReadFile(memberPage)
	require.NoError(t, err)
	mux := http.NewServeMux()
	mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/page", http.StatusFound) })
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	mux.HandleFunc("/gone", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "gone", http.StatusGone) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	tests := []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"page", []string{"score", srv.URL + "/page"}, exitAuthentic, ""},
		{"redirect followed", []string{"score", srv.URL + "/moved"}, exitAuthentic, ""},
		{"redirect loop", []string{"score", srv.URL + "/loop"}, exitError, "redirects"},
		{"time out", []string{"score", "--timeout", "200ms", srv.URL + "/slow"}, exitError, "timed out"},
		{"HTTP error", []string{"score", srv.URL + "/gone"}, exitError, "410"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, _, errOut := runCLI(t, "", tc.args...)
			assert.Equal(t, tc.code, code, errOut)
			assert.Contains(t, errOut, tc.err)
			if tc.code == exitError {
				assert.Contains(t, errOut, srv.URL, "the error names the URL")
			}
		})
	}
}

func TestFeaturesJSON(t *testing.T) {
	t.Parallel()
	code, out, errOut := runCLI(t, "", "features", "--format", "json", memberPage)
	require.Equal(t, exitAuthentic, code, errOut)
	var got struct {
		Signals []struct {
			Name        string            `json:"name"`
			Value       float64           `json:"value"`
			Description string            `json:"description"`
			Evidence    []json.RawMessage `json:"evidence"`
		} `json:"signals"`
		Truncated *bool `json:"truncated"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.NotNil(t, got.Truncated)
	require.NotEmpty(t, got.Signals)
	for _, s := range got.Signals {
		assert.NotEmpty(t, s.Name)
		assert.NotEmpty(t, s.Description)
		assert.NotNil(t, s.Evidence, "evidence is [] rather than null")
	}
}

// TestTrainRefusesBadInput checks that training names what is wrong and
// where.
func TestTrainRefusesBadInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	require.NoError(t, os.MkdirAll(empty, 0o755))
	badLabel := filepath.Join(dir, "badlabel")
	require.NoError(t, os.MkdirAll(badLabel, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(badLabel, "a.txt"), []byte("Some text of a page."), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(badLabel, "a.json"), []byte(`{"label":"spamish"}`), 0o644))
	unlabelled := filepath.Join(dir, "unlabelled")
	require.NoError(t, os.MkdirAll(unlabelled, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(unlabelled, "b.txt"), []byte("Some text of a page."), 0o644))
	out := filepath.Join(dir, "model.json")
	tests := []struct {
		name string
		args []string
		err  string
	}{
		{"no output", []string{"train", "authentic:" + unlabelled}, "--out is required"},
		{"no input", []string{"train", "--out", out}, "no INPUT"},
		{"empty corpus", []string{"train", "--out", out, "authentic:" + empty}, "holds no documents"},
		{"unknown label", []string{"train", "--out", out, badLabel}, "spamish"},
		{"unlabelled record", []string{"train", "--out", out, unlabelled}, "has no label"},
		{"missing input", []string{"train", "--out", out, "authentic:" + filepath.Join(dir, "nowhere")}, "nowhere"},
		{"only one class", []string{"train", "--out", out, "authentic:" + unlabelled}, "no repackaged or injected"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, _, errOut := runCLI(t, "", tc.args...)
			assert.Equal(t, exitError, code)
			assert.Contains(t, errOut, tc.err)
		})
	}
	_, err := os.Stat(out)
	assert.True(t, os.IsNotExist(err), "no model written on error")
}

// synthData makes the repackager's output from its fixture pages in dir.
func synthData(t *testing.T, dir string) string {
	t.Helper()
	synth := filepath.Join(dir, "synth.jsonl.gz")
	code, _, errOut := runCLI(t, "", "synth", "--seed", "3", "--per-source", "2", "--hard-negatives", "--out", synth, synthFixtures)
	require.Equal(t, exitAuthentic, code, errOut)
	return synth
}

// TestTrainThenScore trains on pages we wrote (the repackager's fixtures
// and its output), then scores with the model file.
func TestTrainThenScore(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	synth := synthData(t, dir)
	model := filepath.Join(dir, "model.json")
	code, _, errOut := runCLI(t, "", "train", "--folds", "3", "--out", model, "authentic:"+synthFixtures, synth)
	require.Equal(t, exitAuthentic, code, errOut)
	assert.Contains(t, errOut, "wrote "+model)
	first, err := os.ReadFile(model)
	require.NoError(t, err)
	code, _, errOut = runCLI(t, "", "train", "--folds", "3", "--out", model, "authentic:"+synthFixtures, synth)
	require.Equal(t, exitAuthentic, code, errOut)
	second, err := os.ReadFile(model)
	require.NoError(t, err)
	assert.Equal(t, first, second, "same data and seed, same file")

	code, out, errOut := runCLI(t, "", "score", "--model", model, "--explain=false", "--example")
	assert.Contains(t, []int{exitAuthentic, exitFlagged}, code, errOut)
	m, err := detector.LoadModel(model)
	require.NoError(t, err)
	assert.Contains(t, out, m.Version)

	// A model of another format is refused, naming the file.
	old := filepath.Join(dir, "old.json")
	require.NoError(t, os.WriteFile(old, bytes.Replace(first, []byte(fmt.Sprintf(`"format_version": %d`, detector.FormatVersion)), []byte(`"format_version": 0`), 1), 0o644))
	code, _, errOut = runCLI(t, "", "score", "--model", old, "--example")
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, old)
}

// TestTrainAndEvalOnFeedback closes the feedback loop: reports that
// POST /v1/feedback wrote (the example page claimed authentic, with its
// page; a report without its page; the same report again) train a model,
// and eval shows what the retrained model makes of the reported page.
func TestTrainAndEvalOnFeedback(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	synth := synthData(t, dir)
	page, err := json.Marshal(string(detector.ExamplePage()))
	require.NoError(t, err)
	report := `{"received_at":"2026-12-05T10:00:00Z","url":"` + detector.ExampleURL + `","label_claimed":"authentic","verdict_label":"repackaged","html":` + string(page) + `}`
	feedback := filepath.Join(dir, "feedback.jsonl")
	require.NoError(t, os.WriteFile(feedback, []byte(report+"\n"+
		`{"received_at":"2026-12-05T10:01:00Z","url":"https://news.example/x","label_claimed":"repackaged","verdict_label":"authentic"}`+"\n"+
		report+"\n"), 0o600))

	model := filepath.Join(dir, "model.json")
	code, _, errOut := runCLI(t, "", "train", "--folds", "3", "--out", model, "authentic:"+synthFixtures, synth, "feedback:"+feedback)
	require.Equal(t, exitAuthentic, code, errOut)
	assert.Contains(t, errOut, "feedback "+feedback+": 3 reports: 1 pages to learn from, 1 without the page (skipped), 1 repeated")
	m, err := detector.LoadModel(model)
	require.NoError(t, err)
	assert.Contains(t, string(m.Training), `"feedback"`, "the model's training summary counts the feedback source")

	reportPath := filepath.Join(dir, "eval.md")
	code, _, errOut = runCLI(t, "", "eval", "--folds", "3", "--outer-folds", "3", "--hold-out", "", "--png", "", "--report", reportPath,
		"authentic:"+synthFixtures, synth, "feedback:"+feedback)
	require.Equal(t, exitAuthentic, code, errOut)
	md, err := os.ReadFile(reportPath)
	require.NoError(t, err)
	base, err := detector.DefaultModel()
	require.NoError(t, err)
	assert.Contains(t, string(md), "## Feedback: the reported pages")
	assert.Regexp(t, `\| feedback:`+regexp.QuoteMeta(feedback)+`:3 \| [^|]+ \| authentic \| repackaged \([0-9.]+\) \| `, string(md),
		"the example page, reported as authentic, was repackaged for the model it was reported against")
	assert.Contains(t, string(md), "before: "+base.Version)
	assert.Contains(t, string(md), "Weights that moved most")
}

// TestHelpAndDocsAgree checks that every flag of score and batch is
// documented: score's in the README, batch's in docs/batch.md.
func TestHelpAndDocsAgree(t *testing.T) {
	t.Parallel()
	flagRE := regexp.MustCompile(`(?m)^\s+-([a-z][a-z-]*)`)
	for _, tc := range []struct{ cmd, doc string }{{"score", "../../README.md"}, {"batch", "../../docs/batch.md"}} {
		_, _, help := runCLI(t, "", tc.cmd, "-h")
		doc, err := os.ReadFile(tc.doc)
		require.NoError(t, err)
		flags := flagRE.FindAllStringSubmatch(help, -1)
		require.NotEmpty(t, flags, "%s -h lists flags", tc.cmd)
		for _, f := range flags {
			if !strings.Contains(string(doc), "--"+f[1]) {
				t.Errorf("%s flag --%s is not documented in %s", tc.cmd, f[1], tc.doc)
			}
		}
	}
}

func TestTrainRefusesALabelFileWithoutItsPage(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "kept.txt"), []byte("A page of text for training."), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "lost.json"), []byte(`{"label":"repackaged","url":"https://x.example/1"}`), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "manifest.json"), []byte(`{"crawl":"2024-01"}`), 0o644))
	code, _, errOut := runCLI(t, "", "train", "--out", filepath.Join(dir, "m.json"), "authentic:"+dir)
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "lost.json")
	assert.Contains(t, errOut, "label file names a missing page")
	assert.NotContains(t, errOut, "manifest.json", "a JSON file without a label is not a label file")
}

// TestFeaturesDocIsCurrent regenerates docs/features.md as go generate
// does and compares: the catalogue, the default model's weights and the
// fire rates on the shared authentic corpora. It also checks that every
// feature's code file and fixture folder are where the doc links.
func TestFeaturesDocIsCurrent(t *testing.T) {
	t.Parallel()
	authentic := sharedtest.Dir(t, "corpus/authentic")
	extra := sharedtest.Dir(t, "corpus/authentic-extra")
	code, out, errOut := runCLI(t, "", "features", "--catalogue", "--format", "markdown", authentic, extra)
	require.Equal(t, exitAuthentic, code, errOut)
	fixture.Golden(t, "../../docs/features.md", []byte(out))

	code, out, errOut = runCLI(t, "", "features", "--catalogue", "--format", "json")
	require.Equal(t, exitAuthentic, code, errOut)
	var cat struct {
		Features []catalogueEntry `json:"features"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &cat))
	require.NotEmpty(t, cat.Features)
	for _, e := range cat.Features {
		assert.FileExists(t, filepath.Join(moduleRoot, e.Code), e.Name)
		assert.DirExists(t, filepath.Join(moduleRoot, e.Fixtures), e.Name)
		assert.NotEmpty(t, e.Weights, e.Name)
	}
}

func TestThresholdFlag(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		flag string
		code int
		out  string
		err  string
	}{
		{"the model's", "", exitFlagged, "REPACKAGED", ""},
		{"every head", "0.65", exitFlagged, "threshold 0.650  supporting features 0", ""},
		{"per head", "repackaged=0.7,injected=0.6", exitFlagged, "repackaged probability > 0.999  threshold 0.700", ""},
		{"not a probability", "repackaged=1.5", exitError, "", "threshold 1.5 for repackaged is not a probability"},
		{"unknown kind", "spam=0.5", exitError, "", `--threshold "spam=0.5"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := runCLI(t, "", "score", "--example", "--threshold", tt.flag)
			assert.Equal(t, tt.code, code, errOut)
			assert.Contains(t, out, tt.out)
			assert.Contains(t, errOut, tt.err)
		})
	}
}

func TestExitZero(t *testing.T) {
	t.Parallel()
	code, out, errOut := runCLI(t, "", "score", "--example", "--exit-zero", "--explain=false")
	assert.Equal(t, exitAuthentic, code, errOut)
	assert.Contains(t, out, "REPACKAGED", "the verdict is the same; only the exit code changes")
	code, _, errOut = runCLI(t, "", "score", "--exit-zero", "no/such/page.html")
	assert.Equal(t, exitError, code, "errors still exit 2: %s", errOut)
}

func TestColour(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		terminal bool
		vars     map[string]string
		flag     string
		want     bool
	}{
		{"a pipe", false, nil, "auto", false},
		{"a terminal", true, nil, "auto", true},
		{"NO_COLOR on a terminal", true, map[string]string{"NO_COLOR": "1"}, "auto", false},
		{"TERM=dumb on a terminal", true, map[string]string{"TERM": "dumb"}, "auto", false},
		{"always, in a pipe", false, map[string]string{"NO_COLOR": "1"}, "always", true},
		{"never, on a terminal", true, nil, "never", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, stdoutTerminal: tt.terminal,
				getenv: func(k string) string { return tt.vars[k] }}
			code := run(context.Background(), e, []string{"score", "--example", "--exit-zero", "--color", tt.flag})
			require.Equal(t, exitAuthentic, code, stderr.String())
			assert.Equal(t, tt.want, strings.Contains(stdout.String(), "\x1b["), "escape sequences in the output")
		})
	}
	code, _, errOut := runCLI(t, "", "score", "--example", "--color", "sometimes")
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, `--color "sometimes"`)
}

func TestVersion(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, out, errOut := runCLI(t, "", args...)
		require.Equal(t, exitAuthentic, code, errOut)
		m, err := detector.DefaultModel()
		require.NoError(t, err)
		assert.Contains(t, out, "model "+m.Version)
		assert.Contains(t, out, runtime.Version())
	}
	code, out, errOut := runCLI(t, "", "version", "--format", "json")
	require.Equal(t, exitAuthentic, code, errOut)
	var v versionInfo
	require.NoError(t, json.Unmarshal([]byte(out), &v))
	assert.Equal(t, detector.VerdictSchema, v.VerdictSchema)
	assert.Equal(t, detector.FormatVersion, v.ModelFormat)
}

// TestReasonsCarryWeight: the explain table lists as reasons only the
// features that fired and carry weight in the head, and names a fired
// feature of no weight apart; the verdict's top reasons (batch records)
// leave it out too.
func TestReasonsCarryWeight(t *testing.T) {
	t.Parallel()
	d, err := detector.NewDefault()
	require.NoError(t, err)
	a, err := d.Analyze(context.Background(), detector.Input{Body: detector.ExamplePage(), URL: detector.ExampleURL})
	require.NoError(t, err)
	for _, r := range a.Verdict.TopReasons(100) {
		assert.NotZero(t, r.Weight, "%s is a top reason without weight", r.Feature)
	}
	_, out, _ := runCLI(t, "", "score", "--example")
	for _, line := range strings.Split(out, "\n") {
		assert.False(t, strings.HasPrefix(line, "+0.000 ") || strings.HasPrefix(line, "-0.000 "), "a row without weight: %q", line)
	}
	if un := a.Verdict.Unweighed(); len(un) > 0 {
		assert.Contains(t, out, "Also fired, with no weight in the repackaged head: "+un[0].Feature)
	}
}

// TestScoreGivesUpOnASilentInput reads a page from a standard input that
// never sends anything, and interrupts the command as Ctrl-C does: it must
// return, naming the input, rather than wait for good.
func TestScoreGivesUpOnASilentInput(t *testing.T) {
	t.Parallel()
	r, w := io.Pipe()
	defer w.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr bytes.Buffer
	e := &env{stdin: r, stdout: &stdout, stderr: &stderr}
	done := make(chan int, 1)
	go func() { done <- run(ctx, e, []string{"score", "-"}) }()
	time.Sleep(100 * time.Millisecond)
	cancel()
	select {
	case code := <-done:
		assert.Equal(t, exitError, code)
		assert.Contains(t, stderr.String(), "read standard input: interrupted")
	case <-time.After(10 * time.Second):
		t.Fatal("score waits for a silent standard input after Ctrl-C")
	}
}

func TestScorePointsCollectionsToBatch(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct{ name, body, want string }{
		{"records.jsonl", `{"id":"a","html":"<p>x</p>"}` + "\n", "is a JSONL file, many pages: use repack batch"},
		{"crawl.dat", "WARC/1.1\r\nWARC-Type: warcinfo\r\n\r\n", "is a WARC file, many pages: use repack batch"},
		{"page.txt", `{"id":"a","html":"<p>x</p>"}` + "\n", "is a JSONL file"},
	}
	for _, tt := range tests {
		p := filepath.Join(dir, tt.name)
		require.NoError(t, os.WriteFile(p, []byte(tt.body), 0o644))
		code, _, errOut := runCLI(t, "", "score", p)
		assert.Equal(t, exitError, code, tt.name)
		assert.Contains(t, errOut, tt.want, tt.name)
	}
	code, _, errOut := runCLI(t, "", "score", "--input-format", "text", "-")
	assert.Equal(t, exitError, code, "empty stdin is still an error: %s", errOut)
}
