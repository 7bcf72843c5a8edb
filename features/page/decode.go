package page

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/transform"
)

// ErrEmpty is returned for an input with nothing but white space in it.
var ErrEmpty = errors.New("empty input")

// ErrBinary is returned for an input that is neither markup nor text.
var ErrBinary = errors.New("input is binary, not HTML or text")

// Parse builds a Page from one input. It decodes the bytes to UTF-8, caps
// them at opts.MaxBytes (marking the page Truncated), parses HTML once and
// walks it once into text blocks, links, metadata and marked elements. It returns an error only for input it cannot read
// as a page at all: empty input, binary data, or an unknown format.
func Parse(input []byte, opts Options) (*Page, error) {
	maxBytes := opts.MaxBytes
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	p := &Page{}
	if opts.URL != "" {
		u, err := url.Parse(strings.TrimSpace(opts.URL))
		if err != nil {
			return nil, fmt.Errorf("page URL %q: %w", opts.URL, err)
		}
		p.URL = u
	}
	if len(input) > maxBytes {
		input = input[:maxBytes]
		p.Truncated = true
		p.TruncatedBy = fmt.Sprintf("input cut at %d bytes", maxBytes)
	}
	if len(bytes.TrimSpace(input)) == 0 {
		return nil, ErrEmpty
	}
	format := opts.Format
	if format == FormatAuto {
		format = Sniff(input)
	}
	if looksBinary(input) {
		return nil, ErrBinary
	}
	switch format {
	case FormatHTML:
		text, cs := decodeHTML(input, opts.ContentType)
		p.Charset = cs
		p.Format = FormatHTML
		if err := buildHTML(p, text); err != nil {
			return nil, err
		}
	case FormatText:
		text, cs := decodeText(input, opts.ContentType)
		p.Charset = cs
		p.Format = FormatText
		buildText(p, text)
	default:
		return nil, fmt.Errorf("unknown input format %d", format)
	}
	return p, nil
}

// Sniff tells HTML from plain text by the first markup in the input: a
// doctype, an <html>, <head> or <body> tag, or several common tags near
// the start.
func Sniff(input []byte) Format {
	head := input
	if len(head) > 4096 {
		head = head[:4096]
	}
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	lower := bytes.ToLower(trimmed)
	for _, p := range []string{"<!doctype html", "<html", "<head", "<body", "<?xml", "<!--"} {
		if bytes.HasPrefix(lower, []byte(p)) {
			return FormatHTML
		}
	}
	tags := 0
	for _, t := range []string{"<div", "<p>", "<p ", "<span", "<a ", "<meta", "<title", "<script", "<br", "<h1", "<h2", "<li", "<table"} {
		tags += bytes.Count(lower, []byte(t))
	}
	if tags >= 3 || (tags >= 1 && bytes.HasPrefix(trimmed, []byte("<"))) {
		return FormatHTML
	}
	return FormatText
}

// looksBinary reports whether the head of the input holds NUL bytes or
// mostly control characters, as images, archives and executables do.
func looksBinary(input []byte) bool {
	head := input
	if len(head) > 8192 {
		head = head[:8192]
	}
	if len(head) >= 2 && (head[0] == 0xff && head[1] == 0xfe || head[0] == 0xfe && head[1] == 0xff) {
		return false // UTF-16 byte order mark: text in a wide encoding
	}
	ctrl := 0
	for _, c := range head {
		if c == 0 {
			return true
		}
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != '\v' && c != 0x1b {
			ctrl++
		}
	}
	return ctrl*10 > len(head)
}

// decodeHTML turns input into valid UTF-8. A byte order mark or the
// Content-Type charset wins; then, when the bytes are valid UTF-8 (or
// mostly: a few broken bytes among many valid sequences, mostlyUTF8),
// they are kept as they are even if a <meta charset> names another
// encoding (a page re-saved as UTF-8 with its old declaration, common in
// crawls); otherwise the declared encoding, and windows-1252 as the last
// resort.
// The result shares input's memory when no conversion is needed: HTML is
// parsed from it and not kept.
func decodeHTML(input []byte, contentType string) ([]byte, string) {
	conv := func(s, cs string) ([]byte, string) { return []byte(s), cs }
	if cs, ok := bomCharset(input); ok {
		return conv(transcode(input, cs))
	}
	if _, name, certain := charset.DetermineEncoding(input, contentType); certain && contentType != "" {
		if utf8Name(name) {
			return validUTF8Bytes(input), "utf-8"
		}
		return conv(transcode(input, name))
	}
	if utf8.Valid(input) || mostlyUTF8(input) {
		return validUTF8Bytes(input), "utf-8"
	}
	_, name, _ := charset.DetermineEncoding(input, "")
	if utf8Name(name) {
		return validUTF8Bytes(input), "utf-8"
	}
	return conv(transcode(input, name))
}

func validUTF8Bytes(b []byte) []byte {
	if utf8.Valid(b) {
		return b
	}
	return bytes.ToValidUTF8(b, []byte("\ufffd"))
}

// decodeText turns plain text into valid UTF-8: BOM, then Content-Type
// charset, then UTF-8 when valid, then windows-1252.
func decodeText(input []byte, contentType string) (string, string) {
	if cs, ok := bomCharset(input); ok {
		return transcode(input, cs)
	}
	if contentType != "" {
		if _, name, certain := charset.DetermineEncoding(input, contentType); certain && !utf8Name(name) {
			return transcode(input, name)
		}
	}
	if utf8.Valid(input) || mostlyUTF8(input) {
		return validUTF8(input), "utf-8"
	}
	return transcode(input, "windows-1252")
}

// mostlyUTF8 reports whether bytes that are not valid UTF-8 are still
// UTF-8 text with a few broken bytes (a page cut inside a character, one
// stray byte of another encoding): at least two valid multi-byte
// sequences, and at most one invalid byte for every four of them. Read as
// windows-1252, such a page would turn every "ü" into "Ã¼" and spoil
// every span; a legacy-encoded page has almost no valid multi-byte
// sequences. A declared charset (<meta>) does not override this, as valid
// UTF-8 does not heed an old declaration either.
func mostlyUTF8(b []byte) bool {
	valid, invalid := 0, 0
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			invalid++
			i++
			continue
		}
		valid++
		i += size
	}
	return valid >= 2 && invalid*4 <= valid
}

func utf8Name(name string) bool {
	return name == "utf-8" || name == "utf8"
}

func bomCharset(input []byte) (string, bool) {
	switch {
	case bytes.HasPrefix(input, []byte("\xef\xbb\xbf")):
		return "utf-8", true
	case bytes.HasPrefix(input, []byte("\xff\xfe")):
		return "utf-16le", true
	case bytes.HasPrefix(input, []byte("\xfe\xff")):
		return "utf-16be", true
	}
	return "", false
}

func transcode(input []byte, name string) (string, string) {
	if utf8Name(name) {
		return validUTF8(bytes.TrimPrefix(input, []byte("\xef\xbb\xbf"))), "utf-8"
	}
	enc, canonical := charset.Lookup(name)
	if enc == nil {
		return validUTF8(input), "utf-8"
	}
	out, err := io.ReadAll(transform.NewReader(bytes.NewReader(input), enc.NewDecoder()))
	if err != nil {
		return validUTF8(input), "utf-8"
	}
	s := validUTF8(out)
	return strings.TrimPrefix(s, "\ufeff"), canonical
}

func validUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return strings.ToValidUTF8(string(b), "\ufffd")
}

func trimWWW(host string) string {
	return strings.TrimPrefix(strings.ToLower(host), "www.")
}
