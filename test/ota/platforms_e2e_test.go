package otae2e

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/ota/state"
)

// noBuildRiscv is the refusal of a linux/riscv64 device.
const noBuildRiscv = "no build for linux/riscv64 in artifact agent v2; built for linux/amd64, linux/arm64"

// publishPlatforms lays out v2 for amd64 and arm64 as `make dist` does
// and publishes dist/agent_linux_* as one artifact, with a delta for
// amd64 from v1.
func (e *env) publishPlatforms() {
	e.t.Helper()
	dist := e.t.TempDir()
	copyFile(e.t, bins["v2"], filepath.Join(dist, "agent_linux_amd64"))
	copyFile(e.t, bins["v2_linux_arm64"], filepath.Join(dist, "agent_linux_arm64"))
	binaries, err := filepath.Glob(filepath.Join(dist, "agent_linux_*"))
	if err != nil || len(binaries) != 2 {
		e.t.Fatalf("dist: %v %v", binaries, err)
	}
	out := fleetctlOK(e.t, e.mq.url(), append(append([]string{"ota", "publish"}, binaries...),
		"--version", "v2", "--build", "2", "--key", e.key, "--delta-from", bins["v1"])...)
	for _, want := range []string{"drover/ota/agent/linux-amd64/manifest", "drover/ota/agent/linux-arm64/manifest"} {
		if !strings.Contains(out, want) {
			e.t.Fatalf("publish output lacks %s:\n%s", want, out)
		}
	}
}

// startOn starts a v1 device built as bin (a platform claim) and waits
// until it reports the platform.
func (e *env) startOn(id, bin, platform string) *device {
	e.t.Helper()
	d := startDevice(e.t, id, e.mq.url(), bin, e.pub)
	settled(e.t, e.client, id, "v1")
	var info fleet.InfoDoc
	if err := query(e.client, id, fleet.CmdInfo, &info); err != nil || info.OS+"/"+info.Arch != platform {
		e.t.Fatalf("%s reports %s/%s (%v), want %s", id, info.OS, info.Arch, err, platform)
	}
	return d
}

// otaStatus is dev's OTA status as fleetctl reads it (the wire type).
func otaStatus(t *testing.T, e *env, dev string) fleet.OTAStatus {
	t.Helper()
	var st fleet.OTAStatus
	if err := query(e.client, dev, fleet.CmdOTAStatus, &st); err != nil {
		t.Fatal(err)
	}
	return st
}

// TestMultiPlatformPush pushes one two-platform artifact to a mixed fleet
// with one command: the amd64 device installs the amd64 build (as a
// delta); the device that claims arm64 fetches the arm64 build in full and
// verifies it (staged: size, sha256, signature), whose selftest then
// cannot run on this amd64 machine; the riscv64 device reports that there is no build
// for it. The push lists both failures with their reasons.
func TestMultiPlatformPush(t *testing.T) {
	e := newEnv(t)
	amd := e.startOn("amd", "v1", "linux/amd64")
	arm := e.startOn("arm", "v1arm64", "linux/arm64")
	e.startOn("rv", "v1riscv64", "linux/riscv64")
	e.publishPlatforms()
	out, code := fleetctl(t, e.mq.url(), "ota", "push", "-l", "fleet=e2e")
	if code != 1 || !hasLine(out, "rv: failed: ", "no_build", noBuildRiscv) ||
		!hasLine(out, "arm: failed: ", "selftest", "exec format error") || !hasLine(out, "amd: restarting") ||
		!hasLine(out, "arm: downloading 100%") || !hasLine(out, "arm: staged v2") {
		t.Fatalf("push: exit %d, want 1 with amd restarting, arm's selftest and rv's no_build:\n%s", code, out)
	}

	_, rec := settled(t, e.client, "amd", "v2")
	if rec.State != state.Committed || rec.Platform != "linux-amd64" || !rec.Delta {
		t.Errorf("amd: %+v, want committed from linux-amd64 as a delta", rec)
	}
	if amd.binarySHA() != fileSHA(t, bins["v2"]) {
		t.Error("amd's binary is not the amd64 v2")
	}

	st := otaStatus(t, e, "arm")
	// Downloaded to 100% and staged (size, sha256 and binary signature
	// checked) in the push output; the arm64 build's sha256 here.
	if st.State != "failed" || st.Platform != "linux-arm64" || st.NewSHA256 != fileSHA(t, bins["v2_linux_arm64"]) ||
		!strings.Contains(st.Reason, "exec format error") {
		t.Errorf("arm: %+v, want the arm64 build, its selftest unable to run here", st)
	}
	if arm.binarySHA() != fileSHA(t, bins["v1arm64"]) {
		t.Error("arm's binary changed")
	}

	st = otaStatus(t, e, "rv")
	if st.State != "failed" || !strings.HasPrefix(st.Reason, "no_build: ") || !strings.Contains(st.Reason, noBuildRiscv) {
		t.Errorf("rv: %s %q, want failed: no_build naming the platforms built", st.State, st.Reason)
	}
	status := fleetctlOK(t, e.mq.url(), "ota", "status", "rv")
	if !strings.Contains(status, "no build for linux/riscv64") {
		t.Errorf("ota status rv lacks the reason:\n%s", status)
	}
}

// TestMultiPlatformRollout rolls a two-platform artifact out to two amd64
// devices and a riscv64 one with no failures allowed: the riscv64 device
// is skipped with its reason, not failed, and the rollout completes.
func TestMultiPlatformRollout(t *testing.T) {
	e := newEnv(t)
	e.startOn("m0", "v1riscv64", "linux/riscv64")
	e.startOn("m1", "v1", "linux/amd64")
	e.startOn("m2", "v1", "linux/amd64")
	e.publishPlatforms()
	out, code := fleetctl(t, e.mq.url(), "ota", "rollout", "--canary", "1", "--waves", "100",
		"--max-failures", "0", "--poll", "500ms", "--selector", "fleet=e2e")
	if code != 0 || !strings.Contains(out, "1 skipped") {
		t.Fatalf("rollout: exit %d, want 0 with one device skipped:\n%s", code, out)
	}
	status := fleetctlOK(t, e.mq.url(), "ota", "rollout", "status")
	if !strings.Contains(status, "done") || !strings.Contains(status, "skipped") || !strings.Contains(status, "no build for linux/riscv64") {
		t.Errorf("rollout status lacks done, or m0 skipped with its reason:\n%s", status)
	}
	for _, id := range []string{"m1", "m2"} {
		settled(t, e.client, id, "v2")
	}
}

// hasLine reports whether a line of out starts with prefix and contains
// each of parts.
func hasLine(out, prefix string, parts ...string) bool {
	for _, l := range strings.Split(out, "\n") {
		ok := strings.HasPrefix(l, prefix)
		for _, p := range parts {
			ok = ok && strings.Contains(l, p)
		}
		if ok {
			return true
		}
	}
	return false
}
