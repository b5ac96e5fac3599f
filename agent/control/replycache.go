package control

import (
	"container/list"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
)

// Reply cache defaults.
const (
	// defaultReplyCacheTTL is how long a request id is remembered.
	defaultReplyCacheTTL = 5 * time.Minute
	// defaultReplyCacheSize is how many request ids are remembered at most.
	defaultReplyCacheSize = 1024
)

// claimState is the outcome of replyCache.Claim.
type claimState int

// Claim outcomes.
const (
	// claimNew: the id was not seen; execute the request, then Complete it.
	claimNew claimState = iota
	// claimInFlight: the same request is executing; drop this copy, the
	// first one will reply.
	claimInFlight
	// claimDone: the request already ran; publish the returned reply again.
	claimDone
)

// replyCache de-duplicates requests redelivered by QoS 1: a request id seen
// within the TTL is answered from the cache instead of running twice. It is
// bounded in size (oldest entries go first) and safe for concurrent use.
type replyCache struct {
	clock clockwork.Clock
	ttl   time.Duration
	max   int

	mu      sync.Mutex
	order   *list.List // of *cacheEntry, oldest first
	entries map[string]*list.Element
}

type cacheEntry struct {
	key     string
	at      time.Time
	done    bool
	payload []byte // the final reply, as published
}

// newReplyCache returns a cache. A nil clock means the real clock, ttl <= 0
// means defaultReplyCacheTTL and size <= 0 means defaultReplyCacheSize.
func newReplyCache(clock clockwork.Clock, ttl time.Duration, size int) *replyCache {
	if clock == nil {
		clock = clockwork.NewRealClock()
	}
	if ttl <= 0 {
		ttl = defaultReplyCacheTTL
	}
	if size <= 0 {
		size = defaultReplyCacheSize
	}
	return &replyCache{clock: clock, ttl: ttl, max: size, order: list.New(), entries: map[string]*list.Element{}}
}

// Claim registers request id from sender from. For claimDone it also returns
// the cached reply's payload.
func (c *replyCache) Claim(from, id string) ([]byte, claimState) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.clock.Now()
	c.expire(now)
	key := cacheKey(from, id)
	if el, ok := c.entries[key]; ok {
		e := el.Value.(*cacheEntry)
		if e.done {
			return e.payload, claimDone
		}
		return nil, claimInFlight
	}
	c.entries[key] = c.order.PushBack(&cacheEntry{key: key, at: now})
	for c.order.Len() > c.max {
		c.remove(c.order.Front())
	}
	return nil, claimNew
}

// Lookup reports what the cache knows of request id from sender from,
// without registering it: claimNew when nothing.
func (c *replyCache) Lookup(from, id string) ([]byte, claimState) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.expire(c.clock.Now())
	el, ok := c.entries[cacheKey(from, id)]
	switch {
	case !ok:
		return nil, claimNew
	case el.Value.(*cacheEntry).done:
		return el.Value.(*cacheEntry).payload, claimDone
	}
	return nil, claimInFlight
}

// Complete stores the final reply's payload of a claimed request. A
// request whose entry was evicted meanwhile is stored anew.
func (c *replyCache) Complete(from, id string, payload []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	key := cacheKey(from, id)
	el, ok := c.entries[key]
	if !ok {
		el = c.order.PushBack(&cacheEntry{key: key, at: c.clock.Now()})
		c.entries[key] = el
		for c.order.Len() > c.max {
			c.remove(c.order.Front())
		}
	}
	e := el.Value.(*cacheEntry)
	e.done, e.payload = true, payload
}

// Len returns the number of remembered request ids.
func (c *replyCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.expire(c.clock.Now())
	return c.order.Len()
}

func (c *replyCache) expire(now time.Time) {
	for el := c.order.Front(); el != nil; el = c.order.Front() {
		if now.Sub(el.Value.(*cacheEntry).at) < c.ttl {
			return
		}
		c.remove(el)
	}
}

func (c *replyCache) remove(el *list.Element) {
	delete(c.entries, el.Value.(*cacheEntry).key)
	c.order.Remove(el)
}

func cacheKey(from, id string) string { return from + "\x00" + id }
