package manifest

import (
	"debug/elf"
	"fmt"
)

// goarchOf maps ELF machines to GOARCH. 32-bit ARM is "arm" whatever its
// GOARM: devices compare runtime.GOARCH, which carries no GOARM.
var goarchOf = map[elf.Machine]string{
	elf.EM_X86_64: "amd64", elf.EM_AARCH64: "arm64", elf.EM_ARM: "arm",
	elf.EM_386: "386", elf.EM_RISCV: "riscv64",
}

// Platform reads the os and arch (GOOS, GOARCH) a binary was built for from
// its ELF header: the one place that does, used by publish to label a
// binary. It fails with ErrUnknownPlatform for a binary of another machine
// and wraps debug/elf's error for a file that is not ELF.
func Platform(path string) (goos, goarch string, err error) {
	f, err := elf.Open(path)
	if err != nil {
		return "", "", fmt.Errorf("manifest: read platform of %s: %w", path, err)
	}
	defer f.Close()
	goarch, ok := goarchOf[f.Machine]
	if !ok || (f.Machine == elf.EM_RISCV && f.Class != elf.ELFCLASS64) {
		return "", "", fmt.Errorf("%w: %s is for %v", ErrUnknownPlatform, path, f.Machine)
	}
	switch f.OSABI {
	case elf.ELFOSABI_NONE, elf.ELFOSABI_LINUX:
		return "linux", goarch, nil
	}
	return "", "", fmt.Errorf("%w: %s is for OS ABI %v", ErrUnknownPlatform, path, f.OSABI)
}
