package source

import (
	"slices"
)

// Fingerprint parameters. A band is Rows consecutive MinHash values; two
// stories share a band with probability J^Rows for word-shingle
// resemblance J, so with 42 bands of 3 a story resembling the page at
// J = 0.5 (a copy twice the original's length) is a candidate with
// probability 0.996, at J = 0.3 with 0.68, and unrelated stories
// (J < 0.02) almost never.
const (
	// ShingleWords is how many consecutive words make a shingle.
	ShingleWords = 4
	// Bands and Rows shape the LSH table; Hashes = Bands × Rows.
	Bands  = 42
	Rows   = 3
	Hashes = Bands * Rows
	// minShingles is how many shingles a story body needs to be indexed
	// or looked up: below it, two short texts share shingles by chance.
	minShingles = 12
	// AnchorEvery and MaxAnchors choose a story's anchors: the shingles
	// whose mixed hash is 0 modulo AnchorEvery (content-defined, so that
	// a page and its original choose the same ones wherever the page's
	// text begins), at most MaxAnchors of them (the smallest mixed
	// hashes). MinHash bands find a page that resembles a story; anchors
	// find a page that carries only part of one (the first paragraphs, a
	// text capture from the lead), whose resemblance to the whole story
	// is too low for any band.
	AnchorEvery = 8
	MaxAnchors  = 96
)

// mix is the splitmix64 finaliser: a fast, well-spread bijection.
func mix(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Signature is a story body's MinHash signature.
type Signature [Hashes]uint32

// shingleHashes returns the distinct hashes of the word shingles of ws
// (FNV-1a of the shingle's words, each followed by a zero byte), sorted.
func shingleHashes(ws []word) []uint64 {
	if len(ws) < ShingleWords {
		return nil
	}
	out := make([]uint64, 0, len(ws)-ShingleWords+1)
	for i := 0; i+ShingleWords <= len(ws); i++ {
		h := uint64(14695981039346656037)
		for _, w := range ws[i : i+ShingleWords] {
			for k := 0; k < len(w.norm); k++ {
				h = (h ^ uint64(w.norm[k])) * 1099511628211
			}
			h *= 1099511628211 // the zero byte between words
		}
		out = append(out, h)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// anchorsOf returns the anchor keys of a set of shingle hashes, sorted:
// the mixed hashes that are 0 modulo AnchorEvery, the smallest MaxAnchors.
func anchorsOf(shingles []uint64) []uint64 {
	var out []uint64
	for _, s := range shingles {
		if k := mix(s ^ anchorSeed); k%AnchorEvery == 0 {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out[:min(len(out), MaxAnchors)]
}

// anchorSeed keys the anchors' hash apart from the MinHash functions'.
const anchorSeed = 0xa5c0_4a11_c4e5_7e11

// signatureOf returns the MinHash signature of a set of shingle hashes.
// The Hashes functions are h1 + i·h2 of two mixes of the shingle
// (Kirsch and Mitzenmacher's double hashing), which costs two mixes and
// Hashes multiply-adds a shingle instead of Hashes mixes.
func signatureOf(shingles []uint64) Signature {
	var mins [Hashes]uint64
	for i := range mins {
		mins[i] = ^uint64(0)
	}
	for _, s := range shingles {
		h1, h2 := mix(s^0x5eed), mix(s^0x9e3779b97f4a7c15)|1
		v := h1
		for i := range mins {
			if v < mins[i] {
				mins[i] = v
			}
			v += h2
		}
	}
	var sig Signature
	for i, m := range mins {
		sig[i] = uint32(m >> 32)
	}
	return sig
}

// bandKeys returns the signature's LSH band keys: band i hashed with its
// index, so equal values in different bands do not meet.
func bandKeys(sig *Signature) [Bands]uint64 {
	var out [Bands]uint64
	for b := range Bands {
		x := uint64(b+1) * 0x9e3779b97f4a7c15
		for r := range Rows {
			x = mix(x ^ uint64(sig[b*Rows+r]))
		}
		out[b] = x
	}
	return out
}

// resemblance estimates the Jaccard resemblance of two bodies from their
// signatures.
func resemblance(a, b *Signature) float64 {
	n := 0
	for i := range a {
		if a[i] == b[i] {
			n++
		}
	}
	return float64(n) / Hashes
}

// containment estimates the share of the original's shingles found in
// the page (Broder 1997) from their resemblance J and shingle counts:
// |O ∩ P| = J (|O| + |P|) / (1 + J).
func containment(j float64, original, page int) float64 {
	if original == 0 {
		return 0
	}
	c := j * float64(original+page) / (1 + j) / float64(original)
	return min(c, 1)
}
