package pipeline

import (
	"bufio"
	"context"
	"fmt"
	"hash/fnv"
	"reflect"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local" // local paths
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
)

// Write writes the scored pages' record lines into shards files,
// PREFIX-SSSSS-of-NNNNN.jsonl, one record a line, each line whole. A line
// goes to the shard its stable hash names, so that a retried bundle
// rewrites the same file with the same lines; a shard is written under a
// temporary name and renamed into place where the file system can
// rename, so that a reader never sees half a shard. A shard that gets no
// record is not written.
func Write(s beam.Scope, prefix string, shards int, scored beam.PCollection) {
	keyed := beam.ParDo(s, &shardFn{Shards: shards}, scored)
	grouped := beam.GroupByKey(s, keyed)
	beam.ParDo0(s, &writeShardFn{Prefix: prefix, Shards: shards}, grouped)
}

// ShardName is the file name of shard i of n under prefix.
func ShardName(prefix string, i, n int) string {
	return fmt.Sprintf("%s-%05d-of-%05d.jsonl", prefix, i, n)
}

// shardFn keys a record line by its output shard.
type shardFn struct {
	Shards int
}

// ProcessElement keys one line.
func (f *shardFn) ProcessElement(s Scored) (int, string) {
	h := fnv.New32a()
	_, _ = h.Write([]byte(s.Line))
	return int(h.Sum32() % uint32(max(1, f.Shards))), s.Line
}

// writeShardFn writes one shard's lines.
type writeShardFn struct {
	Prefix string
	Shards int
}

// ProcessElement writes shard i.
func (f *writeShardFn) ProcessElement(ctx context.Context, i int, lines func(*string) bool) (err error) {
	name := ShardName(f.Prefix, i, f.Shards)
	fs, err := filesystem.New(ctx, name)
	if err != nil {
		return fmt.Errorf("output %s: %w", name, err)
	}
	defer fs.Close()
	target := name
	renamer, canRename := fs.(filesystem.Renamer)
	if canRename {
		target = name + ".tmp"
	}
	wc, err := fs.OpenWrite(ctx, target)
	if err != nil {
		return fmt.Errorf("output %s: %w", target, err)
	}
	w := bufio.NewWriterSize(wc, 1<<20)
	var line string
	for lines(&line) {
		if _, err := w.WriteString(line); err != nil {
			wc.Close()
			return fmt.Errorf("output %s: %w", target, err)
		}
		if err := w.WriteByte('\n'); err != nil {
			wc.Close()
			return fmt.Errorf("output %s: %w", target, err)
		}
	}
	if err := w.Flush(); err != nil {
		wc.Close()
		return fmt.Errorf("output %s: %w", target, err)
	}
	if err := wc.Close(); err != nil {
		return fmt.Errorf("output %s: %w", target, err)
	}
	if canRename {
		if err := renamer.Rename(ctx, target, name); err != nil {
			return fmt.Errorf("output %s: %w", name, err)
		}
	}
	return nil
}

func registerWrite() {
	register.DoFn1x2[Scored, int, string](&shardFn{})
	register.DoFn3x1[context.Context, int, func(*string) bool, error](&writeShardFn{})
	register.Iter1[string]()
	beam.RegisterType(reflect.TypeFor[shardFn]())
	beam.RegisterType(reflect.TypeFor[writeShardFn]())
}
