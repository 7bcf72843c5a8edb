// Package synth is the repackager: it turns authentic pages into
// realistic repackaged pages the way the scraper-spam network does (the
// copied story in a spam-site template, an unrelated brand spliced into
// its headline and lead, a fake date and byline, counters and junk link
// lists), and it turns authentic pages into hard negatives (authentic
// pages given legitimate look-alikes: editorial labels, a real AP
// dateline, same-site related links, real comment counters).
//
// Every choice is drawn from a seeded stream that belongs to one output
// document (derived from the seed and the source document's id), so the
// output does not depend on iteration order or parallelism, and every
// choice is recorded in the document's Meta["synth"] so that an error can
// be traced to a template and an evaluation can hold out one family.
//
// It reads pages with features/page and writes corpus.Document values. It
// must not import the extractors' packages, the detector or the training
// code: it makes pages, it does not judge them.
package synth
