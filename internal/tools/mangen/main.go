// Command mangen writes fleetctl's man pages (section 1, one per command,
// generated from the cobra command tree) and its bash, zsh and fish
// completions into a directory, for the drover-fleetctl package:
//
//	go run ./internal/tools/mangen OUTDIR
//
// The pages carry no date (cobra would stamp today's), so packages built
// from the same commit are identical; SOURCE_DATE_EPOCH sets one if given.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/drover-iot/drover/fleet/cli"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: mangen OUTDIR")
		os.Exit(2)
	}
	if err := generate(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "mangen:", err)
		os.Exit(1)
	}
}

func generate(out string) error {
	root := cli.NewCommand(cli.Options{})
	root.DisableAutoGenTag = true
	man := filepath.Join(out, "man")
	if err := os.MkdirAll(man, 0o755); err != nil {
		return err
	}
	hdr := &doc.GenManHeader{Title: "FLEETCTL", Section: "1", Source: "Drover",
		Manual: "Drover manual", Date: sourceDate()}
	if err := doc.GenManTree(root, hdr, man); err != nil {
		return fmt.Errorf("man pages: %w", err)
	}
	return completions(root, filepath.Join(out, "completions"))
}

// completions writes fleetctl.bash, _fleetctl (zsh) and fleetctl.fish.
func completions(root *cobra.Command, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	gens := map[string]func(string) error{
		"fleetctl.bash": func(p string) error { return root.GenBashCompletionFileV2(p, true) },
		"_fleetctl":     root.GenZshCompletionFile,
		"fleetctl.fish": func(p string) error { return root.GenFishCompletionFile(p, true) },
	}
	for name, gen := range gens {
		if err := gen(filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("completion %s: %w", name, err)
		}
	}
	return nil
}

// sourceDate is SOURCE_DATE_EPOCH as a time; the Unix epoch when unset, so
// the output never depends on when it was generated.
func sourceDate() *time.Time {
	sec, _ := strconv.ParseInt(os.Getenv("SOURCE_DATE_EPOCH"), 10, 64)
	t := time.Unix(sec, 0).UTC()
	return &t
}
