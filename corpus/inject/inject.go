// Package inject is the injector: it plants SEO spam into authentic pages
// the way hacked and parasitic sites carry it (a hidden footer div of
// casino and pharma links, a "Japanese keyword hack" block, Indonesian
// slot-gambling paragraphs spliced into the story, keyword anchors to
// unrelated domains in the middle of a paragraph, a link farm, keyword
// stuffing, cloaking redirects), keeping the page's own markup and
// inserting at byte offsets found by the HTML tokenizer. It also makes
// hard negatives, labelled authentic: legitimate look-alikes of each
// kind (a footer of many same-site links, a labelled sponsor block, a
// page about gambling or medicine on a site of that trade, a genuinely
// multilingual page, accessibility text and a cookie banner hidden by
// CSS).
//
// Every choice is drawn from a seeded stream that belongs to one output
// document (math/rand/v2 PCG seeded from the seed and a hash of the
// source's id, the purpose and the variant), so the output does not depend
// on order or parallelism, and every choice is recorded in the document's
// Meta["inject"], so that an evaluation can hold out one kind at a time.
//
// It reads pages with features/page (to render text) and writes
// corpus.Document values. It must not import the extractors' packages,
// the detector or the training code: it makes pages, it does not judge
// them.
package inject

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/repack/repack/corpus"
	"github.com/repack/repack/features/article"
	"github.com/repack/repack/features/page"
)

// Kind is a kind of injection.
type Kind string

// The kinds of injection, each planted by its own function.
const (
	// HiddenLinks: a hidden div of casino, pharma and other spam links,
	// in the footer or at the edges of the body.
	HiddenLinks Kind = "hidden_links"
	// JapaneseKeywordHack: a block of Japanese fake-brand shop text with
	// links, and now and then the title rewritten the same way.
	JapaneseKeywordHack Kind = "japanese_keyword_hack"
	// SplicedParagraph: spam paragraphs (Indonesian slot gambling mostly,
	// also English and Chinese) spliced between the story's paragraphs.
	SplicedParagraph Kind = "spliced_paragraph"
	// KeywordAnchors: keyword anchors to unrelated domains inserted in
	// the middle of the story's paragraphs.
	KeywordAnchors Kind = "keyword_anchors"
	// LinkFarm: a visible block of links to many unrelated domains.
	LinkFarm Kind = "link_farm"
	// KeywordStuffing: visible text repeating a keyword phrase, or a long
	// comma-separated list of its variants.
	KeywordStuffing Kind = "keyword_stuffing"
	// Cloaking: a meta refresh or a script redirect to another host, a
	// user-agent or referrer check, or spam only in <noscript>.
	Cloaking Kind = "cloaking"
)

// Kinds returns every injection kind, in a fixed order.
func Kinds() []Kind {
	return []Kind{HiddenLinks, JapaneseKeywordHack, SplicedParagraph, KeywordAnchors, LinkFarm, KeywordStuffing, Cloaking}
}

// ParseKind reads a kind's name.
func ParseKind(s string) (Kind, error) {
	for _, k := range Kinds() {
		if string(k) == s {
			return k, nil
		}
	}
	return "", fmt.Errorf("unknown injection kind %q (want one of %s)", s, joinKinds(Kinds()))
}

func joinKinds(ks []Kind) string {
	s := make([]string, len(ks))
	for i, k := range ks {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

// Source names written into generated documents.
const (
	SourceInjected     = "inject"
	SourceHardNegative = "inject-hard-negative"
)

// MetaKey is the key of the generator's record in a document's Meta.
const MetaKey = "inject"

// DefaultTextShare is the share of pages with visible spam that are
// written as their visible text (as a crawl's WET record or a copy-paste
// shows them), like the real slot-gambling example.
const DefaultTextShare = 0.15

// Options configure an Injector.
type Options struct {
	// Seed is the seed every document's stream is derived from.
	Seed uint64
	// Kinds are the injection kinds drawn from; empty means all.
	Kinds []Kind
	// TextShare is the share of visible injections written as text, in
	// [0, 1].
	TextShare float64
}

// Injector plants spam and makes hard negatives. It holds no mutable
// state: one Injector may serve many goroutines.
type Injector struct {
	opts  Options
	kinds []Kind
}

// New returns an injector, refusing an unknown kind or a share outside
// [0, 1].
func New(opts Options) (*Injector, error) {
	if !(opts.TextShare >= 0 && opts.TextShare <= 1) {
		return nil, fmt.Errorf("inject: text share %v is not in [0, 1]", opts.TextShare)
	}
	kinds := opts.Kinds
	if len(kinds) == 0 {
		kinds = Kinds()
	}
	seen := map[Kind]bool{}
	for _, k := range kinds {
		if _, err := ParseKind(string(k)); err != nil {
			return nil, fmt.Errorf("inject: %w", err)
		}
		if seen[k] {
			return nil, fmt.Errorf("inject: kind %q listed twice", k)
		}
		seen[k] = true
	}
	return &Injector{opts: opts, kinds: kinds}, nil
}

// Stream returns the random stream of one output document: PCG seeded
// with the injector's seed and a hash of (purpose, source id, variant).
func (in *Injector) Stream(purpose, sourceID string, variant int) *rand.Rand {
	h := sha256.Sum256([]byte(purpose + "\x00" + sourceID + "\x00" + strconv.Itoa(variant)))
	return rand.New(rand.NewPCG(in.opts.Seed, binary.LittleEndian.Uint64(h[:8])))
}

// source is a document usable as a source, with its layout.
type source struct {
	doc    corpus.Document
	layout layout
	host   string
	// group is the source's cross-validation group, which every page
	// made from it shares.
	group string
}

// checkSource accepts an HTML document labelled authentic or unlabelled,
// read without error, in UTF-8.
func checkSource(d corpus.Document) (*source, error) {
	skip := func(reason string) error { return &corpus.SkipError{ID: d.ID, Reason: reason} }
	switch {
	case d.Err != nil:
		return nil, skip("unreadable: " + d.Err.Error())
	case d.Label != corpus.Authentic && d.Label != corpus.Unlabelled:
		return nil, skip("labelled " + string(d.Label))
	case d.Format == corpus.FormatText || d.Format == corpus.FormatAuto && page.Sniff(d.Body) != page.FormatHTML:
		return nil, skip("text, not HTML")
	case !utf8.Valid(d.Body):
		return nil, skip("not UTF-8")
	}
	s := &source{doc: d, layout: scanLayout(d.Body), group: d.GroupKey()}
	if s.group == "" {
		name := ""
		if p, err := page.Parse(d.Body, page.Options{Format: page.FormatHTML}); err == nil {
			name = article.Of(p).SiteName()
		}
		s.group = d.GroupKeyOr(name)
	}
	if d.URL != "" {
		s.host = strings.TrimPrefix(strings.ToLower(hostOf(strings.TrimPrefix(strings.TrimPrefix(d.URL, "http://"), "https://"))), "www.")
	}
	return s, nil
}

// plan is what an injection or hard negative did, recorded in Meta.
type plan struct {
	edits []edit
	meta  map[string]any
	// visible reports spam a reader sees, which may be written as text.
	visible bool
}

// Inject plants one injection into src: variant v of the source's
// injected copies. The kind is drawn from the injector's kinds.
func (in *Injector) Inject(src corpus.Document, variant int) (corpus.Document, error) {
	s, err := checkSource(src)
	if err != nil {
		return corpus.Document{}, err
	}
	r := in.Stream(SourceInjected, src.ID, variant)
	kind := pick(r, in.kinds)
	var p plan
	switch kind {
	case HiddenLinks:
		p = hiddenLinks(r, s)
	case JapaneseKeywordHack:
		p = japaneseHack(r, s)
	case SplicedParagraph:
		p = splicedParagraph(r, s)
	case KeywordAnchors:
		p = keywordAnchors(r, s)
	case LinkFarm:
		p = linkFarm(r, s)
	case KeywordStuffing:
		p = keywordStuffing(r, s)
	case Cloaking:
		p = cloaking(r, s)
	}
	p.meta["kind"] = string(kind)
	return in.finish(s, r, p, corpus.Injected, SourceInjected, "#inject-"+string(kind)+"-", variant)
}

// finish applies a plan's edits, renders text when drawn, and fills the
// document's fields and Meta.
func (in *Injector) finish(s *source, r *rand.Rand, p plan, label corpus.Label, sourceName, idPrefix string, variant int) (corpus.Document, error) {
	body := apply(s.doc.Body, p.edits)
	format := corpus.FormatHTML
	rendering := "html"
	if p.visible && chance(r, in.opts.TextShare) {
		pg, err := page.Parse(body, page.Options{Format: page.FormatHTML, URL: s.doc.URL})
		if err != nil {
			return corpus.Document{}, fmt.Errorf("inject %s: render text: %w", s.doc.ID, err)
		}
		orig, err := page.Parse(s.doc.Body, page.Options{Format: page.FormatHTML, URL: s.doc.URL})
		if err != nil {
			return corpus.Document{}, fmt.Errorf("inject %s: render text: %w", s.doc.ID, err)
		}
		// Spam planted inside an element the page hides shows in no
		// text rendering: such a page stays HTML, where it is there.
		if pg.Text != orig.Text {
			body = []byte(pg.Text + "\n")
			format, rendering = corpus.FormatText, "text"
		}
	}
	m := p.meta
	for _, k := range []string{"placement", "language"} {
		if _, ok := m[k]; !ok {
			m[k] = "none"
		}
	}
	if _, ok := m["n_links"]; !ok {
		m["n_links"] = 0
	}
	m["seed"] = in.opts.Seed
	m["variant"] = variant
	m["source_id"] = s.doc.ID
	m["source"] = s.doc.Source
	m["rendering"] = rendering
	return corpus.Document{
		ID:     s.doc.ID + idPrefix + strconv.Itoa(variant),
		URL:    s.doc.URL,
		Source: sourceName,
		Group:  s.group,
		Label:  label,
		Format: format,
		Body:   body,
		Meta:   map[string]any{MetaKey: m},
	}, nil
}

// GenerateOptions say how many documents Generate makes per source.
type GenerateOptions struct {
	// PerSource is the number of injected copies of each source.
	PerSource int
	// HardNegatives is the number of hard negatives of each source.
	HardNegatives int
	// Workers bounds the goroutines; 0 means GOMAXPROCS.
	Workers int
	// Progress, when not nil, is called after each source with the count
	// done (from one goroutine at a time).
	Progress func(done, total int)
}

// Generate makes the injected copies and hard negatives of every usable
// source, in parallel, and returns them in source order, each source's
// injected copies first, with the sources it skipped and why. The output
// is the same whatever Workers is.
func (in *Injector) Generate(ctx context.Context, docs []corpus.Document, o GenerateOptions) ([]corpus.Document, []*corpus.SkipError, error) {
	if o.PerSource < 0 || o.HardNegatives < 0 {
		return nil, nil, fmt.Errorf("inject: negative count per source (%d injected, %d hard negatives)", o.PerSource, o.HardNegatives)
	}
	per := o.PerSource + o.HardNegatives
	out := make([][]corpus.Document, len(docs))
	skips := make([]*corpus.SkipError, len(docs))
	errs := make([]error, len(docs))
	err := corpus.ForEach(ctx, len(docs), o.Workers, func(i int) {
		got := make([]corpus.Document, 0, per)
		for _, step := range []struct {
			n    int
			make func(corpus.Document, int) (corpus.Document, error)
		}{{o.PerSource, in.Inject}, {o.HardNegatives, in.HardNegative}} {
			for v := 0; v < step.n; v++ {
				doc, err := step.make(docs[i], v)
				var se *corpus.SkipError
				switch {
				case errors.As(err, &se):
					skips[i] = se
					return
				case err != nil:
					errs[i] = err
					return
				}
				got = append(got, doc)
			}
		}
		out[i] = got
	}, o.Progress)
	if err != nil {
		return nil, nil, err
	}
	var all []corpus.Document
	var skipped []*corpus.SkipError
	for i := range docs {
		if errs[i] != nil {
			return nil, nil, errs[i]
		}
		if skips[i] != nil {
			skipped = append(skipped, skips[i])
			continue
		}
		all = append(all, out[i]...)
	}
	return all, skipped, nil
}
