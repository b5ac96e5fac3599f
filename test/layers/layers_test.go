// Package layers checks the import rules of docs/ARCHITECTURE.md with
// `go list`: imports point down (cmd → agent → {sensors, ota, scheduler,
// fleet} → internal), fleet and the schedule language are leaves, and
// the packages that only read schedules do without the scheduler engine.
package layers

import (
	"strings"
	"testing"
)

// layer ranks a package by its first path element: a package may import
// packages of its own layer or a lower one.
var layer = map[string]int{
	"internal":  0,
	"fleet":     1,
	"sensors":   1,
	"scheduler": 1,
	"ota":       1,
	"agent":     2,
	"cmd":       3,
	"test":      4,
	"examples":  4,
}

// leaves import no Drover package but internal/ helpers.
var leaves = []string{"fleet", "scheduler/schedule"}

// engine is the scheduler engine, which packages that only parse or
// evaluate schedules must not depend on (directly or not).
const engine = "scheduler"

// withoutEngine are the packages (a trailing "/..." takes those below too)
// that use the schedule language without the engine.
var withoutEngine = []string{"sensors/...", "fleet/...", "agent/config"}

func TestImportsPointDown(t *testing.T) {
	for _, p := range listPackages(t) {
		from := rankOf(t, p.Path)
		for _, imp := range p.allImports() {
			if to := rankOf(t, imp); to > from {
				t.Errorf("%s (layer %d) imports %s (layer %d): imports must point down", p.Path, from, imp, to)
			}
		}
	}
}

func TestLeavesImportOnlyInternal(t *testing.T) {
	pkgs := byPath(listPackages(t))
	for _, leaf := range leaves {
		p, ok := pkgs[leaf]
		if !ok {
			t.Fatalf("leaf package %s not found", leaf)
		}
		for _, imp := range p.Imports {
			if !strings.HasPrefix(imp, "internal/") {
				t.Errorf("%s is a leaf but imports %s", leaf, imp)
			}
		}
	}
}

func TestScheduleUsersDoWithoutTheEngine(t *testing.T) {
	checked := 0
	for _, p := range listPackages(t) {
		if !matchesAny(p.Path, withoutEngine) {
			continue
		}
		checked++
		for _, dep := range p.Deps {
			if dep == engine {
				t.Errorf("%s depends on the scheduler engine; import scheduler/schedule instead", p.Path)
			}
		}
	}
	if checked == 0 {
		t.Fatalf("no package matched %v", withoutEngine)
	}
}

// rankOf returns the layer of a Drover package path, failing the test for
// a top-level directory the table does not know.
func rankOf(t *testing.T, path string) int {
	t.Helper()
	if strings.HasPrefix(path, "internal/tools/") {
		return layer["cmd"] // build-time programs (man pages from the cobra tree): they rank as commands
	}
	top, _, _ := strings.Cut(path, "/")
	r, ok := layer[top]
	if !ok {
		t.Fatalf("package %s: top-level directory %q has no layer; add it to the table here and to docs/ARCHITECTURE.md", path, top)
	}
	return r
}

// matchesAny reports whether path is one of patterns, a pattern ending in
// "/..." matching the directory and everything below it.
func matchesAny(path string, patterns []string) bool {
	for _, pat := range patterns {
		dir, tree := strings.CutSuffix(pat, "/...")
		if path == dir || (tree && strings.HasPrefix(path, dir+"/")) {
			return true
		}
	}
	return false
}
