package fleet

import (
	"container/list"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
)

// Reply cache defaults.
const (
	// DefaultReplyCacheTTL is how long a request id is remembered.
	DefaultReplyCacheTTL = 5 * time.Minute
	// DefaultReplyCacheSize is how many request ids are remembered at most.
	DefaultReplyCacheSize = 1024
)

// ClaimState is the outcome of ReplyCache.Claim.
type ClaimState int

// Claim outcomes.
const (
	// ClaimNew: the id was not seen; execute the request, then Complete it.
	ClaimNew ClaimState = iota
	// ClaimInFlight: the same request is executing; drop this copy, the
	// first one will reply.
	ClaimInFlight
	// ClaimDone: the request already ran; publish the returned reply again.
	ClaimDone
)

// ReplyCache de-duplicates requests redelivered by QoS 1: a request id seen
// within the TTL is answered from the cache instead of running twice. It is
// bounded in size (oldest entries go first) and safe for concurrent use.
type ReplyCache struct {
	clock clockwork.Clock
	ttl   time.Duration
	max   int

	mu      sync.Mutex
	order   *list.List // of *cacheEntry, oldest first
	entries map[string]*list.Element
}

type cacheEntry struct {
	key   string
	at    time.Time
	done  bool
	reply Reply
}

// NewReplyCache returns a cache. A nil clock means the real clock, ttl <= 0
// means DefaultReplyCacheTTL and size <= 0 means DefaultReplyCacheSize.
func NewReplyCache(clock clockwork.Clock, ttl time.Duration, size int) *ReplyCache {
	if clock == nil {
		clock = clockwork.NewRealClock()
	}
	if ttl <= 0 {
		ttl = DefaultReplyCacheTTL
	}
	if size <= 0 {
		size = DefaultReplyCacheSize
	}
	return &ReplyCache{clock: clock, ttl: ttl, max: size, order: list.New(), entries: map[string]*list.Element{}}
}

// Claim registers request id from sender from. For ClaimDone it also returns
// the cached reply.
func (c *ReplyCache) Claim(from, id string) (Reply, ClaimState) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.clock.Now()
	c.expire(now)
	key := cacheKey(from, id)
	if el, ok := c.entries[key]; ok {
		e := el.Value.(*cacheEntry)
		if e.done {
			return e.reply, ClaimDone
		}
		return Reply{}, ClaimInFlight
	}
	c.entries[key] = c.order.PushBack(&cacheEntry{key: key, at: now})
	for c.order.Len() > c.max {
		c.remove(c.order.Front())
	}
	return Reply{}, ClaimNew
}

// Complete stores the final reply of a claimed request. A request whose
// entry was evicted meanwhile is stored anew.
func (c *ReplyCache) Complete(from, id string, r Reply) {
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
	e.done, e.reply = true, r
}

// Len returns the number of remembered request ids.
func (c *ReplyCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.expire(c.clock.Now())
	return c.order.Len()
}

func (c *ReplyCache) expire(now time.Time) {
	for el := c.order.Front(); el != nil; el = c.order.Front() {
		if now.Sub(el.Value.(*cacheEntry).at) < c.ttl {
			return
		}
		c.remove(el)
	}
}

func (c *ReplyCache) remove(el *list.Element) {
	delete(c.entries, el.Value.(*cacheEntry).key)
	c.order.Remove(el)
}

func cacheKey(from, id string) string { return from + "\x00" + id }
