package natural

import (
	"slices"
	"strconv"
	"testing"
)

func TestSortNatural(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want []string
	}{
		{"numbers by value", []string{"t10", "t2", "t1"}, []string{"t1", "t2", "t10"}},
		{"prefix first", []string{"job-2", "job", "job-10"}, []string{"job", "job-2", "job-10"}},
		{"several runs", []string{"a1b10", "a1b2", "a0b99"}, []string{"a0b99", "a1b2", "a1b10"}},
		{"zero padding", []string{"t1", "t01", "t001"}, []string{"t001", "t01", "t1"}},
		{"huge numbers", []string{"n100000000000000000000", "n99"}, []string{"n99", "n100000000000000000000"}},
		{"letters", []string{"beta", "alpha", "Zed"}, []string{"Zed", "alpha", "beta"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := slices.Clone(tt.in)
			Sort(got, func(s string) string { return s })
			if !slices.Equal(got, tt.want) {
				t.Errorf("sorted %v = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzNaturalLess(f *testing.F) {
	for _, s := range []string{"t1", "t10", "a01b2", "", "0", "x99y"} {
		f.Add(s, "t2")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if Less(a, b) && Less(b, a) {
			t.Fatalf("both %q < %q and %q < %q", a, b, b, a)
		}
		if a != b && !Less(a, b) && !Less(b, a) {
			t.Fatalf("%q and %q are distinct but unordered", a, b)
		}
	})
}

// BenchmarkSortNatural sorts 1,000 device ids (the fleetctl devices listing).
func BenchmarkSortNatural(b *testing.B) {
	ids := make([]string, 1000)
	for i := range ids {
		ids[i] = "pi-" + strconv.Itoa((i*7919)%1000)
	}
	b.ReportAllocs()
	for b.Loop() {
		got := slices.Clone(ids)
		Sort(got, func(s string) string { return s })
	}
}
