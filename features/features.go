// Package features is the catalogue of repack's explainable features: the
// ordered list of extractors in use, and Extract, which runs them all over
// one parsed page. The list is explicit (no init-time registration) so
// that a reader sees every feature in one place; `repack features`,
// GET /v1/features and the model file all read it.
package features

import (
	"sync"

	"github.com/repack/repack/features/brand"
	"github.com/repack/repack/features/dating"
	"github.com/repack/repack/features/injection"
	"github.com/repack/repack/features/provenance"
	"github.com/repack/repack/features/signal"
	"github.com/repack/repack/features/template"
)

// list returns every extractor in use, in their fixed order. The order is
// the order of features in model files and reports.
func list() []*signal.Extractor {
	var out []*signal.Extractor
	out = append(out, brand.Extractors()...)
	out = append(out, dating.Extractors()...)
	out = append(out, template.Extractors()...)
	out = append(out, provenance.Extractors()...)
	out = append(out, injection.Extractors()...)
	return out
}

// Catalogue returns the catalogue of the extractors in use. The list is code,
// not configuration: an error here is a programming error, which the
// package's tests report.
var Catalogue = sync.OnceValues(func() (*signal.Catalogue, error) { return signal.NewCatalogue(list()) })
