package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// linesOf iterates over lines as Beam's iterator of a group does.
func linesOf(lines ...string) func(*string) bool {
	return func(out *string) bool {
		if len(lines) == 0 {
			return false
		}
		*out, lines = lines[0], lines[1:]
		return true
	}
}

// dirNames lists the names in dir.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	slices.Sort(names)
	return names
}

// TestShardWriteLeavesOnlyWholeShards writes a shard and then fails to
// write one (its name is taken by a directory that holds a file, so the
// rename fails): the first is whole under its own name, the failure is an
// error naming the shard, and no temporary file is left behind.
func TestShardWriteLeavesOnlyWholeShards(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	prefix := filepath.Join(dir, "v")
	w := &writeShardFn{Prefix: prefix, Shards: 2}
	ctx := context.Background()
	require.NoError(t, w.ProcessElement(ctx, 0, linesOf(`{"a":1}`, `{"b":2}`)))
	b, err := os.ReadFile(ShardName(prefix, 0, 2))
	require.NoError(t, err)
	assert.Equal(t, "{\"a\":1}\n{\"b\":2}\n", string(b))

	taken := ShardName(prefix, 1, 2)
	require.NoError(t, os.MkdirAll(taken, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(taken, "x"), nil, 0o644))
	err = w.ProcessElement(ctx, 1, linesOf(`{"c":3}`))
	require.Error(t, err)
	assert.Contains(t, err.Error(), filepath.Base(taken))
	assert.Equal(t, []string{filepath.Base(ShardName(prefix, 0, 2)), filepath.Base(taken)}, dirNames(t, dir), "no temporary file is left")
}
