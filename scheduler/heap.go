package scheduler

import "container/heap"

// entryHeap is a min-heap of job entries ordered by fire time, then by
// insertion sequence so equal times fire in the order they were scheduled.
// Each entry records its index so it can be removed or fixed in O(log n).
type entryHeap []*entry

var _ heap.Interface = (*entryHeap)(nil)

func (h entryHeap) Len() int { return len(h) }

func (h entryHeap) Less(i, j int) bool {
	if h[i].fire != h[j].fire {
		return h[i].fire < h[j].fire
	}
	return h[i].seq < h[j].seq
}

func (h entryHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}

// Push appends x; use heap.Push.
func (h *entryHeap) Push(x any) {
	e := x.(*entry)
	e.index = len(*h)
	*h = append(*h, e)
}

// Pop removes the last element; use heap.Pop.
func (h *entryHeap) Pop() any {
	old := *h
	n := len(old)
	e := old[n-1]
	old[n-1] = nil
	e.index = -1
	*h = old[:n-1]
	return e
}

// peek returns the earliest entry, or nil.
func (h entryHeap) peek() *entry {
	if len(h) == 0 {
		return nil
	}
	return h[0]
}

// schedule puts e in the heap, or moves it if it is already there.
func (h *entryHeap) schedule(e *entry) {
	if e.index >= 0 {
		heap.Fix(h, e.index)
		return
	}
	heap.Push(h, e)
}

// unschedule takes e out of the heap if it is there.
func (h *entryHeap) unschedule(e *entry) {
	if e.index >= 0 {
		heap.Remove(h, e.index)
	}
}
