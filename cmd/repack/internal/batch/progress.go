package batch

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// ProgressBar draws a one-line progress report on a terminal: documents
// written, rate, share of the input bytes read and the time left. It is a
// few lines of our own rather than a library because the total is known
// in input bytes (WARC and JSONL hold an unknown number of documents),
// not in documents.
type ProgressBar struct {
	w     io.Writer
	width int
}

// NewProgressBar returns a progress bar drawn on w (a terminal).
func NewProgressBar(w io.Writer) *ProgressBar { return &ProgressBar{w: w} }

// Update redraws the bar.
func (b *ProgressBar) Update(p Progress) {
	secs := p.Elapsed.Seconds()
	rate := 0.0
	if secs > 0 {
		rate = float64(p.Written) / secs
	}
	line := fmt.Sprintf("%d documents, %.1f/s", p.Written, rate)
	if p.Skipped > 0 {
		line += fmt.Sprintf(" (%d skipped)", p.Skipped)
	}
	if p.BytesTotal > 0 && p.BytesRead > 0 {
		frac := min(float64(p.BytesRead)/float64(p.BytesTotal), 1)
		const cells = 24
		full := int(frac * cells)
		bar := make([]byte, cells)
		for i := range bar {
			bar[i] = '.'
			if i < full {
				bar[i] = '#'
			}
		}
		line = fmt.Sprintf("[%s] %3.0f%%  %s", bar, 100*frac, line)
		if frac > 0.001 && frac < 1 {
			left := time.Duration(secs * (1 - frac) / frac * float64(time.Second))
			line += "  ETA " + left.Round(time.Second).String()
		}
	}
	pad := ""
	if len(line) < b.width {
		pad = fmt.Sprintf("%*s", b.width-len(line), "")
	}
	b.width = len(line)
	fmt.Fprintf(b.w, "\r%s%s", line, pad)
}

// Done ends the bar's line.
func (b *ProgressBar) Done() {
	if b.width > 0 {
		fmt.Fprintln(b.w)
	}
}

// inputBytes adds up the sizes of the input files, for the progress bar's
// share and ETA; standard input counts 0.
func inputBytes(inputs []string) int64 {
	var total int64
	for _, in := range inputs {
		if in == "-" {
			continue
		}
		_ = filepath.Walk(in, func(_ string, fi os.FileInfo, err error) error {
			if err == nil && fi.Mode().IsRegular() {
				total += fi.Size()
			}
			return nil
		})
	}
	return total
}
