package synth

import (
	"context"
	"runtime"
	"sync"
)

// forEach calls fn(i) for i in [0, n) on workers goroutines (GOMAXPROCS
// when 0) and returns the context's error if it was cancelled. fn writes
// its result into its own slot, so that the output order does not depend
// on scheduling. progress, when not nil, is called after each item with
// the count done, from one goroutine at a time.
func forEach(ctx context.Context, n, workers int, fn func(i int), progress func(done, total int)) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	next := make(chan int)
	var mu sync.Mutex
	done := 0
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
				if progress != nil {
					mu.Lock()
					done++
					progress(done, n)
					mu.Unlock()
				}
			}
		}()
	}
	for i := 0; i < n && ctx.Err() == nil; i++ {
		select {
		case next <- i:
		case <-ctx.Done():
		}
	}
	close(next)
	wg.Wait()
	return ctx.Err()
}
