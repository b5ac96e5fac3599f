// Command hang is a "new agent binary" that passes `selftest` but, run
// normally, sleeps forever without connecting anywhere: the OTA end-to-end
// tests publish it to check that the old version rolls it back.
package main

import (
	"fmt"
	"os"
	"slices"
	"time"
)

func main() {
	if slices.Contains(os.Args[1:], "selftest") {
		fmt.Println("selftest: ok")
		return
	}
	fmt.Fprintln(os.Stderr, "hang: sleeping forever")
	for {
		time.Sleep(time.Hour) // not select{}: the runtime would call that a deadlock
	}
}
