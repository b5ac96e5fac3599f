package cli

import (
	"cmp"
	"debug/elf"
	"errors"

	"github.com/drover-iot/drover/ota/manifest"
)

// binaryPlatform returns the os and arch of an ELF binary
// (manifest.Platform, the one reader of ELF headers); both "" when the
// file is not ELF or the header names a machine Drover does not build for.
func binaryPlatform(path string) (goos, goarch string, err error) {
	goos, goarch, err = manifest.Platform(path)
	var fe *elf.FormatError
	if errors.As(err, &fe) || errors.Is(err, manifest.ErrUnknownPlatform) {
		return "", "", nil // the flags (or this machine) decide
	}
	return goos, goarch, err
}

// platform is the os and arch to publish binary for: read from its ELF
// header; a flag that contradicts the header is refused.
func platform(binary, osFlag, archFlag string) (string, string, error) {
	goos, goarch, err := binaryPlatform(binary)
	if err != nil {
		return "", "", err
	}
	if osFlag != "" && goos != "" && osFlag != goos {
		return "", "", usageErrorf("--os %s contradicts %s's ELF header (%s)", osFlag, binary, goos)
	}
	if archFlag != "" && goarch != "" && archFlag != goarch {
		return "", "", usageErrorf("--arch %s contradicts %s's ELF header (%s)", archFlag, binary, goarch)
	}
	return cmp.Or(osFlag, goos), cmp.Or(archFlag, goarch), nil
}
