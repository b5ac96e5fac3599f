package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/acl"
)

func (a *app) aclCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "acl",
		Short: "Broker access control lists: each device touches only its own topics",
	}
	cmd.AddCommand(a.aclMosquittoCmd())
	return cmd
}

func (a *app) aclMosquittoCmd() *cobra.Command {
	var u acl.Users
	cmd := &cobra.Command{
		Use:   "mosquitto [--operators a,b] [--viewers c,d] [--publishers e]",
		Short: "Print a Mosquitto acl_file: devices (user name = device id) own only their topics",
		Long: "mosquitto prints an acl_file for Mosquitto. Every user not listed is a device whose user name\n" +
			"(or certificate CN, with use_identity_as_username) is its id: it may publish only its own\n" +
			"<prefix>/<id>/... topics and read only its own cmd, the OTA artifacts and the groups.\n" +
			"Operators read and write everything, viewers only read, publishers write OTA artifacts and groups.",
		Args: cobra.NoArgs,
	}
	fl := cmd.Flags()
	fl.StringSliceVar(&u.Operators, "operators", nil, "user names of operators (read all, send commands)")
	fl.StringSliceVar(&u.Viewers, "viewers", nil, "user names of viewers (read only: Grafana, the exporter)")
	fl.StringSliceVar(&u.Publishers, "publishers", nil, "user names that publish OTA artifacts and groups")
	cmd.RunE = run(func(*cobra.Command, []string) error {
		text, err := acl.Mosquitto(fleet.Topics{Prefix: a.s.Prefix}, u)
		if err != nil {
			return usageErrorf("%v", err)
		}
		_, err = fmt.Fprint(a.opts.Stdout, text)
		return err
	})
	return cmd
}
