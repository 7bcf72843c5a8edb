package page

import (
	"strings"
	"sync"
)

// memo holds views derived from the page by extractor packages, computed
// on first use and shared by every extractor that asks for them.
type memo struct {
	mu   sync.Mutex
	vals map[any]*memoEntry
}

type memoEntry struct {
	once sync.Once
	val  any
}

// Memo returns the value of compute for key on this page, computing it at
// most once however many extractors (or goroutines) ask. Keys should be
// unexported types of the asking package, as with context keys.
func (p *Page) Memo(key any, compute func(*Page) any) any {
	p.memo.mu.Lock()
	if p.memo.vals == nil {
		p.memo.vals = map[any]*memoEntry{}
	}
	e, ok := p.memo.vals[key]
	if !ok {
		e = &memoEntry{}
		p.memo.vals[key] = e
	}
	p.memo.mu.Unlock()
	e.once.Do(func() { e.val = compute(p) })
	return e.val
}

type lowerKey struct{}

// LowerText returns Text in lower case, computed once. Case mapping can
// change byte lengths, so offsets into it are only approximate for
// non-ASCII text; use it for presence tests, not for spans.
func (p *Page) LowerText() string {
	return p.Memo(lowerKey{}, func(p *Page) any {
		return strings.ToLower(p.Text)
	}).(string)
}
