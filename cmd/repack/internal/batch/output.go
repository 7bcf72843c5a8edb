package batch

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/repack/repack/detector/record"
)

// flushBytes is how much output is gathered before it is written: whole
// lines only, so that every write(2) holds complete records.
const flushBytes = 64 << 10

// Output writes records as whole lines. Records are gathered in memory
// and written with one write call per batch of whole lines, so that a run
// killed at any moment (kill -9 included) leaves only whole records, bar
// a write the kernel itself cut short, which resume truncates.
type Output struct {
	w      io.Writer
	file   *os.File
	format record.Format
	buf    bytes.Buffer
	line   bytes.Buffer
	// size is how many bytes of whole lines the file holds: a write that
	// fails (a full disk) is cut back to it, so that the file never ends
	// in a torn line.
	size int64
}

// NewOutput returns an output to w (standard output), with the CSV header
// when the format is CSV.
func NewOutput(w io.Writer, f record.Format) (*Output, error) {
	o := &Output{w: w, format: f}
	if f == record.FormatCSV {
		if err := record.AppendHeader(&o.buf, f); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// Resumed is what a resumed output already held.
type Resumed struct {
	// Done holds the ids of the records in the file.
	Done *IDSet
	// Records and Flagged count them, and those with a spam label.
	Records, Flagged int
	// TruncatedBytes is the length of a partial last line that was cut
	// off (a record a killed run did not finish writing).
	TruncatedBytes int64
}

// OpenOutput opens the output file at path. Without resume it is
// truncated. With resume the records already in it are read (their ids
// are to be skipped), a partial last line is cut off, and new records are
// appended.
func OpenOutput(path string, f record.Format, resume bool) (*Output, Resumed, error) {
	var res Resumed
	if !resume {
		file, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
		if err != nil {
			return nil, res, fmt.Errorf("open output: %w", err)
		}
		o, err := NewOutput(file, f)
		if err != nil {
			file.Close()
			return nil, res, err
		}
		o.file = file
		return o, res, nil
	}
	file, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, res, fmt.Errorf("open output: %w", err)
	}
	res, end, err := readDone(file, f)
	if err != nil {
		file.Close()
		return nil, res, fmt.Errorf("resume %s: %w", path, err)
	}
	fi, err := file.Stat()
	if err != nil {
		file.Close()
		return nil, res, fmt.Errorf("resume %s: %w", path, err)
	}
	if fi.Size() > end {
		res.TruncatedBytes = fi.Size() - end
		if err := file.Truncate(end); err != nil {
			file.Close()
			return nil, res, fmt.Errorf("resume %s: cut the partial last line: %w", path, err)
		}
	}
	if _, err := file.Seek(end, io.SeekStart); err != nil {
		file.Close()
		return nil, res, fmt.Errorf("resume %s: %w", path, err)
	}
	o := &Output{w: file, file: file, format: f, size: end}
	if end == 0 && f == record.FormatCSV {
		if err := record.AppendHeader(&o.buf, f); err != nil {
			file.Close()
			return nil, res, err
		}
	}
	return o, res, nil
}

// readDone reads the records of an existing output and returns them with
// the offset just past the last whole line.
func readDone(r io.Reader, f record.Format) (Resumed, int64, error) {
	res := Resumed{Done: NewIDSet()}
	br := bufio.NewReaderSize(r, 1<<20)
	var end int64
	for n := 1; ; n++ {
		line, err := br.ReadBytes('\n')
		if err == io.EOF {
			// A last line without its newline is a record a killed run
			// did not finish: it is cut off and its document redone.
			return res, end, nil
		}
		if err != nil {
			return res, end, err
		}
		end += int64(len(line))
		id, label, err := record.ParseLine(bytes.TrimRight(line, "\r\n"), f, n == 1)
		if err != nil {
			return res, end, fmt.Errorf("line %d: %w", n, err)
		}
		if n == 1 && f == record.FormatCSV {
			continue
		}
		res.Done.Add(id)
		res.Records++
		if label != "" && label != "authentic" {
			res.Flagged++
		}
	}
}

// WriteRecord gathers one record and writes what is gathered when it
// passes flushBytes or when idle says no other record is ready.
func (o *Output) WriteRecord(r record.Record, idle bool) error {
	o.line.Reset()
	if err := record.Append(&o.line, o.format, r); err != nil {
		return fmt.Errorf("write record %s: %w", r.ID, err)
	}
	o.buf.Write(o.line.Bytes())
	if idle || o.buf.Len() >= flushBytes {
		return o.Flush()
	}
	return nil
}

// Flush writes what is gathered, in one write call.
func (o *Output) Flush() error {
	if o.buf.Len() == 0 {
		return nil
	}
	n, err := o.w.Write(o.buf.Bytes())
	o.buf.Reset()
	if err != nil {
		if o.file != nil && n > 0 {
			// Cut the part of the batch that was written: the file ends
			// in whole lines, and --resume redoes the rest.
			if terr := o.file.Truncate(o.size); terr == nil {
				_, _ = o.file.Seek(o.size, io.SeekStart)
			}
		}
		return fmt.Errorf("write output: %w", err)
	}
	o.size += int64(n)
	return nil
}

// Close flushes and closes the output file (standard output is left
// open).
func (o *Output) Close() error {
	err := o.Flush()
	if o.file != nil {
		if cerr := o.file.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("close output: %w", cerr)
		}
	}
	return err
}
