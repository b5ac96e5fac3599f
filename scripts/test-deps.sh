#!/bin/sh
# Installs what the test suite needs on a fresh Debian machine, when missing:
# Mosquitto and its clients, Prometheus (with promtool), minisign, node_exporter
# tmux (the pseudo-terminal of the fleetctl top test), lintian and systemd-analyze
# (the package tests in test/dist), nats-server (the NATS JetStream cluster test).
set -eu
need=""
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || need="$need mosquitto"
command -v mosquitto_pub >/dev/null 2>&1 || need="$need mosquitto-clients"
command -v prometheus >/dev/null 2>&1 || need="$need prometheus"
command -v minisign >/dev/null 2>&1 || need="$need minisign"
[ -x /usr/bin/prometheus-node-exporter ] || need="$need prometheus-node-exporter"
command -v docker-compose >/dev/null 2>&1 || need="$need docker-compose"
command -v tmux >/dev/null 2>&1 || need="$need tmux"
command -v nats-server >/dev/null 2>&1 || need="$need nats-server"
command -v lintian >/dev/null 2>&1 || need="$need lintian"
command -v systemd-analyze >/dev/null 2>&1 || need="$need systemd"
[ -z "$need" ] && exit 0
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "test-deps: installing$need"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# Services are started by the tests themselves, never by the package.
printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
$SUDO chmod +x /usr/sbin/policy-rc.d
$SUDO apt-get install -y -qq --no-install-recommends $need
$SUDO rm -f /usr/sbin/policy-rc.d
