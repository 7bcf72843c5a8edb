package pipeline_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/memfs"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/passert"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repack/repack/cmd/repack-beam/pipeline"
	"github.com/repack/repack/corpus"
	"github.com/repack/repack/corpus/sharedtest"
	"github.com/repack/repack/detector/sites"
)

// TestMain runs the pipelines on Prism, in process (no JVM, no Docker),
// unless --runner names another.
func TestMain(m *testing.M) {
	pipeline.Register()
	beam.RegisterFunction(siteAndID)
	ptest.MainWithDefault(m, "prism")
}

// crawl writes, from shared pages at test time, the inputs of the
// comparison: a .warc.gz of authentic pages and the network's real spam
// pages with two gzip members corrupted, and a JSONL file with one line
// that is not JSON. It returns the directory holding them.
func crawl(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	var docs []corpus.Document
	authentic := sharedtest.Dir(t, "corpus/authentic/fundus")
	for d := range corpus.ReadPath(ctx, authentic, corpus.Options{}) {
		if d.Err == nil && len(docs) < 14 {
			docs = append(docs, d)
		}
	}
	for _, p := range sharedtest.Glob(t, "examples/real/*.txt") {
		for d := range corpus.ReadPath(ctx, p, corpus.Options{}) {
			require.NoError(t, d.Err)
			docs = append(docs, d)
		}
	}
	require.GreaterOrEqual(t, len(docs), 20)

	dir := t.TempDir()
	var warc bytes.Buffer
	ww := corpus.NewWARCWriter(&warc, true)
	var offsets []int64
	for _, d := range docs[:len(docs)-6] {
		off, err := ww.Write(d)
		require.NoError(t, err)
		offsets = append(offsets, off)
	}
	b := warc.Bytes()
	// Two corrupt members, each an error record, not a failed pipeline:
	// one near its start, one in its last bytes (the decompressor reads
	// into the next member before it fails, so a reader must go back).
	for i := offsets[3] + 20; i < offsets[3]+40; i++ {
		b[i] ^= 0x55
	}
	for i := offsets[7] - 14; i < offsets[7]; i++ {
		b[i] ^= 0x55
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "crawl-00000.warc.gz"), b, 0o644))

	var jsonl bytes.Buffer
	jw := corpus.NewJSONLWriter(&jsonl, false)
	for i, d := range docs[len(docs)-6:] {
		d.ID = "feed-" + string(rune('a'+i))
		require.NoError(t, jw.Write(d))
	}
	require.NoError(t, jw.Close())
	jsonl.WriteString("{this line is not JSON\n")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "feed.jsonl"), jsonl.Bytes(), 0o644))
	return dir
}

// batchRecords runs `repack batch`, built in the repository's own module
// (whose go.sum holds its dependencies, not this one's), on the inputs
// and returns its record lines.
func batchRecords(t *testing.T, inputs ...string) []string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "repack")
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	require.NoError(t, err)
	build := exec.Command("go", "build", "-C", root, "-o", bin, "./cmd/repack")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "build repack: %s", out)
	cmd := exec.Command(bin, append([]string{"batch", "--progress=false", "--exit-zero", "--workers", "2"}, inputs...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "repack batch: %s", stderr.String())
	return strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n")
}

// shardLines reads every output shard's lines.
func shardLines(t *testing.T, prefix string, shards int) []string {
	t.Helper()
	var lines []string
	for i := range shards {
		b, err := os.ReadFile(pipeline.ShardName(prefix, i, shards))
		if os.IsNotExist(err) {
			continue // a shard with no record is not written
		}
		require.NoError(t, err)
		require.True(t, bytes.HasSuffix(b, []byte("\n")), "shard %d ends in a whole line", i)
		lines = append(lines, strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")...)
	}
	return lines
}

// TestPipelineWritesBatchRecords is the pipeline's contract: on the same
// inputs, its records are repack batch's, byte for byte apart from order;
// its label counters agree with the records; a corrupt WARC record and a
// bad JSONL line are error records, and the pipeline succeeds.
func TestPipelineWritesBatchRecords(t *testing.T) {
	dir := crawl(t)
	want := batchRecords(t, dir)

	prefix := filepath.Join(t.TempDir(), "verdicts")
	p, s := beam.NewPipelineWithRoot()
	_, err := pipeline.Build(s, pipeline.Config{Inputs: []string{dir}, Output: prefix, Shards: 3, Reasons: 5, DocTimeout: pipeline.DefaultDocTimeout})
	require.NoError(t, err)
	res, err := ptest.RunWithMetrics(p)
	require.NoError(t, err)

	got := shardLines(t, prefix, 3)
	assert.Equal(t, sorted(want), sorted(got), "the pipeline's records are batch's")

	var wantCounts pipeline.LabelCounts
	var warcRecords int
	for _, line := range want {
		var r struct {
			Label        string  `json:"label"`
			Error        *string `json:"error"`
			WARCFilename *string `json:"warc_filename"`
		}
		require.NoError(t, json.Unmarshal([]byte(line), &r))
		wantCounts.Pages++
		switch {
		case r.Error != nil:
			wantCounts.Errors++
		case r.Label == "authentic":
			wantCounts.Authentic++
		case r.Label == "repackaged":
			wantCounts.Repackaged++
		case r.Label == "injected":
			wantCounts.Injected++
		}
		if r.WARCFilename != nil {
			warcRecords++
			assert.Equal(t, "crawl-00000.warc.gz", *r.WARCFilename)
		}
	}
	assert.Equal(t, wantCounts, pipeline.Counts(res), "label counters")
	assert.Equal(t, int64(3), wantCounts.Errors, "the two corrupt WARC members and the bad JSONL line are error records")
	assert.Positive(t, wantCounts.Repackaged, "the network's pages are flagged")
	assert.Positive(t, warcRecords)

	// The site rows: one a host, those repack sites makes of batch's
	// records.
	var tally sites.Tally
	_, err = tally.Read(strings.NewReader(strings.Join(want, "\n")+"\n"), "batch")
	require.NoError(t, err)
	var rows bytes.Buffer
	require.NoError(t, sites.WriteJSONL(&rows, tally.Sites(sites.Options{})))
	wantRows := strings.Split(strings.TrimSuffix(rows.String(), "\n"), "\n")
	gotRows := shardLines(t, prefix+pipeline.SitesSuffix, 1)
	assert.Equal(t, sorted(wantRows), sorted(gotRows), "the pipeline's site rows are repack sites'")
	assert.Greater(t, len(gotRows), 1, "pages of several hosts")
}

// TestPatternsNameLikeBatch checks ids under a file pattern: the matched
// file is named relative to the pattern's root, as batch names a file
// argument; and reading the .warc.gz in ranges of a few kilobytes, each
// its own element, changes nothing in the records (the corrupt member
// included).
func TestPatternsNameLikeBatch(t *testing.T) {
	dir := crawl(t)
	want := batchRecords(t, filepath.Join(dir, "crawl-00000.warc.gz"))
	ranges, err := pipeline.Split(pipeline.Input{Path: filepath.Join(dir, "crawl-00000.warc.gz"), Name: "crawl-00000.warc.gz"}, 4096)
	require.NoError(t, err)
	require.Greater(t, len(ranges), 10, "the WARC is read in many ranges")

	prefix := filepath.Join(t.TempDir(), "verdicts")
	p, s := beam.NewPipelineWithRoot()
	_, err = pipeline.Build(s, pipeline.Config{Inputs: []string{filepath.Join(dir, "*.warc.gz")}, Output: prefix, Reasons: 5,
		DocTimeout: pipeline.DefaultDocTimeout, SplitBytes: 4096, Goroutines: 1})
	require.NoError(t, err)
	require.NoError(t, ptest.Run(p))
	assert.Equal(t, sorted(want), sorted(shardLines(t, prefix, 1)))
}

// TestKeyedStageKeysBySite checks the seam for group-by-key stages: the
// collection Build returns holds every record, keyed by its page's
// registrable domain.
func TestKeyedStageKeysBySite(t *testing.T) {
	dir := crawl(t)
	var want []any
	for d := range corpus.ReadPath(context.Background(), dir, corpus.Options{SkipMeta: true}) {
		want = append(want, d.GroupKey()+" "+d.ID)
	}
	p, s := beam.NewPipelineWithRoot()
	keyed, err := pipeline.Build(s, pipeline.Config{Inputs: []string{dir}, Output: filepath.Join(t.TempDir(), "v"), DocTimeout: pipeline.DefaultDocTimeout})
	require.NoError(t, err)
	passert.Equals(s, beam.ParDo(s, siteAndID, keyed), want...)
	require.NoError(t, ptest.Run(p))
}

func siteAndID(site string, sc pipeline.Scored) string {
	var r struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal([]byte(sc.Line), &r)
	return site + " " + r.ID
}

// TestBuildRefusesBadConfigurations checks that mistakes fail at launch,
// naming what is wrong, rather than on a worker.
func TestBuildRefusesBadConfigurations(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		cfg  pipeline.Config
		want string
	}{
		{name: "no input", cfg: pipeline.Config{Output: "o"}, want: "--input"},
		{name: "no output", cfg: pipeline.Config{Inputs: []string{dir}}, want: "--output"},
		{name: "pattern matches nothing", cfg: pipeline.Config{Inputs: []string{filepath.Join(dir, "*.warc.gz")}, Output: "o"}, want: "matches no file"},
		{name: "bad threshold", cfg: pipeline.Config{Inputs: []string{dir}, Output: "o", Thresholds: "spam=2"}, want: "--threshold"},
		{name: "bad model", cfg: pipeline.Config{Inputs: []string{dir}, Output: "o", ModelJSON: []byte("{")}, want: "model"},
		{name: "bad input format", cfg: pipeline.Config{Inputs: []string{dir}, Output: "o", InputFormat: "pdf"}, want: "--input-format"},
	} {
		_, s := beam.NewPipelineWithRoot()
		_, err := pipeline.Build(s, tc.cfg)
		require.Error(t, err, tc.name)
		assert.Contains(t, err.Error(), tc.want, tc.name)
	}
}

func sorted(lines []string) []string {
	out := slices.Clone(lines)
	slices.Sort(out)
	return out
}

// TestRemoteInputsAndOutputs runs the pipeline on objects of a Beam file
// system (memfs here, gs:// on Dataflow): inputs read as streams and
// shards written there give batch's records on the same bytes as files.
func TestRemoteInputsAndOutputs(t *testing.T) {
	dir := crawl(t)
	want := batchRecords(t, dir)
	for _, name := range []string{"crawl-00000.warc.gz", "feed.jsonl"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		memfs.Write("memfs://remote/crawl/"+name, b)
	}
	p, s := beam.NewPipelineWithRoot()
	_, err := pipeline.Build(s, pipeline.Config{Inputs: []string{"memfs://remote/crawl/*"}, Output: "memfs://remote/out/v", Shards: 2,
		Reasons: 5, DocTimeout: pipeline.DefaultDocTimeout, SplitBytes: 4096})
	require.NoError(t, err)
	require.NoError(t, ptest.Run(p))

	ctx := context.Background()
	fs, err := filesystem.New(ctx, "memfs://remote/out/v")
	require.NoError(t, err)
	shards, err := fs.List(ctx, "memfs://remote/out/v-*")
	require.NoError(t, err)
	sites, err := fs.List(ctx, "memfs://remote/out/v.sites-*")
	require.NoError(t, err)
	require.NotEmpty(t, shards)
	var got []string
	for _, sh := range shards {
		rc, err := fs.OpenRead(ctx, sh)
		require.NoError(t, err)
		b, err := io.ReadAll(rc)
		require.NoError(t, err)
		require.NoError(t, rc.Close())
		got = append(got, strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")...)
	}
	assert.Equal(t, sorted(want), sorted(got), "records from objects are batch's from files")
	assert.Len(t, sites, 1, "the site rows, apart from the record shards")
}
