package source

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/repack/repack/features/page"
)

// Benchmarks of the index at scale, run with:
//
//	go test ./features/source -run '^$' -bench Index -benchtime 1x
//
// The stories are synthetic: sentences of words drawn from a Zipf
// distribution over a made-up vocabulary, as long as news stories (10 to
// 30 paragraphs of 2 to 4 sentences), so that an index of any size can
// be built without a corpus. Each size reports the file's bytes per
// story, the build rate (parse, fingerprint and write, stories a second)
// and the lookup latency of a page (Match on a parsed page) at the 50th
// and 99th percentile, over queries half of which copy an indexed story
// with a brand spliced into its lead and half of which copy none.

// storyWriter writes synthetic stories.
type storyWriter struct {
	r     *rand.Rand
	zipf  *rand.Zipf
	vocab []string
}

func newStoryWriter(seed uint64) *storyWriter {
	r := rand.New(rand.NewPCG(seed, 0x5107))
	vocab := make([]string, 40000)
	for i := range vocab {
		n := 2 + r.IntN(9)
		b := make([]byte, n)
		for k := range b {
			b[k] = byte('a' + r.IntN(26))
		}
		vocab[i] = string(b)
	}
	return &storyWriter{r: r, zipf: rand.NewZipf(r, 1.1, 2, uint64(len(vocab)-1)), vocab: vocab}
}

func (w *storyWriter) sentence() string {
	n := 8 + w.r.IntN(18)
	ws := make([]string, n)
	for i := range ws {
		ws[i] = w.vocab[w.zipf.Uint64()]
	}
	ws[0] = strings.ToUpper(ws[0][:1]) + ws[0][1:]
	return strings.Join(ws, " ") + "."
}

// story returns a headline and paragraphs.
func (w *storyWriter) story() (string, []string) {
	head := strings.TrimSuffix(w.sentence(), ".")
	paras := make([]string, 10+w.r.IntN(21))
	for i := range paras {
		ss := make([]string, 2+w.r.IntN(3))
		for k := range ss {
			ss[k] = w.sentence()
		}
		paras[i] = strings.Join(ss, " ")
	}
	return head, paras
}

func textPage(tb testing.TB, head string, paras []string) *page.Page {
	tb.Helper()
	p, err := page.Parse([]byte(head+"\n\n"+strings.Join(paras, "\n\n")), page.Options{Format: page.FormatText})
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

func BenchmarkIndex(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("stories=%d", n), func(b *testing.B) {
			for b.Loop() {
				benchIndex(b, n)
			}
		})
	}
}

func benchIndex(b *testing.B, n int) {
	w := newStoryWriter(uint64(n))
	type kept struct {
		head  string
		paras []string
	}
	var sample []kept
	start := time.Now()
	bld := NewBuilder()
	for i := range n {
		head, paras := w.story()
		s, ok := StoryOf(textPage(b, head, paras), fmt.Sprintf("story-%d", i))
		if !ok {
			b.Fatalf("story %d has no body", i)
		}
		bld.Add(s)
		if i%(n/200) == 0 {
			sample = append(sample, kept{head, paras})
		}
	}
	data := bld.Bytes()
	build := time.Since(start)
	ix, err := Read(data, "bench")
	if err != nil {
		b.Fatal(err)
	}
	var queries []*page.Page
	for _, k := range sample {
		paras := slices.Clone(k.paras)
		paras[0] = "The Brightfen Capital Forum" + paras[0]
		queries = append(queries, textPage(b, "Brightfen Capital Forum|"+k.head, paras))
		head, other := w.story()
		queries = append(queries, textPage(b, head, other))
	}
	lat := make([]time.Duration, 0, len(queries))
	found := 0
	for i, q := range queries {
		t0 := time.Now()
		m := ix.Match(context.Background(), q)
		lat = append(lat, time.Since(t0))
		if i%2 == 0 && m != nil {
			found++
		}
		if i%2 == 1 && m != nil {
			b.Errorf("an unrelated story matched %s", m.Story.ID)
		}
	}
	if found < len(sample)*99/100 {
		b.Errorf("%d of %d copies found", found, len(sample))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(len(data))/float64(n), "bytes/story")
	b.ReportMetric(float64(n)/build.Seconds(), "stories/s")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
