package jobspec

import (
	"fmt"
	"regexp"
	"strconv"

	"gopkg.in/yaml.v3"
)

var (
	lineRe    = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
	unknownRe = regexp.MustCompile(`^field (\S+) not found in type \w+\.(\w+)$`)
)

// TypeProblems turns yaml.v3's type errors into problems; an unknown key
// is said "unknown key "k" <sections[type name]>".
func TypeProblems(te *yaml.TypeError, sections map[string]string) []Problem {
	list := make([]Problem, 0, len(te.Errors))
	for _, msg := range te.Errors {
		line, text := splitLine(msg)
		if m := unknownRe.FindStringSubmatch(text); m != nil {
			text = fmt.Sprintf("unknown key %q %s", m[1], sections[m[2]])
		}
		list = append(list, Problem{Line: line, Message: text})
	}
	return list
}

// SyntaxProblems turns a YAML syntax error into one problem.
func SyntaxProblems(err error) []Problem {
	line, text := splitLine(err.Error())
	return []Problem{{Line: line, Message: "YAML syntax error: " + text}}
}

// splitLine separates yaml.v3's "line N: " prefix from a message.
func splitLine(msg string) (int, string) {
	m := lineRe.FindStringSubmatch(msg)
	if m == nil {
		return 0, msg
	}
	line, _ := strconv.Atoi(m[1])
	return line, m[2]
}
