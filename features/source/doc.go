// Package source finds the story a page copied in an index of pages a user
// trusts, and aligns the two: which of the page's sentences are the
// original's, which spans the page inserted into them (a spliced brand,
// exactly), which sentences it dropped, and whether it dropped the
// original's credit.
//
// Lookup is by word-shingle MinHash with LSH bands over the story body
// (the article's prose, not its navigation); every candidate is verified
// by sentence alignment (tf-idf cosine of each page sentence against the
// original's), so a verdict never rests on a hash collision. The index is
// one immutable file, a sorted table readable from a byte slice (Read), so
// that a small one can be embedded in the binary.
//
// It imports the page model, the article reading and the signal types; it
// must not import the extractor sets, the detector or the training code.
package source
