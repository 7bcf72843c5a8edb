package main

import (
	"fmt"
	"io"
	"os"

	"github.com/repack/repack/features/page"
)

// maxInputBytes caps what is read from a file or stdin for one page; the
// page model caps what it analyses at page.DefaultMaxBytes.
const maxInputBytes = 64 << 20

// readPageArg reads the page named on the command line: a file, or "-" for
// standard input.
func readPageArg(e *env, arg string) ([]byte, error) {
	var r io.Reader
	name := arg
	if arg == "-" {
		r = e.stdin
		name = "standard input"
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
		return nil, fmt.Errorf("read %s: %w", name, err)
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
