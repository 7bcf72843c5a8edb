//go:build race

package inject

// raceEnabled reports that the tests run under the race detector, which
// makes the corpus-wide test sample its sources.
const raceEnabled = true
