package jobspec

import (
	"fmt"
	"strings"
)

// Problem is one thing wrong with a document, with where it is.
type Problem struct {
	// Line is the 1-based line in the file, or 0 when unknown.
	Line int `json:"line,omitempty"`
	// Path is the key, such as "services[1].restart.policy"; "" for syntax errors.
	Path string `json:"path,omitempty"`
	// Message says what is wrong and what is expected.
	Message string `json:"message"`
}

// String formats the problem as "line: path: message".
func (p Problem) String() string {
	var b strings.Builder
	if p.Line > 0 {
		fmt.Fprintf(&b, "%d: ", p.Line)
	}
	if p.Path != "" {
		b.WriteString(p.Path + ": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// Problems is every problem found in one file. It unwraps to ErrInvalid.
type Problems struct {
	// File names the document ("agent.yaml"), "" when not from a file.
	File string
	List []Problem
}

// Error lists the problems one a line, each as "file:line: path: message".
func (e *Problems) Error() string {
	lines := make([]string, len(e.List))
	for i, p := range e.List {
		lines[i] = p.String()
		if e.File != "" {
			lines[i] = e.File + ":" + lines[i]
		}
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns ErrInvalid.
func (e *Problems) Unwrap() error { return ErrInvalid }

// Add records a problem at path, located by the position index.
func (e *Problems) Add(pos Positions, path, format string, args ...any) {
	e.List = append(e.List, Problem{Line: pos.Line(path), Path: path, Message: fmt.Sprintf(format, args...)})
}

// Err returns e, or nil when there is no problem.
func (e *Problems) Err() error {
	if len(e.List) == 0 {
		return nil
	}
	return e
}
