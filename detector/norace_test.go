//go:build !race

package detector

// raceEnabled reports that the tests run under the race detector, whose
// tenfold cost makes the slowest corpus tests score a sample.
const raceEnabled = false
