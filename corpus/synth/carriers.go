package synth

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"

	"github.com/repack/repack/features/article"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Carriers are hard negatives for the source index: genuine pages on
// another site that carry the story, as partners and AP members do. With
// the story's page indexed they are copies of it, and must stay authentic:
// they edit the story the way carriers do, not the way the network does.
// Each moves the page to a carrier's host (Meta carrier_url).
const (
	LookTrimmedCarrier = "trimmed_carrier" // the story's last paragraphs cut, its credits kept
	LookLaterVersion   = "later_version"   // a number in the story updated, an update paragraph added
	LookCaptionCredit  = "caption_credit"  // the byline and the wire's dateline credit removed, the credit kept in a photo caption
	// LookEditedWire: the carrier edits the wire (issue 15's hard
	// negatives against reworded_copy): the lead trimmed of its last
	// clause, one paragraph rewritten in the editor's words, a local
	// angle added; the credits kept.
	LookEditedWire = "edited_wire"
)

// Carriers lists the carrier look-alikes.
var Carriers = []string{LookTrimmedCarrier, LookLaterVersion, LookCaptionCredit, LookEditedWire}

// carrierHosts are the invented sites of carriers: public radio
// stations, regional papers, a portal.
var carrierHosts = []string{"www.kpbx-radio.example", "www.northfield-courier.example", "news.lakeshore-public-media.example", "www.valleyherald.example", "nachrichten.rheintal-portal.example", "www.lemessager-region.example"}

// updateParagraphs by language: what a later version of a story adds.
var updateParagraphs = map[string][]string{
	"en": {"This story has been updated with additional details.", "Officials said more information would be released later in the day.", "An earlier version of this story misstated the time of the announcement."},
	"de": {"Dieser Artikel wurde aktualisiert.", "Weitere Einzelheiten wollen die Behörden im Laufe des Tages bekanntgeben."},
	"fr": {"Cet article a été mis à jour.", "Les autorités doivent donner plus de détails dans la journée."},
	"es": {"Esta noticia ha sido actualizada.", "Las autoridades darán más detalles a lo largo del día."},
}

// captionCredits by language: a wire's credit in a photo caption.
var captionCredits = map[string][]string{
	"en": {"(AP Photo/%s)", "(Photo: %s/AP)", "(AP Photo/%s, File)"},
	"de": {"(Foto: %s/dpa)", "Foto: dpa/%s"},
	"fr": {"(Photo %s/AFP)", "Photo : %s / AFP"},
	"es": {"(Foto: %s/EFE)", "EFE/%s"},
}

// moveToCarrier records the carrier's URL: the same path on a carrier's
// host.
func (t *target) moveToCarrier(r *rand.Rand) {
	path := "/news/" + slug(t.src.Headline)
	t.meta["carrier_url"] = "https://" + pick(r, carrierHosts) + path
}

// slug makes a URL path segment of a headline.
func slug(h string) string {
	var b strings.Builder
	for _, f := range strings.Fields(strings.ToLower(h)) {
		f = strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, f)
		if f == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('-')
		}
		b.WriteString(f)
		if b.Len() > 60 {
			break
		}
	}
	if b.Len() == 0 {
		return "story"
	}
	return b.String()
}

// storyNodes returns the elements of the story's blocks, in order,
// without repeats (two blocks may share an element).
func (t *target) storyNodes() []*html.Node {
	var out []*html.Node
	seen := map[*html.Node]bool{}
	for _, bi := range article.Of(t.p).StoryBlocks() {
		if n := t.p.Blocks[bi].Node; n != nil && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// trimmedCarrier cuts the story's last paragraphs (a quarter to a half of
// them), as a carrier with less room does, and keeps everything else.
func (t *target) trimmedCarrier(r *rand.Rand) bool {
	nodes := t.storyNodes()
	if len(nodes) < 4 {
		return false
	}
	cut := len(nodes)/4 + r.IntN(len(nodes)/4+1)
	var credits []*html.Node
	for _, c := range article.Of(t.p).Bylines {
		if c.Visible() && c.Node != nil {
			credits = append(credits, c.Node)
		}
	}
	for _, n := range nodes[len(nodes)-cut:] {
		// The credit stays: a byline under the story is not cut with it.
		keep := n == t.first || n.Parent == nil
		for _, c := range credits {
			keep = keep || c == n || contains(n, c) || contains(c, n)
		}
		if !keep {
			n.Parent.RemoveChild(n)
		}
	}
	t.meta["trimmed_paragraphs"] = cut
	t.moveToCarrier(r)
	return true
}

// number finds a number of two or more digits.
var number = regexp.MustCompile(`\b[0-9]{2,}\b`)

// laterVersion changes one number in the story (a toll rising, a count
// updated) and adds an update paragraph after the lead.
func (t *target) laterVersion(r *rand.Rand) bool {
	nodes := t.storyNodes()
	if len(nodes) < 3 {
		return false
	}
	updated := ""
	for _, n := range nodes[1:] {
		if tn := firstTextWith(n, number); tn != nil {
			loc := number.FindStringIndex(tn.Data)
			old := tn.Data[loc[0]:loc[1]]
			v, err := strconv.Atoi(old)
			if err != nil || v > 1_000_000 {
				continue
			}
			updated = strconv.Itoa(v + 1 + r.IntN(9))
			tn.Data = tn.Data[:loc[0]] + updated + tn.Data[loc[1]:]
			t.meta["updated_number"] = old + " -> " + updated
			break
		}
	}
	add := pick(r, updateParagraphs[t.lang])
	insertAfter(nodes[0], element(atom.P, "update", add))
	t.meta["added_paragraph"] = add
	if updated == "" {
		t.meta["updated_number"] = ""
	}
	t.moveToCarrier(r)
	return true
}

// localAngles by language: a carrier's paragraph on what the story means
// for its own audience, %s its region.
var localAngles = map[string][]string{
	"en": {"In %s, local officials said they were following the developments closely and would update residents as needed.", "The news is being watched closely in %s, where several residents have been affected by similar issues."},
	"de": {"In %s verfolgen die Behörden die Entwicklung nach eigenen Angaben aufmerksam.", "Auch in %s wird die Nachricht aufmerksam verfolgt."},
	"fr": {"À %s, les élus locaux disent suivre la situation de près.", "La nouvelle est suivie de près à %s."},
	"es": {"En %s, las autoridades locales aseguran seguir de cerca la situación.", "La noticia se sigue con atención en %s."},
}

// localRegions are the carriers' regions.
var localRegions = []string{"Spokane", "the Northfield area", "Lakeshore County", "the valley", "Rheintal", "the region"}

// editedWire edits the story as a carrier's editor does: the lead cut
// after its first clause when it has one, one later paragraph (under a
// quarter of the story's text) rewritten
// (a third of its content words in the editor's words, by the spinner's
// thesaurus), a local angle added after the lead; the credits kept.
func (t *target) editedWire(r *rand.Rand) bool {
	nodes := t.storyNodes()
	if len(nodes) < 4 || !Spinnable(t.src) {
		return false
	}
	th, err := loadThesaurus()
	if err != nil {
		return false
	}
	// The paragraph rewritten is one of the story's paragraphs, not most
	// of it: one under a quarter of the story's text.
	total := 0
	for _, n := range nodes {
		total += len(nodeText(n))
	}
	var small []int
	for i, n := range nodes[1:] {
		if l := len(nodeText(n)); l > 0 && 4*l < total {
			small = append(small, i+1)
		}
	}
	if len(small) == 0 {
		return false
	}
	k := pick(r, small)
	if tn := firstTextWith(nodes[0], leadClause); tn != nil {
		loc := leadClause.FindStringIndex(tn.Data)
		t.meta["trimmed_lead"] = tn.Data[loc[0]:loc[1]]
		tn.Data = tn.Data[:loc[0]] + "."
	} else {
		t.meta["trimmed_lead"] = ""
	}
	s := newSpinner(r, t.lang, th, 0.3)
	var rewrite func(n *html.Node)
	rewrite = func(n *html.Node) {
		if n.Type == html.TextNode && strings.TrimSpace(n.Data) != "" {
			n.Data = s.synonyms(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			rewrite(c)
		}
	}
	rewrite(nodes[k])
	t.meta["rewritten_paragraph"], t.meta["rewritten_words"] = k, s.replaced
	local := fmt.Sprintf(pick(r, localAngles[t.lang]), pick(r, localRegions))
	insertAfter(nodes[0], element(atom.P, "local-angle", local))
	t.meta["local_angle"] = local
	t.moveToCarrier(r)
	return true
}

// nodeText returns the text under n.
func nodeText(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(nodeText(c))
	}
	return b.String()
}

// leadClause is the last clause of a lead sentence: ", a development
// that ... said." at the end of its first text.
var leadClause = regexp.MustCompile(`, [^,.]{20,}\.\s*$`)

// captionCredit removes the visible bylines and a wire dateline's credit
// ("(AP)") from the lead, and credits the wire in a photo caption
// before the story instead, as a partner's page may.
func (t *target) captionCredit(r *rand.Rand) bool {
	if t.first == nil {
		return false
	}
	a := article.Of(t.p)
	removed := 0
	for _, c := range a.Bylines {
		if c.Visible() && c.Node != nil && c.Node.Parent != nil && c.Node != t.first && !contains(c.Node, t.first) {
			c.Node.Parent.RemoveChild(c.Node)
			removed++
		}
	}
	if tn := firstTextWith(t.first, wireCredit); tn != nil {
		tn.Data = wireCredit.ReplaceAllString(tn.Data, "")
		removed++
	}
	credit := fmt.Sprintf(pick(r, captionCredits[t.lang]), personName(r))
	fig := element(atom.Figure, "photo", "")
	fig.AppendChild(element(atom.Figcaption, "", pick(r, photoCaptions)+". "+credit))
	insertBefore(t.first, fig)
	t.meta["caption_credit"], t.meta["credits_removed"] = credit, removed
	t.moveToCarrier(r)
	return true
}

// wireCredit is a wire's credit inside a dateline: " (AP)", " (dpa)".
var wireCredit = regexp.MustCompile(`\s*\((AP|dpa|AFP|Reuters|EFE|APA|SDA)\)`)

// firstTextWith returns the first text node under n that re matches.
func firstTextWith(n *html.Node, re *regexp.Regexp) *html.Node {
	if n.Type == html.TextNode {
		if re.MatchString(n.Data) {
			return n
		}
		return nil
	}
	if n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style) {
		return nil
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if tn := firstTextWith(c, re); tn != nil {
			return tn
		}
	}
	return nil
}

// contains reports whether n is an ancestor of m.
func contains(n, m *html.Node) bool {
	for p := m.Parent; p != nil; p = p.Parent {
		if p == n {
			return true
		}
	}
	return false
}
