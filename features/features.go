// Package features is the catalogue of repack's explainable features: the
// ordered list of extractors in use, and Extract, which runs them all over
// one parsed page. The list is explicit (no init-time registration) so
// that a reader sees every feature in one place; `repack features`,
// GET /v1/features and the model file all read it.
package features

import (
	"fmt"

	"github.com/repack/repack/features/brand"
	"github.com/repack/repack/features/dating"
	"github.com/repack/repack/features/injection"
	"github.com/repack/repack/features/page"
	"github.com/repack/repack/features/provenance"
	"github.com/repack/repack/features/signal"
	"github.com/repack/repack/features/template"
)

// Extractors returns every extractor in use, in their fixed order. The
// order is the order of features in model files and reports.
func Extractors() []signal.Extractor {
	var list []signal.Extractor
	list = append(list, brand.Extractors()...)
	list = append(list, dating.Extractors()...)
	list = append(list, template.Extractors()...)
	list = append(list, provenance.Extractors()...)
	list = append(list, injection.Extractors()...)
	return list
}

func init() {
	// The list is code, not configuration: a duplicate or malformed entry
	// is a programming error caught by the first test run.
	if err := signal.Validate(Extractors()); err != nil {
		panic(fmt.Sprintf("features: %v", err))
	}
}

// Names returns the extractors' names in order.
func Names() []string {
	list := Extractors()
	names := make([]string, len(list))
	for i, e := range list {
		names[i] = e.Name
	}
	return names
}

// Extract runs every extractor over p and returns their signals in order.
// Evidence is never nil, so that JSON shows [] rather than null.
func Extract(p *page.Page) []signal.Signal {
	list := Extractors()
	out := make([]signal.Signal, len(list))
	for i, e := range list {
		r := e.Run(p)
		if r.Evidence == nil {
			r.Evidence = []signal.Evidence{}
		}
		out[i] = signal.Signal{Name: e.Name, Family: e.Family, Value: r.Value, Description: e.Description(), Evidence: r.Evidence}
	}
	return out
}
