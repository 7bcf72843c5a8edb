package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// errInterrupted is returned when SIGINT or SIGTERM ends a command.
var errInterrupted = errors.New("interrupted; no output file was written")

// writeFileAtomically writes a command's output file whole or not at all:
// into a temporary file beside path, renamed over path once write and
// the close succeed. On an error, on ctx's end (a signal) or on a kill, no
// partial file is left at path; a kill may leave the temporary file
// (".NAME.*.partial"), never a file that looks finished.
func writeFileAtomically(ctx context.Context, path string, write func(w io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".*.partial")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := write(&ctxWriter{ctx: ctx, w: f}); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return errInterrupted
	}
	if err := f.Chmod(0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// ctxWriter fails its writes once ctx is done, so that a long write stops
// at a signal.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c *ctxWriter) Write(p []byte) (int, error) {
	if c.ctx.Err() != nil {
		return 0, errInterrupted
	}
	return c.w.Write(p)
}

// interruptible runs work, a computation that does not watch ctx (a fit),
// and returns errInterrupted as soon as ctx ends: the process exits, and
// the abandoned work with it.
func interruptible[T any](ctx context.Context, work func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := work()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, errInterrupted
	}
}
