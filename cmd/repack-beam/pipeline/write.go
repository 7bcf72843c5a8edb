package pipeline

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"io"
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

// ProcessElement writes shard i. Where the file system can rename (local
// files, gs://), the lines go to a temporary name of their own first
// (bundles retried or run twice do not write over each other) that is
// renamed to the shard's when whole, and removed when the write fails.
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
		var suffix [8]byte
		_, _ = rand.Read(suffix[:])
		target = name + ".tmp-" + hex.EncodeToString(suffix[:])
		defer func() {
			if remover, ok := fs.(filesystem.Remover); ok && err != nil {
				_ = remover.Remove(context.WithoutCancel(ctx), target)
			}
		}()
	}
	wc, err := fs.OpenWrite(ctx, target)
	if err != nil {
		return fmt.Errorf("output %s: %w", target, err)
	}
	if err := writeLines(wc, lines); err != nil {
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

// writeLines writes each line and a newline to w, buffered.
func writeLines(w io.Writer, lines func(*string) bool) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	var line string
	for lines(&line) {
		if _, err := bw.WriteString(line); err != nil {
			return err
		}
		if err := bw.WriteByte('\n'); err != nil {
			return err
		}
	}
	return bw.Flush()
}

func registerWrite() {
	register.DoFn1x2[Scored, int, string](&shardFn{})
	register.DoFn3x1[context.Context, int, func(*string) bool, error](&writeShardFn{})
	register.Iter1[string]()
	beam.RegisterType(reflect.TypeFor[shardFn]())
	beam.RegisterType(reflect.TypeFor[writeShardFn]())
}
