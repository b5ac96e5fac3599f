// Command exit3 is a "new agent binary" that passes `selftest` but exits 3
// as soon as it runs normally: the OTA end-to-end tests publish it to check
// that the old version rolls such an update back.
package main

import (
	"fmt"
	"os"
	"slices"
)

func main() {
	if slices.Contains(os.Args[1:], "selftest") {
		fmt.Println("selftest: ok")
		return
	}
	fmt.Fprintln(os.Stderr, "exit3: this binary exits 3 when it runs")
	os.Exit(3)
}
