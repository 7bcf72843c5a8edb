//go:build race

package synth

// raceEnabled reports that the tests run under the race detector.
const raceEnabled = true
