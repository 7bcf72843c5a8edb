package corpus

import "fmt"

// SkipError says why a source document yields nothing for a generator
// (synth, inject): no usable story, no place to plant spam. The commands
// count skipped sources by Reason.
type SkipError struct {
	// ID is the source document's id.
	ID string
	// Reason is a short, stable description ("no headline", "fewer than 3
	// paragraphs", "parse error", ...), suitable for counting.
	Reason string
	// Err is the underlying error, if any.
	Err error
}

func (e *SkipError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("skip %s: %s: %v", e.ID, e.Reason, e.Err)
	}
	return fmt.Sprintf("skip %s: %s", e.ID, e.Reason)
}

func (e *SkipError) Unwrap() error { return e.Err }
