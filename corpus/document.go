// Package corpus reads and writes labelled pages (directories of .html and
// .txt files with sidecar .json, JSONL, WARC, gzip), and holds the
// repackager that turns authentic pages into realistic spam for training.
//
// It must not import the detector or the training code: it moves pages,
// it does not judge them.
package corpus

import (
	"fmt"
	"net/url"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// Label is a document's class.
type Label string

// The labels a document may carry.
const (
	Unlabelled Label = ""
	Authentic  Label = "authentic"
	Repackaged Label = "repackaged"
	Injected   Label = "injected"
)

// ParseLabel reads a label, refusing unknown ones.
func ParseLabel(s string) (Label, error) {
	switch l := Label(strings.ToLower(strings.TrimSpace(s))); l {
	case Unlabelled, Authentic, Repackaged, Injected:
		return l, nil
	}
	return "", fmt.Errorf("unknown label %q (want authentic, repackaged or injected)", s)
}

// Format says how a document's body is to be read.
type Format string

// Document body formats.
const (
	FormatAuto Format = ""
	FormatHTML Format = "html"
	FormatText Format = "text"
)

// Document is one labelled page.
type Document struct {
	// ID is the document's identifier: the path relative to the input
	// root for files, "file#offset" for WARC records, the record's id for
	// JSONL.
	ID string `json:"id"`
	// URL is the page's address, if known.
	URL string `json:"url,omitempty"`
	// Source names where the page comes from (a corpus, a crawl, the
	// repackager).
	Source string `json:"source,omitempty"`
	// Group is the cross-validation group: the publisher's site. Documents
	// derived from one page share its group, so that a page and its
	// repackaged copy never sit on both sides of a split. Empty means
	// Group() derives it.
	Group string `json:"group,omitempty"`
	Label Label  `json:"label,omitempty"`
	// Format says whether Body is HTML or text; "" sniffs.
	Format Format `json:"format,omitempty"`
	// Body is the page's bytes.
	Body []byte `json:"-"`
	// Meta holds the sidecar's other fields, and for generated pages every
	// choice the generator made.
	Meta map[string]any `json:"meta,omitempty"`
	// Origin says where the record was read: a file path, "file#offset".
	Origin string `json:"origin,omitempty"`
	// Err is set when the record could not be read. Such a record is still
	// yielded, so that every input record has one output record.
	Err error `json:"-"`
	// WARC says where a document read from a WARC file lies in it; nil
	// for other inputs.
	WARC *WARCLocation `json:"-"`
}

// WARCLocation places a WARC record in its file as Common Crawl's index
// does, so that a record can be fetched back with one HTTP range request
// (bytes Offset to Offset+Length-1) and decompressed on its own.
type WARCLocation struct {
	// Filename is the file's name as the document's ID gives it: the
	// path relative to the input root.
	Filename string
	// Offset and Length are the byte range of the record's gzip member
	// in a .warc.gz (a member holding several records is given whole to
	// each), or of the record itself in a plain WARC. Both are -1 when
	// the range is unknown: a wholly gzipped file (one stream that
	// cannot be entered in the middle), or a length that an unreadable
	// record never revealed.
	Offset, Length int64
	// RecordID is the record's WARC-Record-ID, "" when it has none.
	RecordID string
}

// GroupKey returns the document's cross-validation group: Group when set,
// else the registrable domain of its URL (edition.cnn.com and cnn.com are
// one publisher), else "" when it has no usable URL: the caller groups it
// by what the page says its site is (training does, by its site name),
// or by Source and ID (GroupKeyOr).
func (d Document) GroupKey() string {
	if d.Group != "" {
		return d.Group
	}
	if d.URL != "" {
		if u, err := url.Parse(d.URL); err == nil && u.Hostname() != "" && u.Hostname() != "fakehost" {
			host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
			if dom, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil {
				return dom
			}
			return host
		}
	}
	return ""
}

// GroupKeyOr returns GroupKey, or siteName when the document has neither
// a group nor a usable URL, or else its Source and ID: a page alone.
func (d Document) GroupKeyOr(siteName string) string {
	if g := d.GroupKey(); g != "" {
		return g
	}
	if siteName != "" {
		return "site:" + siteName
	}
	if d.Source != "" {
		return d.Source + "/" + d.ID
	}
	return d.ID
}
