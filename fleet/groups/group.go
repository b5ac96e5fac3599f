package groups

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/jobspec"
	"github.com/drover-iot/drover/internal/names"
)

// maxGroupName bounds a group name, which is a topic level.
const maxGroupName = 63

// Group is one group: the devices its selector matches run its jobs and
// have its services enabled or disabled.
type Group struct {
	Name string `yaml:"name" json:"name"`
	// Selector is a label selector (fleet.ParseSelector); "" matches every device.
	Selector string `yaml:"selector" json:"selector"`
	// Jobs have the keys of the agent config's jobs; only handlers, no commands.
	Jobs []jobspec.Job `yaml:"jobs" json:"jobs"`
	// Services enable or disable services the devices define, by name.
	Services map[string]Service `yaml:"services,omitempty" json:"services,omitempty"`
	// Order is the group's index in its file: a later group wins a conflict.
	Order int `yaml:"-" json:"order"`
	// Generation grows with every published change; a device never lets
	// an older generation replace a newer one.
	Generation uint64 `yaml:"-" json:"generation"`
	// Deleted marks a tombstone: the group is gone, and devices drop its
	// jobs. A deletion is a signed document like any change, so whoever
	// can only write to the broker cannot delete a group; and, retained,
	// it reaches a device that was away when the group was deleted.
	Deleted bool `yaml:"-" json:"deleted,omitempty"`
}

// Tombstone is the document that deletes group name at generation gen.
func Tombstone(name string, gen uint64) Group {
	return Group{Name: name, Generation: gen, Deleted: true}
}

// Service is what a group sets of one service.
type Service struct {
	// Enabled is required: true enables (and starts) the service, false
	// disables (and stops) it.
	Enabled *bool `yaml:"enabled" json:"enabled"`
}

// ApplyDefaults fills the jobs' left-out keys, as the agent config does.
func (g *Group) ApplyDefaults() {
	for i := range g.Jobs {
		g.Jobs[i].ApplyDefaults()
	}
}

// Check adds g's problems, written at path (such as "groups[0]"), to c:
// its name, selector, jobs (as agent check-config checks them, and no
// command jobs) and services. Defaults must be applied.
// With path "", keys are named from the group's top ("jobs[0].schedule").
func (g Group) Check(c jobspec.Checker, path string) {
	at := func(key string) string {
		if path == "" {
			return key
		}
		return path + "." + key
	}
	if err := CheckName(g.Name); err != nil {
		c.Add(at("name"), "%v", err)
	}
	if _, err := fleet.ParseSelector(g.Selector); err != nil {
		c.Add(at("selector"), "%v", err)
	}
	c.Jobs(at("jobs"), g.Jobs)
	for i, j := range g.Jobs {
		if len(j.Command) > 0 {
			c.Add(at(fmt.Sprintf("jobs[%d].command", i)),
				"a group job runs a handler the device registers; command jobs belong in the device's own config")
		}
	}
	for _, name := range slices.Sorted(maps.Keys(g.Services)) {
		at := at("services." + name)
		if !jobspec.UnitName.Valid(name, jobspec.MaxNameLen) {
			c.Add(at, "service name %q must be 1 to %d of A-Z a-z 0-9 . _ -, starting with a letter or digit",
				name, jobspec.MaxNameLen)
		}
		if g.Services[name].Enabled == nil {
			c.Add(at+".enabled", "set enabled: true or false")
		}
	}
}

// CheckName returns why name cannot be a group name (a topic level:
// ^[a-z0-9][a-z0-9._-]{0,62}$), or nil.
func CheckName(name string) error {
	if names.Lower.Valid(name, maxGroupName) {
		return nil
	}
	return fmt.Errorf("group name %q must match ^[a-z0-9][a-z0-9._-]{0,62}$", name)
}

// Hash is a short digest of what the group asks of a device (selector,
// order, jobs, services; not name or generation), the same on both sides
// when defaults are applied.
func (g Group) Hash() string {
	body, _ := json.Marshal(struct {
		Selector string             `json:"selector"`
		Order    int                `json:"order"`
		Jobs     []jobspec.Job      `json:"jobs"`
		Services map[string]Service `json:"services"`
	}{g.Selector, g.Order, g.Jobs, g.Services})
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:8])
}

// Matches reports whether the group's selector matches labels (a bad
// selector matches nothing).
func (g Group) Matches(labels map[string]string) bool { return g.Matcher()(labels) }

// Matcher is Matches with the selector parsed once, for matching many
// devices.
func (g Group) Matcher() func(labels map[string]string) bool {
	sel, err := fleet.ParseSelector(g.Selector)
	if err != nil {
		return func(map[string]string) bool { return false }
	}
	return sel.Matches
}
