package control

import (
	"errors"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/drover-iot/drover/fleet"
)

// starMatch is an oracle for patterns whose only metacharacter is '*':
// '*' matches any run of bytes other than '/', every other byte itself.
// next[j] says whether the rest of the pattern matches name[j:].
func starMatch(pattern, name string) bool {
	next := make([]bool, len(name)+1)
	next[len(name)] = true
	for i := len(pattern) - 1; i >= 0; i-- {
		cur := make([]bool, len(name)+1)
		for j := len(name); j >= 0; j-- {
			if pattern[i] == '*' {
				cur[j] = next[j] || j < len(name) && name[j] != '/' && cur[j+1]
			} else {
				cur[j] = j < len(name) && name[j] == pattern[i] && next[j+1]
			}
		}
		next = cur
	}
	return next[0]
}

// errCode is the fleet code of err, empty when it has none.
func errCode(err error) fleet.Code {
	var fe *fleet.Error
	if errors.As(err, &fe) {
		return fe.Code
	}
	return ""
}

// FuzzMatchJobs checks the schedule-name matcher of schedule.remove,
// pause, resume and run: it never panics; a name without wildcards is
// taken as is; a bad pattern is a bad request; otherwise the jobs it
// returns, in order, are those path.Match accepts (and, for patterns with
// '*' as their only metacharacter, those the independent starMatch
// accepts), and matching none is not found.
func FuzzMatchJobs(f *testing.F) {
	f.Add("backup-*", "backup-db,backup-logs,rotate")
	f.Add("*", "a,b,")
	f.Add("*-*-*", "a-b-c,a-b,x--")
	f.Add("exact", "exact,other")
	f.Add("[a-", "a")
	f.Add("b?ck\\*", "back*,bock")
	f.Add("a*b*c", "abc,aXbYc,a/b/c,ab")
	f.Fuzz(func(t *testing.T, pattern, joined string) {
		var jobs []fleet.Job
		for _, n := range strings.Split(joined, ",") {
			jobs = append(jobs, fleet.Job{Name: n})
		}
		got, err := matchJobs(jobs, pattern)
		if !strings.ContainsAny(pattern, "*?[") {
			if err != nil || !slices.Equal(got, []string{pattern}) {
				t.Fatalf("matchJobs(%q) = %q, %v; want the name as is", pattern, got, err)
			}
			return
		}
		if _, perr := path.Match(pattern, ""); perr != nil {
			if errCode(err) != fleet.CodeBadRequest {
				t.Fatalf("bad pattern %q: err = %v, want %s", pattern, err, fleet.CodeBadRequest)
			}
			return
		}
		checkMatches(t, pattern, jobs, got, err)
	})
}

// checkMatches compares matchJobs' answer with path.Match and, for
// '*'-only patterns, with starMatch.
func checkMatches(t *testing.T, pattern string, jobs []fleet.Job, got []string, err error) {
	starOnly := !strings.ContainsAny(pattern, "?[\\")
	var want []string
	for _, j := range jobs {
		ok, _ := path.Match(pattern, j.Name)
		if starOnly && ok != starMatch(pattern, j.Name) {
			t.Fatalf("path.Match(%q, %q) = %v, starMatch disagrees", pattern, j.Name, ok)
		}
		if ok {
			want = append(want, j.Name)
		}
	}
	if len(want) == 0 {
		if errCode(err) != fleet.CodeNotFound {
			t.Fatalf("matchJobs(%q) = %q, %v; want %s", pattern, got, err, fleet.CodeNotFound)
		}
		return
	}
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("matchJobs(%q) = %q, %v; want %q", pattern, got, err, want)
	}
}
