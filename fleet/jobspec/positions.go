package jobspec

import (
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Positions maps a key path such as "services[1].restart.policy" to the
// line where it is written, so validation can say where a problem is.
type Positions map[string]int

// Index walks a decoded document and records the line of every key and
// sequence item.
func Index(root *yaml.Node) Positions {
	pos := Positions{}
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	pos.walk(root, "")
	return pos
}

func (p Positions) walk(n *yaml.Node, path string) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := join(path, n.Content[i].Value)
			p[key] = n.Content[i].Line
			p.walk(n.Content[i+1], key)
		}
	case yaml.SequenceNode:
		for i, item := range n.Content {
			key := path + "[" + strconv.Itoa(i) + "]"
			p[key] = item.Line
			p.walk(item, key)
		}
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// Line returns the line of path or, when it is not written (a missing
// key), of its nearest written parent; 0 when none is known.
func (p Positions) Line(path string) int {
	for path != "" {
		if l, ok := p[path]; ok {
			return l
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			return 0
		}
		path = path[:i]
	}
	return 0
}
