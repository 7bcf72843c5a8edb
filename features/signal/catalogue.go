package signal

import (
	"context"
	"fmt"

	"github.com/repack/repack/features/page"
)

// Catalogue is a validated list of extractors with what running them
// needs, prepared once: the order that puts every extractor after the
// ones it requires, and each one's description.
type Catalogue struct {
	list         []*Extractor
	index        map[*Extractor]int
	order        []int
	names        []string
	descriptions []string
}

// NewCatalogue validates a list of extractors and prepares it: names are
// unique, requirements are in the list and form no cycle.
func NewCatalogue(list []*Extractor) (*Catalogue, error) {
	if err := Validate(list); err != nil {
		return nil, err
	}
	c := &Catalogue{list: list, index: make(map[*Extractor]int, len(list))}
	for i, e := range list {
		c.index[e] = i
		c.names = append(c.names, e.Name)
		c.descriptions = append(c.descriptions, e.Description())
	}
	// Depth-first order: requirements before the extractors that read
	// them, otherwise the list's order.
	const (
		unseen = iota
		visiting
		done
	)
	state := make([]int, len(list))
	var visit func(i int) error
	visit = func(i int) error {
		switch state[i] {
		case done:
			return nil
		case visiting:
			return fmt.Errorf("extractor %q requires itself through its requirements", list[i].Name)
		}
		state[i] = visiting
		for _, r := range list[i].Requires {
			if err := visit(c.index[r]); err != nil {
				return err
			}
		}
		state[i] = done
		c.order = append(c.order, i)
		return nil
	}
	for i := range list {
		if err := visit(i); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// Extractors returns the catalogue's extractors in order. The slice is the
// catalogue's own: callers must not modify it.
func (c *Catalogue) Extractors() []*Extractor { return c.list }

// Names returns the extractors' names in order.
func (c *Catalogue) Names() []string { return append([]string(nil), c.names...) }

// Extract runs every extractor once over p, each after those it requires,
// and returns their signals in catalogue order. Evidence is never nil, so
// that JSON shows [] rather than null.
func (c *Catalogue) Extract(p *page.Page) []Signal {
	out, _ := c.ExtractContext(context.Background(), p)
	return out
}

// ExtractContext is Extract that stops before the next extractor once ctx
// is done (a time limit, a signal), returning ctx's error.
func (c *Catalogue) ExtractContext(ctx context.Context, p *page.Page) ([]Signal, error) {
	results := make([]Result, len(c.list))
	for _, i := range c.order {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		e := c.list[i]
		results[i] = e.Run(&Pass{Page: p, results: results, index: c.index, of: e})
	}
	out := make([]Signal, len(c.list))
	for i, e := range c.list {
		r := results[i]
		if r.Evidence == nil {
			r.Evidence = []Evidence{}
		}
		out[i] = Signal{Name: e.Name, Family: e.Family, Value: r.Value, Description: c.descriptions[i], Evidence: r.Evidence}
	}
	return out, nil
}

// Run runs one extractor of the catalogue over p, with the extractors it
// requires run first: for tests and tools that look at one feature.
func (c *Catalogue) Run(e *Extractor, p *page.Page) Result {
	results := make([]Result, len(c.list))
	var run func(e *Extractor) Result
	run = func(e *Extractor) Result {
		for _, r := range e.Requires {
			results[c.index[r]] = run(r)
		}
		return e.Run(&Pass{Page: p, results: results, index: c.index, of: e})
	}
	return run(e)
}
