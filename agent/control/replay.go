package control

import (
	"container/heap"
	"sync"
	"time"
)

// defaultReplayIDs bounds how many signed request ids are remembered.
const defaultReplayIDs = 8192

// admitState is the outcome of replayGuard.admit.
type admitState int

const (
	// admitFresh: the id was never seen; the request may run.
	admitFresh admitState = iota
	// admitSeen: the id was already admitted; the request must not run again.
	admitSeen
	// admitUnknowable: the guard was full and forgot ids that expire no
	// earlier than this request, so it cannot tell; the request must not run.
	admitUnknowable
)

// replayGuard remembers the id of every signed request admitted until the
// request's exp has passed, so that a captured request cannot run twice
// within its validity (after exp the request is refused as expired). It is
// bounded: when full it forgets the id that expires first and raises a
// floor, refusing every request whose exp is not after it; so memory is
// bounded under load and a request is still never run twice. Requests are
// keyed by id alone: the sender's "from" is not trusted for this.
type replayGuard struct {
	max int

	mu    sync.Mutex
	seen  map[string]bool
	byExp expHeap
	floor time.Time
}

func newReplayGuard(max int) *replayGuard {
	if max <= 0 {
		max = defaultReplayIDs
	}
	return &replayGuard{max: max, seen: map[string]bool{}}
}

// admit records id, valid until exp, as seen at now.
func (g *replayGuard) admit(id string, exp, now time.Time) admitState {
	g.mu.Lock()
	defer g.mu.Unlock()
	for len(g.byExp) > 0 && g.byExp[0].exp.Before(now) {
		delete(g.seen, heap.Pop(&g.byExp).(idExp).id)
	}
	switch {
	case g.seen[id]:
		return admitSeen
	case !exp.After(g.floor):
		return admitUnknowable
	}
	g.seen[id] = true
	heap.Push(&g.byExp, idExp{id: id, exp: exp})
	for len(g.byExp) > g.max {
		old := heap.Pop(&g.byExp).(idExp)
		delete(g.seen, old.id)
		if old.exp.After(g.floor) {
			g.floor = old.exp
		}
	}
	return admitFresh
}

// len returns how many ids are remembered.
func (g *replayGuard) len() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.byExp)
}

type idExp struct {
	id  string
	exp time.Time
}

// expHeap is a min-heap of ids by exp.
type expHeap []idExp

func (h expHeap) Len() int           { return len(h) }
func (h expHeap) Less(i, j int) bool { return h[i].exp.Before(h[j].exp) }
func (h expHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *expHeap) Push(x any)        { *h = append(*h, x.(idExp)) }
func (h *expHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
