#!/bin/sh
# Builds the release binaries reproducibly: agent and fleetctl for every
# platform in PLATFORMS into DIST, then DIST/SHA256SUMS, signed with minisign
# when MINISIGN_KEY names a secret key. Called by `make dist`, which passes
# VERSION, COMMIT, BUILD and SOURCE_DATE_EPOCH from git, then the .deb
# packages (scripts/deb.sh; DEBS=0 skips them); two runs on the same
# commit give byte-identical files (see docs/packaging.md).
set -eu
: "${GO:=go}" "${DIST:=dist}" "${VERSION:?}" "${COMMIT:?}" "${BUILD:?}"
: "${PLATFORMS:=linux/amd64 linux/arm64 linux/arm}"
: "${SOURCE_DATE_EPOCH:?}" "${MINISIGN_KEY:=}"
export SOURCE_DATE_EPOCH CGO_ENABLED=0 GOARM=7
pkg=github.com/drover-iot/drover/internal/version
ldflags="-s -w -buildid= -X $pkg.Version=$VERSION -X $pkg.Commit=$COMMIT -X $pkg.Build=$BUILD"
mkdir -p "$DIST"
for p in $PLATFORMS; do
	os=${p%/*} arch=${p#*/}
	for cmd in agent fleetctl; do
		echo "dist: $cmd $os/$arch"
		GOOS=$os GOARCH=$arch "$GO" build -trimpath -buildvcs=false \
			-ldflags "$ldflags" -o "$DIST/${cmd}_${os}_${arch}" "./cmd/$cmd"
	done
done
if [ "${DEBS:-1}" = 1 ]; then
	"$(dirname "$0")/deb.sh"
fi
(cd "$DIST" && rm -f SHA256SUMS SHA256SUMS.minisig &&
	sha256sum -- $(ls | LC_ALL=C sort) >SHA256SUMS)
if [ -n "$MINISIGN_KEY" ]; then
	# -t: the trusted comment carries the version, not the signing time.
	minisign -S -s "$MINISIGN_KEY" -m "$DIST/SHA256SUMS" -t "drover $VERSION ($COMMIT)" </dev/null
fi
