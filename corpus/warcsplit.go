package corpus

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"

	"github.com/klauspost/compress/gzip"
)

// A WARC gzipped record by record (as every crawl publishes them) can be
// read in byte ranges by readers that never talk to each other: each
// range starts at the first good record at or after its first byte (a
// gzip member that decompresses to a "WARC/1." line) and reads on, member
// by member, up to the first good record at or after its last byte. The
// ranges' documents are then exactly the file's, each read once, whatever
// the ranges' bounds, corrupt members included (they are read by the range
// before the next good record).

// WARCSplits returns the byte ranges, about size bytes each, in which the
// WARC file at path can be read by ReadWARCRange; one range [0, file size)
// when it cannot be split: a plain or wholly gzipped WARC, or a file
// smaller than size.
func WARCSplits(path string, size int64) ([][2]int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	total := fi.Size()
	var head [2]byte
	n, _ := io.ReadFull(f, head[:])
	if size <= 0 || total <= size || !bytes.Equal(head[:n], gzipMagic) || wholeFileGzip(f) {
		return [][2]int64{{0, total}}, nil
	}
	var out [][2]int64
	for at := int64(0); at < total; at += size {
		out = append(out, [2]int64{at, min(at+size, total)})
	}
	return out, nil
}

// ReadWARCRange streams the documents of the records of a WARC file,
// gzipped record by record, that start in the byte range [start, end) as
// WARCSplits defines it, named as ReadAs names a WARC file's documents
// (name#offset). The ranges of WARCSplits together yield what ReadAs
// yields for the whole file.
func ReadWARCRange(ctx context.Context, path, name string, start, end int64, opts Options) iter.Seq[Document] {
	return func(yield func(Document) bool) {
		f, err := os.Open(path)
		if err != nil {
			yield(errorDoc(name, path, opts, err))
			return
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil {
			yield(errorDoc(name, path, opts, err))
			return
		}
		if start == 0 && end >= fi.Size() {
			for d := range readWARCFile(ctx, path, name, opts) {
				if !yield(d) {
					return
				}
			}
			return
		}
		from, err := nextGoodMember(f, start, fi.Size())
		if err != nil {
			yield(errorDoc(name, path, opts, err))
			return
		}
		to, err := nextGoodMember(f, end, fi.Size())
		if err != nil {
			yield(errorDoc(name, path, opts, err))
			return
		}
		if from >= to {
			return // no record starts in this range
		}
		if _, err := f.Seek(from, io.SeekStart); err != nil {
			yield(errorDoc(name, path, opts, err))
			return
		}
		s := &warcScan{id: name, origin: path, opts: opts, yield: yield, stopAt: to}
		s.membersFrom(ctx, countReads(f, opts.BytesRead), from, func(off int64) (io.Reader, error) {
			if _, err := f.Seek(off, io.SeekStart); err != nil {
				return nil, err
			}
			return countReads(f, opts.BytesRead), nil
		})
	}
}

// nextGoodMember returns the offset of the first gzip member at or after
// at that decompresses to a WARC record's first line, or size when there
// is none.
func nextGoodMember(f *os.File, at, size int64) (int64, error) {
	if at <= 0 {
		return 0, nil
	}
	if at >= size {
		return size, nil
	}
	br := bufio.NewReaderSize(io.NewSectionReader(f, at, size-at), 256<<10)
	pos := at
	for {
		b, err := br.Peek(3)
		if len(b) < 3 {
			if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) || err == bufio.ErrBufferFull {
				return size, nil
			}
			return 0, fmt.Errorf("looking for a record start after byte %d: %w", at, err)
		}
		if b[0] == 0x1f && b[1] == 0x8b && b[2] == 0x08 && startsWARCRecord(f, pos, size) {
			return pos, nil
		}
		if _, err := br.Discard(1); err != nil {
			return size, nil
		}
		pos++
	}
}

// startsWARCRecord reports whether the gzip member at off decompresses to
// a "WARC/1." line.
func startsWARCRecord(f *os.File, off, size int64) bool {
	zr, err := gzip.NewReader(bufio.NewReaderSize(io.NewSectionReader(f, off, size-off), 4<<10))
	if err != nil {
		return false
	}
	defer zr.Close()
	zr.Multistream(false)
	var head [7]byte
	if _, err := io.ReadFull(zr, head[:]); err != nil {
		return false
	}
	return bytes.Equal(head[:], warcStart)
}
