package cli

import (
	"cmp"
	"debug/elf"
	"errors"
)

// elfArch maps ELF machines to GOARCH names.
var elfArch = map[elf.Machine]string{
	elf.EM_X86_64: "amd64", elf.EM_386: "386", elf.EM_AARCH64: "arm64", elf.EM_ARM: "arm",
	elf.EM_RISCV: "riscv64", elf.EM_PPC64: "ppc64le", elf.EM_S390: "s390x", elf.EM_MIPS: "mips",
}

// binaryPlatform returns the os and arch of an ELF binary ("linux", the
// GOARCH of its machine); "" for what the header does not say, and both
// "" when the file is not ELF.
func binaryPlatform(path string) (goos, goarch string, err error) {
	f, err := elf.Open(path)
	var fe *elf.FormatError
	if errors.As(err, &fe) {
		return "", "", nil // not ELF: the flags (or this machine) decide
	}
	if err != nil {
		return "", "", err
	}
	defer f.Close()
	return "linux", elfArch[f.Machine], nil
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
