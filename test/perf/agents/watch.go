package main

import (
	"fmt"
	"strings"
	"sync"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
)

// watcher follows the retained state of the agents.
type watcher struct {
	c      paho.Client
	prefix string

	mu      sync.Mutex
	online  map[string]bool
	firstOn map[string]time.Time // first live online of each device
}

func watchStates(broker, prefix string) (*watcher, error) {
	w := &watcher{prefix: prefix, online: map[string]bool{}, firstOn: map[string]time.Time{}}
	w.c = paho.NewClient(paho.NewClientOptions().AddBroker(broker).SetClientID("perf-agents-watch"))
	if tok := w.c.Connect(); !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		return nil, fmt.Errorf("connect to %s: %v", broker, tok.Error())
	}
	if tok := w.c.Subscribe("drover/+/state", 1, w.onState); !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		w.close()
		return nil, fmt.Errorf("subscribe: %v", tok.Error())
	}
	return w, nil
}

func (w *watcher) onState(_ paho.Client, m paho.Message) {
	dev := strings.Split(m.Topic(), "/")[1]
	if !strings.HasPrefix(dev, w.prefix) {
		return
	}
	on := string(m.Payload()) == "online" && !m.Retained()
	w.mu.Lock()
	w.online[dev] = on
	if _, seen := w.firstOn[dev]; on && !seen {
		w.firstOn[dev] = time.Now()
	}
	w.mu.Unlock()
}

// onlineAt is when dev first published online since the watch began.
func (w *watcher) onlineAt(dev string) (time.Time, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	t, ok := w.firstOn[dev]
	return t, ok
}

func (w *watcher) count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, on := range w.online {
		if on {
			n++
		}
	}
	return n
}

// waitOnline polls until n agents have published online since the watch
// began, printing progress every 5 s.
func (w *watcher) waitOnline(n int, start time.Time, deadline time.Duration) error {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	last := time.Now()
	for range tick.C {
		got := w.count()
		switch {
		case got >= n:
			fmt.Printf("online %d after %v\n", got, time.Since(start).Round(time.Millisecond))
			return nil
		case time.Since(start) > deadline:
			return fmt.Errorf("only %d of %d online after %v", got, n, deadline)
		case time.Since(last) > 5*time.Second:
			fmt.Printf("  %d online after %v\n", got, time.Since(start).Round(time.Second))
			last = time.Now()
		}
	}
	return nil
}

func (w *watcher) close() { w.c.Disconnect(100) }
