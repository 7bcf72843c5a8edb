package detector

import (
	"sort"

	"github.com/repack/repack/features/signal"
	"github.com/repack/repack/features/source"
)

// maxCueItems bounds the evidence items of one feature that places are
// built from: past a few dozen, more say nothing new.
const maxCueItems = 32

// Place is where on the page a feature found its evidence: a span of one
// text (Key names it: "text", "hidden", or a field and the node it was
// read from, "script\x00html > body > script"). Places of one text that
// overlap are one place.
type Place struct {
	Key        string
	Start, End int
}

// Places returns, for each signal, the places its evidence lies in: nil
// for a feature that did not fire or is derived (a feature that reads
// other features' results, like injection_evidence, repeats their
// evidence and makes no place of its own). Evidence of one feature in one
// node (several terms of one paragraph) is one place; in plain text,
// which has no nodes, each piece is a place of its own.
func Places(sigs []signal.Signal, derived []bool) [][]Place {
	out := make([][]Place, len(sigs))
	for i := range sigs {
		if sigs[i].Value == 0 || i < len(derived) && derived[i] {
			continue
		}
		var ps []Place
		byNode := map[string]int{}
		for k := range sigs[i].Evidence {
			if k == maxCueItems {
				break
			}
			ev := &sigs[i].Evidence[k]
			key := ev.Field
			if ev.Field != signal.FieldText && ev.Field != signal.FieldHidden {
				key += "\x00" + ev.Path
			}
			node := key + "\x00" + ev.Path
			if j, ok := byNode[node]; ok && ev.Path != "" {
				ps[j].Start = min(ps[j].Start, ev.Start)
				ps[j].End = max(ps[j].End, ev.End)
				continue
			}
			byNode[node] = len(ps)
			ps = append(ps, Place{Key: key, Start: ev.Start, End: ev.End})
		}
		out[i] = ps
	}
	return out
}

// SourcePlace is the one place every feature of a match in the story
// index lies in: the original. The index is one witness however many of
// its features fire (a copy, a name inserted, a credit dropped), so
// alone they make one cue; what they corroborate is a cue of the page's
// own (lead_brand_splice on the brand the original shows was inserted).
// The features of a rewording are the exception (source.OnPage): a
// paragraph reworded and a wire's credit kept over it are the page's
// own doing, each where it lies on the page, as a glued brand is.
var SourcePlace = Place{Key: "source", Start: 0, End: 1}

// SignalPlaces returns the places of the signals a detector scores: the
// catalogue's (Places, derived in catalogue order) followed by the source
// features (SourceSignals), which lie in SourcePlace when they fire, or
// where their evidence lies on the page for those source.OnPage names.
func SignalPlaces(sigs []signal.Signal, derived []bool) [][]Place {
	n := min(len(derived), len(sigs))
	out := append(Places(sigs[:n], derived), make([][]Place, len(sigs)-n)...)
	for i := n; i < len(sigs); i++ {
		switch {
		case sigs[i].Value == 0:
		case source.OnPage(sigs[i].Name):
			out[i] = Places(sigs[i:i+1], nil)[0]
		default:
			out[i] = []Place{SourcePlace}
		}
	}
	return out
}

// CountCues returns how many independent cues the places of the given
// features show: the largest number of places no two of which overlap.
// Features whose evidence lies in one place corroborate nothing (one
// glued splice fires lead_brand_splice and glued_tokens; one hidden
// casino link fires hidden_links, spam_vocabulary and spam_links), while
// places apart do (a brand in the headline and another in the byline;
// four hidden links to four spam sites).
func CountCues(places [][]Place, features []int) int {
	byKey := map[string][]Place{}
	for _, j := range features {
		if j < len(places) {
			for _, p := range places[j] {
				byKey[p.Key] = append(byKey[p.Key], p)
			}
		}
	}
	n := 0
	for _, ps := range byKey {
		// Interval scheduling: by end, take each place that starts after
		// the last one taken.
		sort.Slice(ps, func(a, b int) bool {
			if ps[a].End != ps[b].End {
				return ps[a].End < ps[b].End
			}
			return ps[a].Start < ps[b].Start
		})
		last := -1
		for _, p := range ps {
			if p.Start >= last || last < 0 {
				n++
				last = max(p.End, p.Start+1)
			}
		}
	}
	return n
}
