package fleet_test

import (
	"errors"
	"testing"

	"github.com/drover-iot/drover/fleet"
)

func FuzzDecodeEvent(f *testing.F) {
	for _, s := range []string{"online", "", `{"device":"pi","tasks":[]}`, `{"ts":"x"}`, `{"readings":[{}]}`, `{"sync":"failed"}`, "\xff"} {
		for _, k := range []string{fleet.KindState, fleet.KindInfo, fleet.KindStatus, fleet.KindTelemetry, fleet.KindReported} {
			f.Add(k, []byte(s))
		}
	}
	f.Fuzz(func(t *testing.T, kind string, payload []byte) {
		ev := fleet.DecodeEvent("pi", kind, payload)
		if ev.Err != nil && !errors.Is(ev.Err, fleet.ErrBadPayload) {
			t.Fatalf("error %v does not wrap ErrBadPayload", ev.Err)
		}
		if ev.Err == nil && kind == fleet.KindStatus && !ev.Cleared && ev.Status == nil {
			t.Fatal("status without error or snapshot")
		}
		if ev.Err == nil && kind == fleet.KindReported && !ev.Cleared && ev.Reported == nil {
			t.Fatal("reported without error or document")
		}
	})
}
