package control

import (
	"context"
	"strings"
	"testing"
)

// FuzzHandle feeds random payloads to the dispatcher: it must never panic
// and must publish exactly one reply per request.
func FuzzHandle(f *testing.F) {
	for _, seed := range []string{
		`{"v":1,"id":"a","cmd":"ping"}`,
		`{"v":1,"id":"b","cmd":"task.stop","args":{"name":"*"},"from":"op"}`,
		`{"v":1,"id":"c","cmd":"schedule.add","args":{"name":"n","spec":"every 1s","job":"backup"}}`,
		`{"v":1,"id":"d","cmd":"logs","args":{"n":-1,"grep":"("}}`,
		`{"v":1,"id":"e","cmd":"ping","exp":"2000-01-01T00:00:00Z"}`,
		`{"v":2}`, `[]`, `null`, `{`, ``,
		`{"v":1,"id":"f","cmd":"service.enable","args":{"name":"` + strings.Repeat("*", 100) + `"}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		fx := newFixture(t, WithPayloadLimit(4096))
		defer fx.d.follows.closeAll()
		_, ok := fx.d.Handle(context.Background(), payload)
		if !ok {
			t.Fatal("no reply for a fresh request")
		}
		if n := len(fx.pub.replies()); n != 1 {
			t.Fatalf("%d replies, want exactly 1", n)
		}
	})
}
