package top

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/drover-iot/drover/internal/termtext"
)

// clean makes text that a device sent fit one line of a cell: control
// characters become visible escapes, newlines and tabs spaces.
func clean(s string) string {
	s = strings.NewReplacer("\n", " ", "\t", " ", "\r", " ").Replace(s)
	return termtext.String(s)
}

// truncate cuts s to w cells, ending with tail when it was cut.
func truncate(s string, w int, tail string) string {
	return ansi.Truncate(s, w, tail)
}
