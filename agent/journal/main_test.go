package journal

import (
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// t0 is the fake clock's start in every test.
var t0 = time.Date(2026, 11, 21, 10, 0, 0, 123_000_000, time.UTC)

// newTest returns a journal on a fake clock in UTC, closed at test end.
func newTest(t testing.TB, opts Options) (*Journal, *clockwork.FakeClock) {
	t.Helper()
	clock := clockwork.NewFakeClockAt(t0)
	opts.Clock, opts.Location = clock, time.UTC
	j, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		if err := j.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return j, clock
}
