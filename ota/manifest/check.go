package manifest

import "fmt"

// Running describes the device that considers an update.
type Running struct {
	// Build is the running agent's build number.
	Build uint64
	// OS and Arch are runtime.GOOS and runtime.GOARCH of the device.
	OS, Arch string
	// FreeBytes is the free space where the update is staged and installed.
	FreeBytes uint64
	// AllowDowngrade is the device's own consent (config ota.allow_downgrade);
	// a lower or equal build needs it and the manifest's allow_downgrade.
	AllowDowngrade bool
}

// Check refuses a verified manifest that does not fit the running device.
// Errors wrap ErrWrongPlatform, ErrNotNewer or ErrNoSpace.
func Check(m Manifest, r Running) error {
	if m.OS != r.OS || m.Arch != r.Arch {
		return fmt.Errorf("%w: manifest is %s/%s, device is %s/%s", ErrWrongPlatform, m.OS, m.Arch, r.OS, r.Arch)
	}
	if m.Build <= r.Build && !(m.AllowDowngrade && r.AllowDowngrade) {
		return fmt.Errorf("%w: build %d, running %d", ErrNotNewer, m.Build, r.Build)
	}
	if need := SpaceNeeded(m); r.FreeBytes < need {
		return fmt.Errorf("%w: need %d bytes, %d free", ErrNoSpace, need, r.FreeBytes)
	}
	return nil
}

// SpaceNeeded is the disk space an update needs: the staged artifact, the
// copy next to the binary that is renamed over it, and the delta patch when
// there is one (the largest case; a full download needs less).
func SpaceNeeded(m Manifest) uint64 {
	need := 2 * uint64(m.Size)
	if m.Delta != nil {
		need += uint64(m.Delta.Size)
	}
	return need
}
