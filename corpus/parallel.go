package corpus

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

// ForEach calls fn(i) for every i in [0, n) on workers goroutines
// (GOMAXPROCS when 0), each taking the next index in turn, and returns
// the context's error when it was cancelled before the end. fn writes its
// result into slot i, so that the output does not depend on scheduling.
// progress, when set, hears the count done after each item, under a lock.
// The generators (synth, inject) share it.
func ForEach(ctx context.Context, n, workers int, fn func(i int), progress func(done, total int)) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var next atomic.Int64
	var mu sync.Mutex
	done := 0
	var wg sync.WaitGroup
	for range min(workers, max(n, 1)) {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(i)
				if progress != nil {
					mu.Lock()
					done++
					progress(done, n)
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	return ctx.Err()
}
