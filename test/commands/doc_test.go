package commands

import "strings"

// commandsSection returns the text of "## Commands" up to the next "## ".
func commandsSection(doc string) string {
	_, rest, _ := strings.Cut(doc, "\n## Commands\n")
	section, _, _ := strings.Cut(rest, "\n## ")
	return section
}

// commandSections returns the command names of the "### a, b" headings
// of the Commands section.
func commandSections(doc string) []string {
	var names []string
	for _, line := range strings.Split(commandsSection(doc), "\n") {
		heading, ok := strings.CutPrefix(line, "### ")
		if !ok {
			continue
		}
		for _, name := range strings.Split(heading, ",") {
			names = append(names, strings.TrimSpace(name))
		}
	}
	return names
}

// summaryRows reads the rows "| `name` | args | result | capability | role |"
// of the Commands section's summary table: name -> [capability, role].
func summaryRows(doc string) map[string][2]string {
	rows := map[string][2]string{}
	for _, line := range strings.Split(commandsSection(doc), "\n") {
		cells := strings.Split(strings.Trim(line, "| "), "|")
		if !strings.HasPrefix(line, "| `") || len(cells) != 5 {
			continue
		}
		for i := range cells {
			cells[i] = strings.Trim(strings.TrimSpace(cells[i]), "`")
		}
		rows[cells[0]] = [2]string{cells[3], cells[4]}
	}
	return rows
}
