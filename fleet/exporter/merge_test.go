package exporter

import (
	"fmt"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/drover-iot/drover/fleet"
)

func enc(name string, typ dto.MetricType, samples string) encoded {
	return encoded{name: name, help: name + " help", typ: typ, samples: []byte(samples)}
}

func TestWriteMergedGroupsByNameInDeviceOrder(t *testing.T) {
	g, c := dto.MetricType_GAUGE, dto.MetricType_COUNTER
	first := []encoded{enc("z", g, "z{own} 1\n"), enc("b", g, "b{own} 1\n")}
	devs := [][]encoded{
		{enc("a", c, "a{d=1} 1\n"), enc("b", g, "b{d=1} 1\n")},
		{enc("b", c, "b{d=2} 1\n"), enc("c", g, "c{d=2} 1\n")}, // b: type conflict
		{enc("a", c, "a{d=3} 1\n"), enc("z", g, "z{d=3} 1\n")},
	}
	var out strings.Builder
	conflicts, err := writeMerged(&out, first, devs)
	if err != nil {
		t.Fatal(err)
	}
	var samples []string
	for _, l := range strings.Split(out.String(), "\n") {
		if l != "" && !strings.HasPrefix(l, "# HELP") {
			samples = append(samples, l)
		}
	}
	want := "# TYPE a counter|a{d=1} 1|a{d=3} 1|# TYPE b gauge|b{own} 1|b{d=1} 1|# TYPE c gauge|c{d=2} 1|" +
		"# TYPE z gauge|z{own} 1|z{d=3} 1"
	if got := strings.Join(samples, "|"); got != want || conflicts != 1 {
		t.Fatalf("got %s (conflicts %d)\nwant %s (conflicts 1)", got, conflicts, want)
	}
}

func TestInternedNamesBounded(t *testing.T) {
	s := newStore(fleet.Topics{}, nil, time.Minute)
	for i := range maxInterned + 10 {
		name := fmt.Sprintf("invented_%d", i)
		if got := s.internOne(name); got != name {
			t.Fatalf("internOne(%q) = %q", name, got)
		}
	}
	if len(s.names) != maxInterned {
		t.Fatalf("intern table: %d entries, want the bound %d", len(s.names), maxInterned)
	}
}
