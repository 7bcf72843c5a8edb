package main

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteFileAtomically(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		cancel  bool
		write   func(w io.Writer) error
		wantErr string
	}{
		{"whole", false, func(w io.Writer) error { _, err := w.Write([]byte("all of it")); return err }, ""},
		{"the writer fails", false, func(w io.Writer) error {
			_, _ = w.Write([]byte("half"))
			return errors.New("encoder broke")
		}, "encoder broke"},
		{"a signal mid-write", true, func(w io.Writer) error {
			_, err := w.Write([]byte("half"))
			return err
		}, "interrupted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path := filepath.Join(dir, "out.jsonl")
			require.NoError(t, os.WriteFile(path, []byte("the previous run's file"), 0o644))
			ctx, cancel := context.WithCancel(context.Background())
			if tt.cancel {
				cancel()
			}
			defer cancel()
			err := writeFileAtomically(ctx, path, tt.write)
			got, rerr := os.ReadFile(path)
			require.NoError(t, rerr)
			if tt.wantErr == "" {
				require.NoError(t, err)
				assert.Equal(t, "all of it", string(got))
			} else {
				require.ErrorContains(t, err, tt.wantErr)
				assert.Equal(t, "the previous run's file", string(got), "a failed write leaves the old file, never a partial one")
			}
			left, err := filepath.Glob(filepath.Join(dir, "*.partial"))
			require.NoError(t, err)
			assert.Empty(t, left, "no temporary file is left")
		})
	}
}

// TestSignalLeavesNoOutput interrupts the commands that write a file, as
// SIGINT does (a cancelled context): each returns an error at once and
// leaves no output file.
func TestSignalLeavesNoOutput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	synth := synthData(t, dir)
	for _, args := range [][]string{
		{"synth", "--seed", "3", "--out", filepath.Join(dir, "out-synth.jsonl"), synthFixtures},
		{"inject", "--seed", "3", "--out", filepath.Join(dir, "out-inject.jsonl"), synthFixtures},
		{"train", "--out", filepath.Join(dir, "out-model.json"), "authentic:" + synthFixtures, synth},
		{"eval", "--report", filepath.Join(dir, "out-eval.md"), "--png", "", "authentic:" + synthFixtures, synth},
	} {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		e := &env{stdin: nil, stdout: io.Discard, stderr: io.Discard}
		code := run(ctx, e, args)
		assert.Equal(t, exitError, code, args[0])
		matches, err := filepath.Glob(filepath.Join(dir, "out-*"))
		require.NoError(t, err)
		assert.Empty(t, matches, "%s left an output file", args[0])
		partial, err := filepath.Glob(filepath.Join(dir, ".out-*"))
		require.NoError(t, err)
		assert.Empty(t, partial, "%s left a temporary file", args[0])
	}
}
