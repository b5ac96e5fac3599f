package supervise

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestDecodeState(t *testing.T) {
	tests := []struct {
		in   string
		want map[string]bool
		err  error
	}{
		{`{"version":1,"enabled":{"web":true,"db":false}}`, map[string]bool{"web": true, "db": false}, nil},
		{`{"version":1}`, map[string]bool{}, nil},
		{`{"version":2,"enabled":{}}`, nil, ErrBadState},
		{`{"version":1,"enabled":{"a*":true}}`, nil, ErrBadState},
		{`{"version":1,"enab`, nil, ErrBadState},
		{``, nil, ErrBadState},
	}
	for _, tt := range tests {
		got, err := decodeState([]byte(tt.in))
		if !errors.Is(err, tt.err) || len(got) != len(tt.want) {
			t.Errorf("decodeState(%q) = %v, %v; want %v, %v", tt.in, got, err, tt.want, tt.err)
		}
		for k, v := range tt.want {
			if got[k] != v {
				t.Errorf("decodeState(%q)[%q] = %v", tt.in, k, got[k])
			}
		}
	}
}

func FuzzDecodeState(f *testing.F) {
	f.Add([]byte(`{"version":1,"enabled":{"web":true}}`))
	f.Add([]byte(`{"version":1,"enabled":{"":false}}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		enabled, err := decodeState(data)
		if err != nil {
			if !errors.Is(err, ErrBadState) {
				t.Fatalf("error not ErrBadState: %v", err)
			}
			return
		}
		for name := range enabled {
			if checkName(name) != nil {
				t.Fatalf("bad name accepted: %q", name)
			}
		}
	})
}

func FuzzSortByRequires(f *testing.F) {
	f.Add("a:b,c;b:c;c:")
	f.Add("a:b;b:a")
	f.Fuzz(func(t *testing.T, spec string) {
		req := parseGraph(spec)
		order, err := SortByRequires(req)
		if err != nil {
			if !errors.Is(err, ErrCycle) && !errors.Is(err, ErrUnknownDependency) {
				t.Fatalf("unclassified error %v", err)
			}
			return
		}
		pos := map[string]int{}
		for i, n := range order {
			pos[n] = i
		}
		if len(order) != len(req) {
			t.Fatalf("order %v misses names of %v", order, req)
		}
		for n, deps := range req {
			for _, d := range deps {
				if pos[d] >= pos[n] && d != n {
					t.Fatalf("%s before its requirement %s in %v", n, d, order)
				}
			}
		}
	})
}

// parseGraph reads "a:b,c;b:" into a requires map.
func parseGraph(spec string) map[string][]string {
	req := map[string][]string{}
	for part := range strings.SplitSeq(spec, ";") {
		name, deps, _ := strings.Cut(part, ":")
		if name == "" {
			continue
		}
		req[name] = append(req[name], slices.DeleteFunc(strings.Split(deps, ","),
			func(d string) bool { return d == "" })...)
	}
	return req
}
