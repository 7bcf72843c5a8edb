package batch

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repack/repack/detector/record"
)

// fullDisk writes the first room bytes to its file, then fails, as a
// write(2) does when the disk fills mid-buffer.
type fullDisk struct {
	f    *os.File
	room int
}

func (d *fullDisk) Write(p []byte) (int, error) {
	n := min(len(p), d.room)
	d.room -= n
	if _, err := d.f.Write(p[:n]); err != nil {
		return 0, err
	}
	if n < len(p) {
		return n, errors.New("no space left on device")
	}
	return n, nil
}

// TestFailedWriteLeavesWholeLines fills the disk in the middle of a batch
// of records: the file must end with the last whole line, so that a plain
// rerun with --resume finds no torn record.
func TestFailedWriteLeavesWholeLines(t *testing.T) {
	t.Parallel()
	p := filepath.Join(t.TempDir(), "out.jsonl")
	f, err := os.Create(p)
	require.NoError(t, err)
	defer f.Close()
	o := &Output{file: f, format: record.FormatJSONL}
	o.w = f
	prob := 0.5
	rec := func(id string) record.Record {
		return record.Record{SchemaVersion: record.Schema, ID: id, Label: "authentic", Kind: []string{}, Probability: &prob, Model: "m"}
	}
	require.NoError(t, o.WriteRecord(rec("a"), true))
	whole, err := os.ReadFile(p)
	require.NoError(t, err)

	o.w = &fullDisk{f: f, room: 10}
	require.NoError(t, o.WriteRecord(rec("b"), false))
	err = o.WriteRecord(rec("c"), true)
	require.ErrorContains(t, err, "no space left")
	after, err := os.ReadFile(p)
	require.NoError(t, err)
	assert.Equal(t, string(whole), string(after), "the torn part is cut off")

	_, res, err := OpenOutput(p, record.FormatJSONL, true)
	require.NoError(t, err)
	assert.Equal(t, 1, res.Records)
	assert.Zero(t, res.TruncatedBytes, "nothing left for resume to repair")
}
