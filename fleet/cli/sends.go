package cli

import (
	"strings"

	"github.com/spf13/cobra"
)

// AnnotationSends is the cobra annotation that lists, comma-separated, the
// protocol commands a fleetctl command sends to devices.
const AnnotationSends = "drover.fleetctl/sends"

// sends annotates a fleetctl command with the protocol commands it sends.
func sends(cmds ...string) map[string]string {
	return map[string]string{AnnotationSends: strings.Join(cmds, ",")}
}

// Senders maps every protocol command that some fleetctl command sends to
// the paths of those commands ("fleetctl task stop"), walking the tree
// under root.
func Senders(root *cobra.Command) map[string][]string {
	out := map[string][]string{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if list := c.Annotations[AnnotationSends]; list != "" {
			for _, name := range strings.Split(list, ",") {
				out[name] = append(out[name], c.CommandPath())
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	return out
}
