package scheduler

import "github.com/drover-iot/drover/scheduler/schedule"

// sharedSpec is one parsed spec shared by every job with the same
// canonical text, so that ten thousand "every 1h" jobs hold one Spec.
type sharedSpec struct {
	schedule.Spec
	text string
	refs int
}

// specTable interns specs by canonical text, counting references.
type specTable map[string]*sharedSpec

// get returns the shared copy of s, adding a reference.
func (t specTable) get(s schedule.Spec) *sharedSpec {
	text := s.String()
	p, ok := t[text]
	if !ok {
		p = &sharedSpec{Spec: s, text: text}
		t[text] = p
	}
	p.refs++
	return p
}

// put drops a reference to p (nil is ignored), forgetting it at zero.
func (t specTable) put(p *sharedSpec) {
	if p == nil {
		return
	}
	if p.refs--; p.refs <= 0 {
		delete(t, p.text)
	}
}
