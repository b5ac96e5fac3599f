#!/bin/sh
# Builds drover-agent and drover-fleetctl .deb packages for every platform in
# PLATFORMS from the binaries `scripts/dist.sh` left in DIST, with Debian's
# dpkg-deb. Files get SOURCE_DATE_EPOCH as their time and root as their owner,
# so the packages are as reproducible as the binaries (docs/packaging.md).
set -eu
: "${GO:=go}" "${DIST:=dist}" "${VERSION:?}" "${SOURCE_DATE_EPOCH:?}"
: "${PLATFORMS:=linux/amd64 linux/arm64 linux/arm}"
export SOURCE_DATE_EPOCH
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Debian versions start with a digit and end in a Debian revision (-1):
# v0.3.0-4-gabc -> 0.3.0-4-gabc-1; a bare commit (no tag yet) -> 0~gabc-1.
debver=$(echo "$VERSION" | sed -e 's/^v//' -e 's/^\([^0-9]\)/0~g\1/' -e 's/-dirty$/+dirty/')-1

debarch() {
	case $1 in amd64 | arm64) echo "$1" ;; arm) echo armhf ;; *) echo "deb: no Debian arch for $1" >&2; return 1 ;; esac
}

# doc NAME ROOT: the copyright file and a changelog, which lintian requires,
# and lintian overrides (each with its reason).
doc() {
	d=$2/usr/share/doc/$1
	install -d "$d"
	install -m 0644 "$here/packaging/copyright" "$d/copyright"
	install -d "$2/usr/share/lintian/overrides"
	install -m 0644 "$here/packaging/$1.lintian-overrides" "$2/usr/share/lintian/overrides/$1"
	printf '%s (%s) unstable; urgency=medium\n\n  * Release %s.\n\n -- Drover maintainers <drover@example.org>  %s\n' \
		"$1" "$debver" "$VERSION" "$(date -u -R -d "@$SOURCE_DATE_EPOCH")" |
		gzip -9n >"$d/changelog.Debian.gz"
}

# control NAME ARCH ROOT DEPENDS SECTION DESCRIPTION...
control() {
	name=$1 arch=$2 root=$3 deps=$4 section=$5
	shift 5
	install -d "$root/DEBIAN"
	(cd "$root" && find . -path ./DEBIAN -prune -o -type f -print | sed 's|^\./||' | LC_ALL=C sort |
		xargs -r md5sum >DEBIAN/md5sums)
	size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
	{
		echo "Package: $name"
		echo "Version: $debver"
		echo "Architecture: $arch"
		echo "Maintainer: Drover maintainers <drover@example.org>"
		echo "Installed-Size: $size"
		[ -n "$deps" ] && echo "Depends: $deps"
		echo "Section: $section"
		echo "Priority: optional"
		echo "Homepage: https://github.com/drover-iot/drover"
		printf 'Description: %s\n' "$1"
		shift
		for l in "$@"; do printf ' %s\n' "$l"; done
	} >"$root/DEBIAN/control"
}

build() {
	find "$1" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
	dpkg-deb --root-owner-group -Zxz --build "$1" "$2" >/dev/null
	echo "deb: $2"
}

agent() {
	goarch=$1 arch=$2 r=$work/agent-$2
	install -d "$r/usr/lib/drover" "$r/usr/bin" "$r/etc/drover" "$r/lib/systemd/system" "$r/usr/share/man/man8"
	install -m 0755 "$DIST/agent_linux_$goarch" "$r/usr/lib/drover/drover-agent"
	ln -s ../lib/drover/drover-agent "$r/usr/bin/drover-agent"
	install -m 0644 "$here/packaging/agent.yaml" "$r/etc/drover/agent.yaml"
	install -m 0644 "$here/packaging/drover-agent.service" "$r/lib/systemd/system/"
	gzip -9n <"$here/packaging/drover-agent.8" >"$r/usr/share/man/man8/drover-agent.8.gz"
	doc drover-agent "$r"
	control drover-agent "$arch" "$r" "adduser" admin \
		"Drover fleet agent: tasks, services, schedules, sensors and OTA over MQTT" \
		"The agent of a Drover fleet runs on each device: it supervises tasks and" \
		"services, runs schedules, samples sensors and installs signed OTA updates," \
		"steered by the operator's fleetctl through an MQTT broker."
	echo /etc/drover/agent.yaml >"$r/DEBIAN/conffiles"
	install -m 0755 "$here/packaging/postinst" "$here/packaging/prerm" "$here/packaging/postrm" "$r/DEBIAN/"
	build "$r" "$DIST/drover-agent_${debver}_$arch.deb"
}

fleetctl() {
	goarch=$1 arch=$2 r=$work/fleetctl-$2 gen=$work/gen
	[ -d "$gen" ] || (cd "$here" && CGO_ENABLED=0 "$GO" run ./internal/tools/mangen "$gen")
	install -d "$r/usr/bin" "$r/usr/share/man/man1" "$r/usr/share/bash-completion/completions" \
		"$r/usr/share/zsh/vendor-completions" "$r/usr/share/fish/vendor_completions.d"
	install -m 0755 "$DIST/fleetctl_linux_$goarch" "$r/usr/bin/fleetctl"
	for p in "$gen"/man/*.1; do gzip -9n <"$p" >"$r/usr/share/man/man1/$(basename "$p").gz"; done
	install -m 0644 "$gen/completions/fleetctl.bash" "$r/usr/share/bash-completion/completions/fleetctl"
	install -m 0644 "$gen/completions/_fleetctl" "$r/usr/share/zsh/vendor-completions/_fleetctl"
	install -m 0644 "$gen/completions/fleetctl.fish" "$r/usr/share/fish/vendor_completions.d/fleetctl.fish"
	doc drover-fleetctl "$r"
	control drover-fleetctl "$arch" "$r" "" admin \
		"operator CLI of a Drover fleet" \
		"fleetctl lists, inspects and steers the devices of a Drover fleet through" \
		"an MQTT broker: commands, logs, schedules, metrics exporter, signed OTA" \
		"publishing and staged rollouts."
	build "$r" "$DIST/drover-fleetctl_${debver}_$arch.deb"
}

for p in $PLATFORMS; do
	goarch=${p#*/}
	arch=$(debarch "$goarch")
	agent "$goarch" "$arch"
	fleetctl "$goarch" "$arch"
done
