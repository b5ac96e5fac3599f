package exporter

import (
	"cmp"
	"io"
	"maps"
	"slices"
)

// merger writes families grouped by name without regrouping them: each
// device's families are sorted by name (sortByName), so one cursor per
// device walks them as the names go by. A scrape of 10,000 devices copies
// their text and allocates one cursor each, instead of appending hundreds
// of thousands of families into per-name slices.
type merger struct {
	w         io.Writer
	devs      [][]encoded
	next      []int
	conflicts int
}

// writeMerged writes first's families and then the devices' (in the order
// of devs) under each name, names sorted; see store.write.
func writeMerged(w io.Writer, first []encoded, devs [][]encoded) (conflicts int, err error) {
	sortByName(first)
	m := &merger{w: w, devs: devs, next: make([]int, len(devs))}
	fi := 0
	for _, name := range familyNames(first, devs) {
		start := fi
		for fi < len(first) && first[fi].name == name {
			fi++
		}
		if err := m.family(name, first[start:fi]); err != nil {
			return m.conflicts, err
		}
	}
	return m.conflicts, nil
}

// family writes the families called name: own ones, then each device's.
func (m *merger) family(name string, own []encoded) error {
	var head *encoded
	for i := range own {
		if err := m.emit(&head, &own[i]); err != nil {
			return err
		}
	}
	for d, fams := range m.devs {
		for ; m.next[d] < len(fams) && fams[m.next[d]].name == name; m.next[d]++ {
			if err := m.emit(&head, &fams[m.next[d]]); err != nil {
				return err
			}
		}
	}
	return nil
}

// emit writes e's samples, preceded by the header when e is the first of
// its name; a family whose type differs from the first one's is counted
// as a conflict and left out.
func (m *merger) emit(head **encoded, e *encoded) error {
	switch {
	case *head == nil:
		*head = e
		if err := writeHeader(m.w, *e); err != nil {
			return err
		}
	case (*head).typ != e.typ:
		m.conflicts++
		return nil
	}
	_, err := m.w.Write(e.samples)
	return err
}

// familyNames are the names in first and devs, sorted, each once.
func familyNames(first []encoded, devs [][]encoded) []string {
	set := map[string]struct{}{}
	for _, e := range first {
		set[e.name] = struct{}{}
	}
	for _, fams := range devs {
		for _, e := range fams {
			set[e.name] = struct{}{}
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// sortByName orders families by name, keeping the order of equal names.
func sortByName(fams []encoded) {
	slices.SortStableFunc(fams, func(a, b encoded) int { return cmp.Compare(a.name, b.name) })
}
