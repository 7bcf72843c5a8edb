package source

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// The index file: a header, a fixed-size record per story, the lookup
// table as (key, story) pairs sorted by key (a story's LSH band keys, its
// anchor keys with anchorFlag set in the story number and its immutable
// keys with immutableFlag set), the strings the records point into, and a footer with a CRC-32 of everything before it. All integers
// are little-endian. Nothing is decoded up front but the header: a lookup
// binary-searches the table in place, so an index embedded in the binary
// is read without a copy.
const (
	// FormatVersion is the version of the file layout this package reads
	// and writes; docs/index.md keeps its changelog.
	FormatVersion = 3

	magic       = "RPKINDEX"
	footerMagic = "RPKEND\x00\x00"
	headerSize  = 64
	// storyRecordSize: five (offset u32, length u32) string references
	// (id, url, title, text, credits), shingles u32, body hash u64, and
	// the signature.
	storyRecordSize = 5*8 + 4 + 8 + Hashes*4
	bandEntrySize   = 12
	// anchorFlag marks a table entry as an anchor, immutableFlag as an
	// immutable key (immutableKeys); neither, a band.
	anchorFlag    = 1 << 31
	immutableFlag = 1 << 30
	kindFlags     = anchorFlag | immutableFlag
	// maxPostings: a key more stories than this share (a site's
	// boilerplate sentence in every story of it) finds no candidate; it
	// would only flood the verification with unrelated stories.
	maxPostings = 256
	footerSize  = 4 + len(footerMagic)
)

// Index is a read-only story index. It is safe for concurrent use.
type Index struct {
	data    []byte
	name    string
	stories int
	entries int
	// stories, bands and strs are the sections of data.
	storyOff, bandOff, strOff int
	// dir[k] is the first table entry whose key's top dirBits bits are
	// at least k (dir[len(dir)-1] = entries): a lookup binary-searches
	// one bucket of a few entries, not the whole table, which at a
	// million entries costs a cache miss a step.
	dir     []uint32
	dirBits uint
}

// FormatError says that bytes are not a story index this program reads.
type FormatError struct {
	Name   string
	Reason string
}

func (e *FormatError) Error() string { return fmt.Sprintf("index %s: %s", e.Name, e.Reason) }

// Open reads an index file.
func Open(path string) (*Index, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	return Read(b, path)
}

// Read returns the index held in b (a file's bytes, or an embedded
// slice, which it keeps and never modifies). name names it in errors.
func Read(b []byte, name string) (*Index, error) {
	bad := func(format string, a ...any) error {
		return &FormatError{Name: name, Reason: fmt.Sprintf(format, a...)}
	}
	if len(b) < len(magic) || string(b[:len(magic)]) != magic {
		return nil, bad("not a repack story index (no %q header)", magic)
	}
	if len(b) < headerSize+footerSize {
		return nil, bad("truncated: %d bytes, shorter than a header and footer", len(b))
	}
	le := binary.LittleEndian
	if v := le.Uint32(b[8:]); v != FormatVersion {
		return nil, bad("format version %d, this program reads version %d (rebuild it with this repack's `repack index build`)", v, FormatVersion)
	}
	if string(b[len(b)-len(footerMagic):]) != footerMagic {
		return nil, bad("truncated or corrupt: no end marker (the file was cut short or is still being written)")
	}
	body := b[:len(b)-footerSize]
	if got, want := crc32.ChecksumIEEE(body), le.Uint32(b[len(b)-footerSize:]); got != want {
		return nil, bad("corrupt: checksum %08x, the file says %08x", got, want)
	}
	if sh, h, bands, rows, every, most, imm := le.Uint32(b[12:]), le.Uint32(b[16:]), le.Uint32(b[20:]), le.Uint32(b[24:]), le.Uint32(b[36:]), le.Uint32(b[40:]), le.Uint32(b[44:]); sh != ShingleWords || h != Hashes || bands != Bands || rows != Rows || every != AnchorEvery || most != MaxAnchors || imm != MaxImmutables {
		return nil, bad("fingerprint parameters (shingles of %d words, %d hashes in %d bands of %d, anchors 1 in %d up to %d, %d immutables) differ from this program's (%d, %d, %d, %d, %d, %d, %d)",
			sh, h, bands, rows, every, most, imm, ShingleWords, Hashes, Bands, Rows, AnchorEvery, MaxAnchors, MaxImmutables)
	}
	ix := &Index{data: b, name: name, stories: int(le.Uint32(b[28:])), entries: int(le.Uint32(b[32:]))}
	ix.storyOff = headerSize
	ix.bandOff = ix.storyOff + ix.stories*storyRecordSize
	ix.strOff = ix.bandOff + ix.entries*bandEntrySize
	if ix.stories < 0 || ix.entries < 0 || ix.strOff > len(body) || ix.bandOff < ix.storyOff {
		return nil, bad("corrupt: %d stories and %d table entries do not fit in %d bytes", ix.stories, ix.entries, len(b))
	}
	strLen := len(body) - ix.strOff
	for i := range ix.stories {
		r := ix.record(i)
		for f := range 5 {
			off, n := int(le.Uint32(r[f*8:])), int(le.Uint32(r[f*8+4:]))
			if off < 0 || n < 0 || off+n > strLen {
				return nil, bad("corrupt: story %d points outside the file", i)
			}
		}
	}
	for i := range ix.entries {
		if int(le.Uint32(ix.data[ix.bandOff+i*bandEntrySize+8:])&^kindFlags) >= ix.stories {
			return nil, bad("corrupt: table entry %d names a story that is not there", i)
		}
		if i > 0 && le.Uint64(ix.data[ix.bandOff+i*bandEntrySize:]) < le.Uint64(ix.data[ix.bandOff+(i-1)*bandEntrySize:]) {
			return nil, bad("corrupt: table entry %d is out of order", i)
		}
	}
	ix.buildDir()
	return ix, nil
}

// buildDir builds the bucket directory of the sorted table: about four
// entries a bucket, at most 2^24 buckets.
func (ix *Index) buildDir() {
	bits := uint(0)
	for bits < 24 && ix.entries>>(bits+2) > 0 {
		bits++
	}
	ix.dirBits = bits
	ix.dir = make([]uint32, (1<<bits)+1)
	le := binary.LittleEndian
	e := 0
	for k := range 1 << bits {
		for e < ix.entries && le.Uint64(ix.data[ix.bandOff+e*bandEntrySize:])>>(64-bits) < uint64(k) {
			e++
		}
		ix.dir[k] = uint32(e)
	}
	ix.dir[1<<bits] = uint32(ix.entries)
}

// Name is what the index was read from.
func (ix *Index) Name() string { return ix.name }

// Len returns how many stories the index holds.
func (ix *Index) Len() int { return ix.stories }

// Size returns the index's size in bytes.
func (ix *Index) Size() int { return len(ix.data) }

// Checksum returns the file's CRC-32, which names this build of the index
// in verdicts and batch records.
func (ix *Index) Checksum() string {
	return fmt.Sprintf("%08x", binary.LittleEndian.Uint32(ix.data[len(ix.data)-footerSize:]))
}

func (ix *Index) record(i int) []byte {
	off := ix.storyOff + i*storyRecordSize
	return ix.data[off : off+storyRecordSize]
}

func (ix *Index) str(r []byte, field int) string {
	le := binary.LittleEndian
	off, n := int(le.Uint32(r[field*8:])), int(le.Uint32(r[field*8+4:]))
	return string(ix.data[ix.strOff+off : ix.strOff+off+n])
}

// Story returns story i, 0 <= i < Len().
func (ix *Index) Story(i int) Story {
	r := ix.record(i)
	le := binary.LittleEndian
	s := Story{ID: ix.str(r, 0), URL: ix.str(r, 1), Title: ix.str(r, 2), Text: ix.str(r, 3)}
	if c := ix.str(r, 4); c != "" {
		s.Credits = strings.Split(c, "\n")
	}
	s.Shingles = int(le.Uint32(r[40:]))
	s.BodyHash = le.Uint64(r[44:])
	for k := range s.Signature {
		s.Signature[k] = le.Uint32(r[52+4*k:])
	}
	return s
}

// bodyHash returns story i's body hash without decoding its strings.
func (ix *Index) bodyHash(i int) uint64 { return binary.LittleEndian.Uint64(ix.record(i)[44:]) }

// candidates returns the stories sharing at least one LSH band with sig,
// or enough of its anchors (minAnchorHits, and one in anchorShare), or
// enough of its immutable keys (minImmutableHits, and one in
// immutableShare), with how many of each: most bands and anchors first,
// then most immutables.
func (ix *Index) candidates(sig *Signature, anchors, immutables []uint64) []candidate {
	keys := bandKeys(sig)
	hits := map[int]*candidate{}
	hit := func(story int) *candidate {
		c := hits[story]
		if c == nil {
			c = &candidate{story: story}
			hits[story] = c
		}
		return c
	}
	for _, k := range keys {
		ix.postings(k, func(story int, kind uint32) {
			if kind == 0 {
				hit(story).bands++
			}
		})
	}
	for _, k := range anchors {
		ix.postings(k, func(story int, kind uint32) {
			if kind == anchorFlag {
				hit(story).anchors++
			}
		})
	}
	for _, k := range immutables {
		ix.postings(k, func(story int, kind uint32) {
			if kind == immutableFlag {
				hit(story).immutables++
			}
		})
	}
	out := make([]candidate, 0, len(hits))
	need := max(minAnchorHits, len(anchors)/anchorShare)
	needImm := max(minImmutableHits, len(immutables)/immutableShare)
	for _, c := range hits {
		if c.bands > 0 || c.anchors >= need || c.immutables >= needImm {
			out = append(out, *c)
		}
	}
	slices.SortFunc(out, func(a, b candidate) int {
		if c := cmp.Compare(b.bands+b.anchors, a.bands+a.anchors); c != 0 {
			return c
		}
		if c := cmp.Compare(b.immutables, a.immutables); c != 0 {
			return c
		}
		return cmp.Compare(a.story, b.story)
	})
	return out
}

// minAnchorHits is how many anchors a page must share with a story that
// shares no band for the story to be a candidate: one shared 4-word
// shingle is a common phrase.
const minAnchorHits = 2

// anchorShare: a story sharing no band must share at least one in
// anchorShare of the page's anchors. A page that carries part of a story
// shares most of its anchors with it; a page that shares a stock phrase
// or two with a story (a site's boilerplate, a common quote) shares few,
// and its alignment would be wasted work.
const anchorShare = 12

// postings calls fn for every table entry of key k, unless more than
// maxPostings stories share it.
func (ix *Index) postings(k uint64, fn func(story int, kind uint32)) {
	le := binary.LittleEndian
	lo, hi := 0, ix.entries
	if ix.dirBits > 0 {
		b := k >> (64 - ix.dirBits)
		lo, hi = int(ix.dir[b]), int(ix.dir[b+1])
	}
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if le.Uint64(ix.data[ix.bandOff+m*bandEntrySize:]) < k {
			lo = m + 1
		} else {
			hi = m
		}
	}
	end := lo
	for end < ix.entries && le.Uint64(ix.data[ix.bandOff+end*bandEntrySize:]) == k {
		end++
	}
	if end-lo > maxPostings {
		return
	}
	for i := lo; i < end; i++ {
		v := le.Uint32(ix.data[ix.bandOff+i*bandEntrySize+8:])
		fn(int(v&^kindFlags), v&kindFlags)
	}
}

type candidate struct{ story, bands, anchors, immutables int }

// Builder collects stories for a new index.
type Builder struct {
	stories []Story
	hashes  map[uint64]bool
}

// NewBuilder returns an empty builder.
func NewBuilder() *Builder { return &Builder{hashes: map[uint64]bool{}} }

// Add adds a story, and reports false when the index already holds one
// with the same body (the same story read twice, or a verbatim
// duplicate).
func (b *Builder) Add(s Story) bool {
	if b.hashes[s.BodyHash] {
		return false
	}
	b.hashes[s.BodyHash] = true
	b.stories = append(b.stories, s)
	return true
}

// AddIndex adds every story of an existing index, with the anchors and
// immutable keys its table holds.
func (b *Builder) AddIndex(ix *Index) {
	anchors := make([][]uint64, ix.Len())
	immutables := make([][]uint64, ix.Len())
	le := binary.LittleEndian
	for i := range ix.entries {
		e := ix.data[ix.bandOff+i*bandEntrySize:]
		v := le.Uint32(e[8:])
		switch story := v &^ kindFlags; {
		case v&anchorFlag != 0:
			anchors[story] = append(anchors[story], le.Uint64(e))
		case v&immutableFlag != 0:
			immutables[story] = append(immutables[story], le.Uint64(e))
		}
	}
	for i := range ix.Len() {
		s := ix.Story(i)
		s.Anchors, s.Immutables = anchors[i], immutables[i]
		b.Add(s)
	}
}

// Len returns how many stories the builder holds.
func (b *Builder) Len() int { return len(b.stories) }

// Bytes returns the index file for the stories added so far. The same
// stories added in the same order give the same bytes.
func (b *Builder) Bytes() []byte {
	le := binary.LittleEndian
	var strs bytes.Buffer
	type entry struct {
		key   uint64
		story uint32
	}
	var table []entry
	records := make([]byte, 0, len(b.stories)*storyRecordSize)
	for i, s := range b.stories {
		var r [storyRecordSize]byte
		for f, v := range []string{s.ID, s.URL, s.Title, s.Text, strings.Join(s.Credits, "\n")} {
			le.PutUint32(r[f*8:], uint32(strs.Len()))
			le.PutUint32(r[f*8+4:], uint32(len(v)))
			strs.WriteString(v)
		}
		le.PutUint32(r[40:], uint32(s.Shingles))
		le.PutUint64(r[44:], s.BodyHash)
		for k, v := range s.Signature {
			le.PutUint32(r[52+4*k:], v)
		}
		records = append(records, r[:]...)
		keys := bandKeys(&s.Signature)
		for _, k := range keys {
			table = append(table, entry{k, uint32(i)})
		}
		for _, k := range s.Anchors {
			table = append(table, entry{k, uint32(i) | anchorFlag})
		}
		for _, k := range s.Immutables {
			table = append(table, entry{k, uint32(i) | immutableFlag})
		}
	}
	slices.SortFunc(table, func(a, b entry) int {
		if c := cmp.Compare(a.key, b.key); c != 0 {
			return c
		}
		return cmp.Compare(a.story, b.story)
	})
	table = slices.Compact(table)
	out := make([]byte, headerSize, headerSize+len(records)+len(table)*bandEntrySize+strs.Len()+footerSize)
	copy(out, magic)
	le.PutUint32(out[8:], FormatVersion)
	le.PutUint32(out[12:], ShingleWords)
	le.PutUint32(out[16:], Hashes)
	le.PutUint32(out[20:], Bands)
	le.PutUint32(out[24:], Rows)
	le.PutUint32(out[28:], uint32(len(b.stories)))
	le.PutUint32(out[32:], uint32(len(table)))
	le.PutUint32(out[36:], AnchorEvery)
	le.PutUint32(out[40:], MaxAnchors)
	le.PutUint32(out[44:], MaxImmutables)
	out = append(out, records...)
	for _, e := range table {
		out = le.AppendUint64(out, e.key)
		out = le.AppendUint32(out, e.story)
	}
	out = append(out, strs.Bytes()...)
	out = le.AppendUint32(out, crc32.ChecksumIEEE(out))
	return append(out, footerMagic...)
}

// WriteFile writes the index to path through a temporary file in the same
// directory renamed over it, so that a reader never sees half an index.
func (b *Builder) WriteFile(path string) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("index %s: %w", path, err)
	}
	_, werr := io.Copy(tmp, bytes.NewReader(b.Bytes()))
	if err := errors.Join(werr, tmp.Sync(), tmp.Close()); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("index %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("index %s: %w", path, err)
	}
	return nil
}
