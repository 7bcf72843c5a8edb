package pipeline

import (
	"context"
	"fmt"
	"io"
	"iter"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"

	"github.com/repack/repack/corpus"
)

// Input is one file or directory a pattern matched, and the name its
// documents are given: its path relative to the pattern's root, as
// `repack batch ROOT` would name it. A large WARC gzipped record by record
// is split into several Inputs, each the records starting in the byte
// range [Start, End) (End 0: the whole input).
type Input struct {
	Path       string
	Name       string
	Start, End int64
	// Remote says Path is an object in a Beam file system (gs://...),
	// read as a stream.
	Remote bool
}

// Documents streams the input's documents, as batch reads them.
func (in Input) Documents(ctx context.Context, opts corpus.Options) iter.Seq[corpus.Document] {
	switch {
	case in.Remote:
		return remoteDocuments(ctx, in, opts)
	case in.End > 0:
		return corpus.ReadWARCRange(ctx, in.Path, in.Name, in.Start, in.End, opts)
	}
	return corpus.ReadAs(ctx, in.Path, in.Name, opts)
}

// remoteDocuments streams an object's documents (corpus.ReadObject); an
// object that cannot be opened is one error record, as a file is. Beam's
// file systems have no ranged reads, so reading again from an offset
// (after a corrupt gzip member, which is rare) opens the object anew and
// skips to it.
func remoteDocuments(ctx context.Context, in Input, opts corpus.Options) iter.Seq[corpus.Document] {
	return func(yield func(corpus.Document) bool) {
		fs, err := filesystem.New(ctx, in.Path)
		if err != nil {
			yield(corpus.Document{ID: in.Name, Origin: in.Path, Err: fmt.Errorf("read %s: %w", in.Name, err)})
			return
		}
		defer fs.Close()
		open := func(offset int64) (io.ReadCloser, error) {
			rc, err := fs.OpenRead(ctx, in.Path)
			if err != nil {
				return nil, err
			}
			if _, err := io.CopyN(io.Discard, rc, offset); err != nil {
				rc.Close()
				return nil, fmt.Errorf("skipping to byte %d: %w", offset, err)
			}
			return rc, nil
		}
		corpus.ReadObject(ctx, in.Name, open, opts)(yield)
	}
}

// Split returns the input as byte ranges of about size bytes when it is
// a WARC file gzipped record by record larger than size
// (corpus.WARCSplits), else as it is.
func Split(in Input, size int64) ([]Input, error) {
	name := strings.ToLower(in.Path)
	if in.Remote {
		return []Input{in}, nil // a stream has no byte ranges to seek to
	}
	if !strings.HasSuffix(name, ".warc.gz") && !strings.HasSuffix(name, ".wet.gz") {
		return []Input{in}, nil
	}
	if fi, err := os.Stat(in.Path); err != nil || !fi.Mode().IsRegular() || fi.Size() <= size {
		return []Input{in}, nil // a pipe, a small file, or an error batch reports as it does
	}
	ranges, err := corpus.WARCSplits(in.Path, size)
	if err != nil {
		return nil, fmt.Errorf("input %s: %w", in.Path, err)
	}
	if len(ranges) == 1 {
		return []Input{in}, nil
	}
	out := make([]Input, len(ranges))
	for i, r := range ranges {
		out[i] = Input{Path: in.Path, Name: in.Name, Start: r[0], End: r[1]}
	}
	return out, nil
}

// Root returns the directory a file pattern starts from: its longest
// leading run of path elements without glob metacharacters. A pattern
// without any is a file or a directory: a file's root is its directory,
// a directory is its own root.
func Root(pattern string) string {
	clean := filepath.Clean(pattern)
	if !hasMeta(clean) {
		if fi, err := os.Stat(clean); err == nil && fi.IsDir() {
			return clean
		}
		return filepath.Dir(clean)
	}
	parts := strings.Split(filepath.ToSlash(clean), "/")
	var keep []string
	for _, p := range parts {
		if hasMeta(p) {
			break
		}
		keep = append(keep, p)
	}
	root := strings.Join(keep, "/")
	if root == "" {
		if strings.HasPrefix(clean, "/") {
			return "/"
		}
		return "."
	}
	return filepath.FromSlash(root)
}

func hasMeta(s string) bool { return strings.ContainsAny(s, `*?[\`) }

// Match expands one pattern into the inputs it names, in sorted order,
// each named relative to the pattern's root (Root). A pattern that
// matches nothing is an error naming it: a crawl that is not there is a
// mistake in the command line, not an empty result.
func Match(pattern string) ([]Input, error) {
	if strings.Contains(pattern, "://") {
		return matchRemote(pattern)
	}
	matches, err := filepath.Glob(filepath.Clean(pattern))
	if err != nil {
		return nil, fmt.Errorf("input %s: %w", pattern, err)
	}
	if len(matches) == 0 {
		return nil, fmt.Errorf("input %s matches no file", pattern)
	}
	root := Root(pattern)
	out := make([]Input, 0, len(matches))
	for _, m := range matches {
		rel, err := filepath.Rel(root, m)
		if err != nil {
			return nil, fmt.Errorf("input %s: %w", m, err)
		}
		out = append(out, Input{Path: m, Name: path.Clean(filepath.ToSlash(rel))})
	}
	return out, nil
}

// matchRemote expands a pattern of a Beam file system (gs://bucket/crawl/
// *.warc.gz): objects, not directories, named relative to the pattern's
// root as local files are.
func matchRemote(pattern string) ([]Input, error) {
	ctx := context.Background()
	fs, err := filesystem.New(ctx, pattern)
	if err != nil {
		return nil, fmt.Errorf("input %s: %w", pattern, err)
	}
	defer fs.Close()
	matches, err := fs.List(ctx, pattern)
	if err != nil {
		return nil, fmt.Errorf("input %s: %w", pattern, err)
	}
	if len(matches) == 0 {
		return nil, fmt.Errorf("input %s matches no object", pattern)
	}
	slices.Sort(matches)
	root := pattern
	if i := strings.IndexAny(pattern, `*?[\`); i >= 0 {
		root = pattern[:i]
	}
	root = root[:strings.LastIndex(root, "/")+1]
	out := make([]Input, 0, len(matches))
	for _, m := range matches {
		if strings.HasSuffix(m, "/") {
			continue // a folder's placeholder object, not an input
		}
		out = append(out, Input{Path: m, Name: strings.TrimPrefix(m, root), Remote: true})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("input %s matches only folders", pattern)
	}
	return out, nil
}
