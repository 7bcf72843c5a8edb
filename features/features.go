// Package features is the catalogue of repack's explainable features: the
// ordered list of extractors in use, and Extract, which runs them all over
// one parsed page. The list is explicit (no init-time registration) so
// that a reader sees every feature in one place; `repack features`,
// GET /v1/features and the model file all read it.
package features

import (
	"sync"

	"github.com/repack/repack/features/injected"
	"github.com/repack/repack/features/repackaged"
	"github.com/repack/repack/features/signal"
)

// list returns every extractor in use, in their fixed order: the
// repackaged family, then the injected family. The order is the order of
// features in model files and reports.
func list() ([]*signal.Extractor, error) {
	if err := injected.Lexicon(); err != nil {
		return nil, err
	}
	if err := repackaged.Rules(); err != nil {
		return nil, err
	}
	return append(repackaged.Extractors(), injected.Extractors()...), nil
}

// Catalogue returns the catalogue of the extractors in use. The list is code,
// not configuration: an error here is a programming error, which the
// package's tests report.
var Catalogue = sync.OnceValues(func() (*signal.Catalogue, error) {
	l, err := list()
	if err != nil {
		return nil, err
	}
	return signal.NewCatalogue(l)
})
