package cli

import (
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/drover-iot/drover/ota/transfer"
)

// keyPasswordEnv holds the password of an encrypted OTA secret key.
const keyPasswordEnv = "DROVER_OTA_KEY_PASSWORD"

// defaultArtifact is the artifact name when --artifact is not given.
const defaultArtifact = "agent"

func (a *app) otaCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ota",
		Short: "Signed over-the-air updates: keys, publish, push, status, rollouts, gc",
	}
	cmd.AddCommand(a.keygenCmd("ota"), a.otaPublishCmd(), a.otaPushCmd(), a.otaStatusCmd(),
		a.otaRolloutCmd(), a.otaGCCmd())
	return cmd
}

// writeNew writes a file that must not exist yet (a key is never overwritten).
func writeNew(path string, data []byte, mode os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// publishFlags are the flags of ota publish.
type publishFlags struct {
	version, key, signature, manifest, prepare, artifact, os, arch string
	// deltaFrom are old binaries (one per platform) to publish deltas from.
	deltaFrom      []string
	build          uint64
	expires        time.Duration
	chunkSize      int
	allowDowngrade bool
}

func (a *app) otaPublishCmd() *cobra.Command {
	var f publishFlags
	cmd := &cobra.Command{
		Use:   "publish BINARY... --version V --build N (--key K | --manifest M --signature M.minisig | --prepare M)",
		Short: "Sign agent binaries and publish their manifests and chunks, retained, on the broker",
		Long: "publish hashes BINARY into a manifest, signs it with --key (minisign format) and publishes the chunks\n" +
			"and then the manifest, retained, under <prefix>/ota/<artifact>/. To sign with the minisign tool instead:\n" +
			"  fleetctl ota publish BIN --version V --build N --prepare manifest.json\n" +
			"  minisign -Sm manifest.json\n" +
			"  fleetctl ota publish BIN --manifest manifest.json --signature manifest.json.minisig\n" +
			"Several binaries (one per platform, read from their ELF headers) make one multi-platform artifact,\n" +
			"signed with --key: each platform's manifest and chunks under <prefix>/ota/<artifact>/<os>-<arch>/,\n" +
			"then a signed index of the platforms at <prefix>/ota/<artifact>/manifest; each device takes its own:\n" +
			"  fleetctl ota publish dist/agent_linux_* --version V --build N --key K [--delta-from OLD]...",
		Args: minArgs("BINARY"),
	}
	fl := cmd.Flags()
	fl.StringVar(&f.version, "version", "", "version of the binary (e.g. v1.4.0)")
	fl.Uint64Var(&f.build, "build", 0, "monotonic build number (devices only take a higher one)")
	fl.StringVar(&f.key, "key", "", "minisign secret key file (password in $"+keyPasswordEnv+" when encrypted)")
	fl.StringVar(&f.manifest, "manifest", "", "a manifest made with --prepare and signed by minisign")
	fl.StringVar(&f.signature, "signature", "", "the .minisig of --manifest")
	fl.StringVar(&f.prepare, "prepare", "", "only write the unsigned manifest to this file")
	fl.StringArrayVar(&f.deltaFrom, "delta-from", nil, "old binary: also publish a bsdiff delta from it (repeat: one per platform, matched by ELF header)")
	fl.StringVar(&f.artifact, "artifact", defaultArtifact, "artifact name (topic level)")
	fl.StringVar(&f.os, "os", "", "target os (default: from the binary's ELF header, else this machine's)")
	fl.StringVar(&f.arch, "arch", "", "target arch (default: from the binary's ELF header, else this machine's)")
	fl.DurationVar(&f.expires, "expires", transfer.DefaultExpiry, "how long the manifest stays valid")
	fl.IntVar(&f.chunkSize, "chunk-size", 0, "chunk size in bytes (default 64 KiB)")
	fl.BoolVar(&f.allowDowngrade, "allow-downgrade", false, "let devices with a higher build take it (they must allow it too)")
	cmd.RunE = run(func(cmd *cobra.Command, args []string) error {
		if len(args) > 1 {
			return a.publishPlatforms(cmd, args, f)
		}
		return a.publish(cmd, args[0], f)
	})
	return cmd
}
