package supervise

import (
	"errors"
	"slices"
	"testing"
)

func TestSortByRequires(t *testing.T) {
	tests := []struct {
		name     string
		requires map[string][]string
		want     []string
		wantErr  error
		wantMsg  string
	}{
		{name: "empty", requires: map[string][]string{}, want: nil},
		{name: "independent in name order",
			requires: map[string][]string{"c": nil, "a": nil, "b": nil},
			want:     []string{"a", "b", "c"}},
		{name: "dependencies first",
			requires: map[string][]string{"web": {"db", "cache"}, "db": nil, "cache": {"db"}},
			want:     []string{"db", "cache", "web"}},
		{name: "chain against name order",
			requires: map[string][]string{"a": {"b"}, "b": {"c"}, "c": nil},
			want:     []string{"c", "b", "a"}},
		{name: "diamond",
			requires: map[string][]string{"top": {"l", "r"}, "l": {"base"}, "r": {"base"}, "base": nil},
			want:     []string{"base", "l", "r", "top"}},
		{name: "unknown dependency",
			requires: map[string][]string{"web": {"db"}},
			wantErr:  ErrUnknownDependency,
			wantMsg:  `supervise: service "web" requires unknown service "db"`},
		{name: "two unknown dependencies reported together",
			requires: map[string][]string{"web": {"db"}, "api": {"auth"}},
			wantErr:  ErrUnknownDependency,
			wantMsg: `supervise: service "api" requires unknown service "auth"` + "\n" +
				`supervise: service "web" requires unknown service "db"`},
		{name: "two-cycle",
			requires: map[string][]string{"a": {"b"}, "b": {"a"}},
			wantErr:  ErrCycle,
			wantMsg:  "supervise: dependency cycle: a -> b -> a"},
		{name: "self cycle",
			requires: map[string][]string{"a": {"a"}},
			wantErr:  ErrCycle,
			wantMsg:  "supervise: dependency cycle: a -> a"},
		{name: "cycle behind a prefix",
			requires: map[string][]string{"x": {"y"}, "y": {"z"}, "z": {"y"}},
			wantErr:  ErrCycle,
			wantMsg:  "supervise: dependency cycle: y -> z -> y"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SortByRequires(tt.requires)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || err.Error() != tt.wantMsg {
					t.Fatalf("err = %v, want %q (%v)", err, tt.wantMsg, tt.wantErr)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Fatalf("got %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestSortByRequiresStable(t *testing.T) {
	req := map[string][]string{"e": {"a"}, "d": {"a"}, "c": nil, "b": {"c"}, "a": nil}
	first, err := SortByRequires(req)
	if err != nil {
		t.Fatal(err)
	}
	for range 50 {
		again, _ := SortByRequires(req)
		if !slices.Equal(first, again) {
			t.Fatalf("order changed: %v then %v", first, again)
		}
	}
}
