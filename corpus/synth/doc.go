// Package synth is the repackager: it turns authentic pages into
// realistic repackaged pages the way the scraper-spam network does (the
// copied story in a spam-site template, an unrelated brand spliced into
// its headline, title, lead or byline, a fake date and byline, counters
// and junk link lists), preferring English stories as the network does,
// and it turns authentic pages into hard negatives (authentic pages given
// legitimate look-alikes: editorial labels and topic prefixes, a real AP
// dateline or a member station's whole AP rendering, same-site related
// links and unrelated "Most Read" lists, real comment and view counters,
// correct date lines).
//
// No element of the network's template is on every page: the byline
// slot, the date line and the breadcrumb are each missing from a share of
// the pages, and text captures start at the top, the headline or the
// lead, so that a detector trained on the output must weigh every cue.
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
