package server

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFeedbackIsAppendedWithATimestamp(t *testing.T) {
	t.Parallel()
	const reports = 24
	path := filepath.Join(t.TempDir(), "feedback.jsonl")
	s := newTestServer(t, func(c *Config) { c.FeedbackPath = path; c.MaxInflight = reports })

	var wg sync.WaitGroup
	for i := 0; i < reports; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := map[string]string{"url": fmt.Sprintf("https://example.org/story/%d", i), "label_claimed": "authentic",
				"verdict_model": "test-1", "verdict_label": "repackaged", "comment": "a real wire story, credited", "client_token": fmt.Sprint(i)}
			if i == 0 {
				body["text"] = "The page as the reader saw it."
			}
			rec := call(t, s.Handler(), "POST", "/v1/feedback", "application/json", jsonBody(t, body), nil)
			assert.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		}()
	}
	wg.Wait()

	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var rec map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &rec), "each line is one JSON record: %s", sc.Text())
		ts, err := time.Parse(time.RFC3339Nano, rec["received_at"].(string))
		require.NoError(t, err)
		assert.WithinDuration(t, time.Now(), ts, time.Hour)
		assert.Equal(t, "authentic", rec["label_claimed"])
		assert.Equal(t, "test-1", rec["verdict_model"])
		token := rec["client_token"].(string)
		seen[token] = true
		if token == "0" {
			assert.Equal(t, "The page as the reader saw it.", rec["text"])
		} else {
			assert.NotContains(t, rec, "text", "no page content unless the reporter sends it")
		}
	}
	require.NoError(t, sc.Err())
	assert.Len(t, seen, reports, "every report is one whole line")
}

func TestFeedbackErrors(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "feedback.jsonl")
	s := newTestServer(t, func(c *Config) { c.FeedbackPath = path })
	checkErrorCases(t, s.Handler(), "POST", "/v1/feedback", []errorCase{
		{"bad label", "application/json", `{"url":"https://example.org/a","label_claimed":"spam"}`, 400, codeBadRequest},
		{"no label", "application/json", `{"url":"https://example.org/a"}`, 400, codeBadRequest},
		{"bad verdict label", "application/json", `{"url":"https://example.org/a","label_claimed":"authentic","verdict_label":"x"}`, 400, codeBadRequest},
		{"no url and no page", "application/json", `{"label_claimed":"authentic"}`, 400, codeBadRequest},
		{"relative url", "application/json", `{"url":"/a","label_claimed":"authentic"}`, 400, codeBadURL},
		{"comment too long", "application/json", `{"url":"https://example.org/a","label_claimed":"authentic","comment":"` + strings.Repeat("x", maxCommentBytes+1) + `"}`, 400, codeBadRequest},
		{"html and text", "application/json", `{"label_claimed":"injected","html":"<p>x</p>","text":"x"}`, 400, codeAmbiguousPage},
		{"unknown field", "application/json", `{"url":"https://example.org/a","label_claimed":"authentic","labl":"x"}`, 400, codeBadJSON},
		{"server field", "application/json", `{"url":"https://example.org/a","label_claimed":"authentic","received_at":"2020-01-01T00:00:00Z"}`, 400, codeBadRequest},
		{"invalid JSON", "application/json", `{"url":`, 400, codeBadJSON},
		{"form body", "application/x-www-form-urlencoded", `url=x`, 415, codeUnsupportedType},
	})
	t.Run("nothing written for refused reports", func(t *testing.T) {
		t.Parallel()
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.NotContains(t, string(b), "spam")
	})
}

func TestFeedbackDisabledWithoutFile(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, nil)
	rec := call(t, s.Handler(), "POST", "/v1/feedback", "application/json", strings.NewReader(`{"url":"https://example.org/a","label_claimed":"authentic"}`), nil)
	assert.Equal(t, http.StatusNotFound, rec.Code)
	assert.Equal(t, codeFeedbackDisabled, errorOf(t, rec).Code)
}

func TestFeedbackFileMustBeWritable(t *testing.T) {
	t.Parallel()
	_, err := New(Config{FeedbackPath: filepath.Join(t.TempDir(), "no-such-dir", "feedback.jsonl")})
	assert.ErrorContains(t, err, "feedback file")
}

func TestFeedbackWriteFailureIsA500(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "feedback.jsonl")
	s := newTestServer(t, func(c *Config) { c.FeedbackPath = path })
	// The file is replaced by a directory after the start: appends fail.
	require.NoError(t, os.Remove(path))
	require.NoError(t, os.Mkdir(path, 0o700))
	rec := call(t, s.Handler(), "POST", "/v1/feedback", "application/json", strings.NewReader(`{"url":"https://example.org/a","label_claimed":"authentic"}`), nil)
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.Equal(t, codeFeedbackWriteFail, errorOf(t, rec).Code)
}

// diskFullFile writes the first room bytes to its file and then fails,
// as a write does when the disk fills mid-line.
type diskFullFile struct {
	*os.File
	room int
}

func (d *diskFullFile) Write(p []byte) (int, error) {
	n := min(len(p), d.room)
	d.room -= n
	if _, err := d.File.Write(p[:n]); err != nil {
		return 0, err
	}
	if n < len(p) {
		return n, errors.New("no space left on device")
	}
	return n, nil
}

func TestFailedFeedbackAppendLeavesNoTornLine(t *testing.T) {
	t.Parallel()
	p := filepath.Join(t.TempDir(), "feedback.jsonl")
	require.NoError(t, os.WriteFile(p, []byte(`{"label_claimed":"authentic"}`+"\n"), 0o600))
	f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	err = appendLine(&diskFullFile{File: f, room: 7}, []byte(`{"label_claimed":"repackaged"}`+"\n"))
	require.Error(t, err)
	require.NoError(t, appendLine(f, []byte(`{"label_claimed":"injected"}`+"\n")), "the disk has room again")
	require.NoError(t, f.Close())
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	assert.Equal(t, `{"label_claimed":"authentic"}`+"\n"+`{"label_claimed":"injected"}`+"\n", string(b), "the torn line was cut off, not glued to the next report")
}
