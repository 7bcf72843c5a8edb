package corpus_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/repack/repack/corpus"
)

// The readers must turn any input into documents (some with Err set),
// never panic or hang. Run longer with:
//
//	go test ./corpus -run '^$' -fuzz FuzzReadWARC -fuzztime 60s -fuzzminimizetime 3s
//	go test ./corpus -run '^$' -fuzz FuzzReadJSONL -fuzztime 60s -fuzzminimizetime 3s
//
// (Without -fuzzminimizetime the engine spends up to a minute minimising
// each new interesting input, reporting 0 execs/s meanwhile, which looks
// like a stall: it is not one. TestReadWARCMutations drives the same
// property with seeded mutations in the normal test run.)

func FuzzReadWARC(f *testing.F) {
	var plain, zipped bytes.Buffer
	for _, d := range pageDocs(3) {
		_, _ = corpus.NewWARCWriter(&plain, false).Write(d)
		_, _ = corpus.NewWARCWriter(&zipped, true).Write(d)
	}
	f.Add(plain.Bytes())
	f.Add(zipped.Bytes())
	f.Add([]byte(rawRecord("response", "https://a.example/", "application/http;msgtype=response",
		"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n5\r\nabcde\r\n0\r\n\r\n")))
	f.Add([]byte("WARC/1.1\r\nContent-Length: 99999999999\r\n\r\n"))
	f.Add([]byte("WARC/1.1\r\nContent-Length: 9223372036854775807\r\nWARC-Type: response\r\n\r\nHTTP/1.1 200 OK\r\n\r\n"))
	// Long lines: a WARC header line, an HTTP header line and a run of
	// header lines past the reader's limits.
	f.Add([]byte("WARC/1.1\r\nX-Long: " + strings.Repeat("a", 70<<10) + "\r\nContent-Length: 0\r\n\r\n\r\n\r\n"))
	f.Add([]byte(rawRecord("response", "https://a.example/", "application/http;msgtype=response",
		"HTTP/1.1 200 OK\r\nX-Long: "+strings.Repeat("b", 70<<10)+"\r\nContent-Type: text/html\r\n\r\n<p>x</p>")))
	f.Add([]byte("WARC/1.1\r\n" + strings.Repeat("X: y\r\n", 1200) + "Content-Length: 0\r\n\r\n"))
	f.Add(gzBytes([]byte("WARC/1.1\r\nWARC-Type: response\r\nX-Long: " + strings.Repeat("c", 200<<10))))
	p := filepath.Join(f.TempDir(), "f.warc")
	f.Fuzz(func(t *testing.T, b []byte) {
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		check := func(d corpus.Document) {
			if d.Err == nil && d.Body == nil {
				t.Fatalf("%s: no error and no body", d.ID)
			}
			if !strings.HasPrefix(d.ID, "f.warc") {
				t.Fatalf("id %q does not name the file", d.ID)
			}
		}
		opts := corpus.Options{MaxBodyBytes: 1 << 20}
		var whole []string
		for d := range corpus.Read(context.Background(), []string{p}, opts) {
			check(d)
			whole = append(whole, fmt.Sprintf("%s %t", d.ID, d.Err != nil))
		}
		// The same bytes read in byte ranges, as the Beam pipeline reads
		// a large .warc.gz, and as an object: the same documents.
		ranges, err := corpus.WARCSplits(p, int64(len(b)/3+1))
		if err != nil {
			t.Fatal(err)
		}
		var inRanges, asObject []string
		for _, r := range ranges {
			for d := range corpus.ReadWARCRange(context.Background(), p, "f.warc", r[0], r[1], opts) {
				check(d)
				inRanges = append(inRanges, fmt.Sprintf("%s %t", d.ID, d.Err != nil))
			}
		}
		for d := range corpus.ReadObject(context.Background(), "f.warc", objectOf(b), opts) {
			check(d)
			asObject = append(asObject, fmt.Sprintf("%s %t", d.ID, d.Err != nil))
		}
		if !slices.Equal(whole, inRanges) {
			t.Fatalf("ranges %v read\n%q\nthe whole file\n%q", ranges, inRanges, whole)
		}
		if !slices.Equal(whole, asObject) {
			t.Fatalf("as an object\n%q\nas a file\n%q", asObject, whole)
		}
	})
}

func FuzzReadJSONL(f *testing.F) {
	f.Add([]byte(`{"id":"a","html":"<p>x</p>","meta":{"k":[1,2.5,"s",null]}}` + "\n" + `{"text":"y","label":"injected"}`))
	f.Add([]byte("{\"id\":1e400,\"text\":\"\"}\n\n\n{"))
	f.Add(gzBytes([]byte(`{"id":"z","text":"zipped"}` + "\n")))
	// A line longer than the line cap (bodies capped at 1 KiB below), and
	// metadata the batch reader never parses.
	f.Add([]byte(`{"id":"long","text":"` + strings.Repeat("x", 4<<10) + `"}` + "\n" + `{"id":"after","text":"y"}`))
	f.Add([]byte(`{"id":"m","text":"y","meta":{` + strings.Repeat(`"k":[1,{"a":null}],`, 500) + `"z":1}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		n := 0
		for d := range corpus.ReadJSONL(context.Background(), bytes.NewReader(b), "in.jsonl", corpus.Options{MaxBodyBytes: 1 << 10, SkipMeta: len(b)%2 == 0}) {
			n++
			if d.Err == nil && d.Body == nil {
				t.Fatalf("%s: no error and no body", d.ID)
			}
		}
		if n == 0 {
			t.Fatal("every stream yields a record; an empty one an error record")
		}
	})
}

// mutate applies a few seeded edits of the kinds that break WARCs: bytes
// overwritten, cut, dropped, numbers spliced in (Content-Length above
// all), chunks repeated.
func mutate(rng *rand.Rand, b []byte) []byte {
	numbers := []string{"0", "-1", "99999999999", "9223372036854775807", "18446744073709551615", "", " "}
	b = append([]byte{}, b...)
	for range 1 + rng.IntN(6) {
		j := rng.IntN(len(b))
		switch rng.IntN(6) {
		case 0:
			b[j] = byte(rng.IntN(256))
		case 1:
			b = b[:j]
		case 2:
			b = append(b[:j], b[min(len(b), j+rng.IntN(20)):]...)
		case 3:
			b = append(b[:j], append([]byte(numbers[rng.IntN(len(numbers))]), b[j:]...)...)
		case 4:
			if i := bytes.Index(b, []byte("Content-Length: ")); i >= 0 {
				if e := bytes.IndexByte(b[i:], '\r'); e > 0 {
					b = append(append(append([]byte{}, b[:i+16]...), numbers[rng.IntN(len(numbers))]...), b[i+e:]...)
				}
			}
		case 5:
			if k := rng.IntN(len(b)); j < k {
				b = append(b, b[j:k]...)
			}
		}
		if len(b) == 0 {
			b = []byte{0}
		}
	}
	return b
}

func TestReadWARCMutations(t *testing.T) {
	t.Parallel()
	var plain, zipped bytes.Buffer
	for _, d := range pageDocs(3) {
		_, _ = corpus.NewWARCWriter(&plain, false).Write(d)
		_, _ = corpus.NewWARCWriter(&zipped, true).Write(d)
	}
	seeds := [][]byte{plain.Bytes(), zipped.Bytes()}
	rng := rand.New(rand.NewPCG(20261126, 1))
	dir := t.TempDir()
	for i := range 1500 {
		b := mutate(rng, seeds[i%2])
		p := filepath.Join(dir, "m.warc")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		n := 0
		for d := range corpus.Read(context.Background(), []string{p}, corpus.Options{MaxBodyBytes: 1 << 20}) {
			n++
			if d.Err == nil && d.Body == nil {
				t.Fatalf("input %d: %s has no error and no body", i, d.ID)
			}
		}
		if n == 0 && len(bytes.TrimSpace(b)) > 0 && !bytes.Contains(b, []byte("WARC/")) {
			t.Fatalf("input %d: %d bytes of junk yielded no record", i, len(b))
		}
	}
}
