package training

import (
	"hash/fnv"
	"sort"
	"strconv"
)

// GroupFolds assigns every row to one of k folds so that all rows of a
// group (a publisher, with every page derived from its pages) land in the
// same fold. Groups are placed largest first into the fold with the fewest
// rows, ties broken by a seeded hash of the group name, so the assignment
// is deterministic and balanced. It returns the fold of each row.
func GroupFolds(groups []string, k int, seed uint64) []int {
	size := map[string]int{}
	for _, g := range groups {
		size[g]++
	}
	names := make([]string, 0, len(size))
	for g := range size {
		names = append(names, g)
	}
	key := func(g string) uint64 {
		h := fnv.New64a()
		h.Write([]byte(strconv.FormatUint(seed, 10)))
		h.Write([]byte{0})
		h.Write([]byte(g))
		return h.Sum64()
	}
	sort.Slice(names, func(i, j int) bool {
		if size[names[i]] != size[names[j]] {
			return size[names[i]] > size[names[j]]
		}
		ki, kj := key(names[i]), key(names[j])
		if ki != kj {
			return ki < kj
		}
		return names[i] < names[j]
	})
	load := make([]int, k)
	fold := map[string]int{}
	for _, g := range names {
		best := 0
		for f := 1; f < k; f++ {
			if load[f] < load[best] {
				best = f
			}
		}
		fold[g] = best
		load[best] += size[g]
	}
	out := make([]int, len(groups))
	for i, g := range groups {
		out[i] = fold[g]
	}
	return out
}
