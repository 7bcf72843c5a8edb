package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/repack/repack/corpus"
	"github.com/repack/repack/features/page"
)

// maxInputBytes caps what is read from a file or stdin for one page; the
// page model caps what it analyses at page.DefaultMaxBytes.
const maxInputBytes = 64 << 20

// readPageArg reads the page named on the command line: a file, or "-" for
// standard input. The read gives up when ctx is done (Ctrl-C, SIGTERM):
// a named pipe with no writer or a silent standard input must not hold
// the process. A JSONL or WARC file is refused with a pointer to batch.
func readPageArg(ctx context.Context, e *env, arg string) ([]byte, error) {
	type read struct {
		b   []byte
		err error
	}
	done := make(chan read, 1)
	go func() {
		b, err := readPageArgNow(e, arg)
		done <- read{b, err}
	}()
	select {
	case r := <-done:
		return r.b, r.err
	case <-ctx.Done():
		return nil, fmt.Errorf("read %s: interrupted", nameOf(arg))
	}
}

func nameOf(arg string) string {
	if arg == "-" {
		return "standard input"
	}
	return arg
}

func readPageArgNow(e *env, arg string) ([]byte, error) {
	var r io.Reader
	if arg == "-" {
		r = e.stdin
	} else {
		f, err := os.Open(arg)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil && fi.IsDir() {
			return nil, fmt.Errorf("%s is a directory; use repack batch for directories", arg)
		}
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, maxInputBytes))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", nameOf(arg), err)
	}
	if what, ok := corpus.Collection(arg, b); ok {
		return nil, fmt.Errorf("%s is %s, many pages: use repack batch %s", nameOf(arg), what, arg)
	}
	return b, nil
}

// inputFormatFlag parses --input-format.
func inputFormatFlag(s string) (page.Format, error) {
	f, ok := page.ParseFormat(s)
	if !ok {
		return 0, usageError{fmt.Sprintf("--input-format %q: want auto, html or text", s)}
	}
	return f, nil
}

// withTextHeader strips the header a saved text capture opens with
// (corpus.TextHeader: "url: ...", "kind: ...", an empty line), as batch
// does, and returns the page after it and the header's URL when pageURL
// (the --url flag) is empty. A page without such a header is returned as
// it is.
func withTextHeader(body []byte, pageURL string) ([]byte, string) {
	u, _, rest, ok := corpus.TextHeader(body)
	if !ok {
		return body, pageURL
	}
	if pageURL == "" {
		pageURL = u
	}
	return rest, pageURL
}
