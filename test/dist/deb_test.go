package dist

import (
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestDebInstall installs the amd64 packages with the real dpkg on this
// machine, checks what they set up, and purges them (also when it fails).
// It needs root: skipped otherwise (CI runs as root).
func TestDebInstall(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("dpkg -i needs root")
	}
	need(t, "dpkg", "systemd-analyze")
	dir := firstDist(t)
	debs := globDebs(t, dir, "amd64")
	if out, err := exec.Command("dpkg-query", "-W", "drover-agent").CombinedOutput(); err == nil {
		t.Fatalf("drover-agent is already installed on this machine, refusing to touch it: %s", out)
	}
	t.Cleanup(func() { purge(t) })
	run(t, "dpkg", append([]string{"-i"}, debs...)...)

	run(t, "drover-agent", "check-config", "/etc/drover/agent.yaml")
	run(t, "systemd-analyze", "verify", "/lib/systemd/system/drover-agent.service")
	conf := run(t, "dpkg-query", "-W", "-f=${Conffiles}", "drover-agent")
	if !strings.Contains(conf, "/etc/drover/agent.yaml") {
		t.Errorf("agent.yaml is not a conffile: %q", conf)
	}
	checkOwner(t, "/var/lib/drover", "drover")
	checkOwner(t, "/usr/lib/drover/drover-agent", "drover")
	// OTA writes its candidate next to the binary, as the agent's user.
	run(t, "runuser", "-u", "drover", "--", "touch", "/usr/lib/drover/.drover-agent.new")
	if _, err := os.Lstat("/etc/systemd/system/multi-user.target.wants/drover-agent.service"); err != nil {
		t.Errorf("postinst did not enable the unit: %v", err)
	}
	if out := run(t, "fleetctl", "--help"); !strings.Contains(out, "ota") {
		t.Errorf("fleetctl --help: %s", out)
	}
	for _, f := range []string{"/usr/share/man/man1/fleetctl.1.gz", "/usr/share/man/man1/fleetctl-ota-publish.1.gz",
		"/usr/share/man/man8/drover-agent.8.gz", "/usr/share/bash-completion/completions/fleetctl"} {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("not installed: %v", err)
		}
	}

	purge(t)
	for _, gone := range []string{"/var/lib/drover", "/usr/lib/drover", "/etc/drover/agent.yaml",
		"/usr/bin/drover-agent", "/etc/systemd/system/multi-user.target.wants/drover-agent.service"} {
		if _, err := os.Lstat(gone); err == nil {
			t.Errorf("%s is left after purge", gone)
		}
	}
}

// TestLintian runs lintian on the packages: no errors or warnings, those it
// reports wrongly being overridden in packaging/*.lintian-overrides with why.
func TestLintian(t *testing.T) {
	need(t, "lintian")
	dir := firstDist(t)
	debs := append(globDebs(t, dir, "amd64"), globDebs(t, dir, "armhf")...)
	out, _ := exec.Command("lintian", append([]string{"--fail-on", "none"}, debs...)...).CombinedOutput()
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "E: ") || strings.HasPrefix(line, "W: ") {
			t.Errorf("lintian: %s", line)
		}
	}
}

func globDebs(t testing.TB, dir, arch string) []string {
	t.Helper()
	debs, _ := filepath.Glob(filepath.Join(dir, "drover-*_"+arch+".deb"))
	if len(debs) != 2 {
		t.Fatalf("want the agent and fleetctl packages for %s in %s, got %v", arch, dir, debs)
	}
	return debs
}

// purge removes both packages; a package that is not installed is no error.
func purge(t testing.TB) {
	t.Helper()
	if b, err := exec.Command("dpkg", "--purge", "drover-agent", "drover-fleetctl").CombinedOutput(); err != nil {
		t.Errorf("dpkg --purge: %v\n%s", err, b)
	}
}

func checkOwner(t testing.TB, path, want string) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Errorf("%v", err)
		return
	}
	u, err := user.LookupId(strconv.FormatUint(uint64(fi.Sys().(*syscall.Stat_t).Uid), 10))
	if err != nil || u.Username != want {
		t.Errorf("%s is owned by %v (%v), want %s", path, u, err, want)
	}
}
