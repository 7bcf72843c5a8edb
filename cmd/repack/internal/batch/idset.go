package batch

import (
	"hash/fnv"
	"slices"
)

// IDSet holds the ids a resumed output already has, as sorted 64-bit
// hashes: 8 bytes an id whatever its length (5 million ids take 40 MB,
// where a map of strings took about 500 MB). Two ids with the same hash
// would count as one: at 5 million ids the chance is about one in 1.5
// million runs.
type IDSet struct {
	hashes []uint64
	sorted bool
}

// NewIDSet returns a set of ids.
func NewIDSet(ids ...string) *IDSet {
	s := &IDSet{}
	for _, id := range ids {
		s.Add(id)
	}
	return s
}

func hashID(id string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(id))
	return h.Sum64()
}

// Add puts id in the set.
func (s *IDSet) Add(id string) {
	s.hashes = append(s.hashes, hashID(id))
	s.sorted = false
}

// Len is the number of ids added (an id added twice counts twice).
func (s *IDSet) Len() int {
	if s == nil {
		return 0
	}
	return len(s.hashes)
}

// Has reports whether id is in the set; a nil set holds nothing. The
// first Has after an Add sorts the set, so a set is filled, then read.
func (s *IDSet) Has(id string) bool {
	if s == nil || len(s.hashes) == 0 {
		return false
	}
	if !s.sorted {
		slices.Sort(s.hashes)
		s.sorted = true
	}
	_, found := slices.BinarySearch(s.hashes, hashID(id))
	return found
}
