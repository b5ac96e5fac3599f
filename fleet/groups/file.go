package groups

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"

	"gopkg.in/yaml.v3"

	"github.com/drover-iot/drover/fleet/jobspec"
)

// File is a fleet file: `fleetctl apply -f fleet.yaml`.
type File struct {
	Groups []Group `yaml:"groups"`
}

// sections say where an unknown key was, by the decoded type's name.
var sections = map[string]string{
	"File": "at the top level", "Group": "in a group", "Job": "in a job", "Service": "in a group service",
}

// ParseFile decodes a fleet file strictly (unknown keys are problems),
// applies the jobs' defaults, checks every group and sets each group's
// Order to its index. A bad file gives a *jobspec.Problems naming file
// (name), line and problem, with every problem found.
func ParseFile(data []byte, name string) ([]Group, error) {
	problems := &jobspec.Problems{File: name}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		problems.List = jobspec.SyntaxProblems(err)
		return nil, problems
	}
	var f File
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var te *yaml.TypeError
	switch err := dec.Decode(&f); {
	case err == nil, errors.Is(err, io.EOF):
	case errors.As(err, &te):
		problems.List = jobspec.TypeProblems(te, sections)
	default:
		problems.List = jobspec.SyntaxProblems(err)
		return nil, problems
	}
	if root.Kind == 0 {
		root.Kind = yaml.DocumentNode
	}
	check(f.Groups, jobspec.Checker{Pos: jobspec.Index(&root), P: problems})
	slices.SortStableFunc(problems.List, func(a, b jobspec.Problem) int { return a.Line - b.Line })
	if err := problems.Err(); err != nil {
		return nil, err
	}
	return f.Groups, nil
}

// check applies defaults, sets Order and checks each group of a file.
func check(list []Group, c jobspec.Checker) {
	if _, ok := c.Pos["groups"]; !ok {
		c.Add("", "no groups: want a top-level \"groups:\" list")
	}
	seen := map[string]string{}
	for i := range list {
		g := &list[i]
		path := fmt.Sprintf("groups[%d]", i)
		g.Order = i
		g.ApplyDefaults()
		if _, ok := c.Pos[path+".selector"]; !ok {
			c.Add(path, "a group needs a selector (\"\" matches every device)")
		}
		if prev, dup := seen[g.Name]; dup {
			c.Add(path+".name", "duplicate group name %q (first at line %d)", g.Name, c.Pos.Line(prev))
		}
		seen[g.Name] = path
		g.Check(c, path)
	}
}
