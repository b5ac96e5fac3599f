// Command exit1 is a "new agent binary" that exits 1 at once, whatever it
// is asked: the OTA end-to-end tests publish it to check that a binary
// whose selftest fails is refused.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "exit1: this binary always fails")
	os.Exit(1)
}
