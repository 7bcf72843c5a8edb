package batch_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/repack/repack/cmd/repack/internal/batch"
)

func TestProgressBar(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		p    batch.Progress
		want []string
		not  []string
	}{
		{name: "known total", p: batch.Progress{Written: 500, BytesRead: 250, BytesTotal: 1000, Elapsed: 10 * time.Second},
			want: []string{"[######..................]  25%", "500 documents, 50.0/s", "ETA 30s"}},
		{name: "standard input", p: batch.Progress{Written: 40, Elapsed: 4 * time.Second},
			want: []string{"40 documents, 10.0/s"}, not: []string{"ETA", "%"}},
		{name: "skipped", p: batch.Progress{Written: 1, Skipped: 7, Elapsed: time.Second},
			want: []string{"(7 skipped)"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			bar := batch.NewProgressBar(&buf)
			bar.Update(tc.p)
			bar.Done()
			out := buf.String()
			assert.True(t, strings.HasPrefix(out, "\r"), "redraws in place")
			assert.True(t, strings.HasSuffix(out, "\n"), "Done ends the line")
			for _, w := range tc.want {
				assert.Contains(t, out, w)
			}
			for _, n := range tc.not {
				assert.NotContains(t, out, n)
			}
		})
	}
}

func TestProgressBarClearsALongerLine(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	bar := batch.NewProgressBar(&buf)
	bar.Update(batch.Progress{Written: 123456, Skipped: 99, Elapsed: time.Second})
	first := buf.Len()
	bar.Update(batch.Progress{Written: 1, Elapsed: time.Second})
	assert.Equal(t, first, buf.Len()-first, "the shorter line is padded over the longer one")
}
