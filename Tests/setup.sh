#!/usr/bin/env bash
# Installs what gwsetup needs on a fresh Debian 12 machine, in two parts kept apart:
#   Tests/setup.sh              what a user needs to build and run gwsetup, then what its tests need
#   Tests/setup.sh --user-only  only what a user needs to build and run gwsetup from a clone
# (an installed .deb needs neither: apt brings its dependencies). Daemons are installed only for their config
# validators; policy-rc.d keeps them from starting.
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "Tests/setup.sh: run as root (apt-get)" >&2; exit 1; }
user_only=false
case "${1:-}" in
  "") ;;
  --user-only) user_only=true ;;
  *) echo "usage: Tests/setup.sh [--user-only]" >&2; exit 1 ;;
esac
# What a user needs: the build (swift build/run) and the SSH transport plan and apply use.
user_packages=(
  pkg-config libsystemd-dev                       # CSystemd (journald)
  openssh-client                                  # ssh transport
  zlib1g-dev                                      # CZlib: the agent's raw deflate for respondd
)
# What only the tests, benchmarks and packaging need.
test_packages=(
  dnsmasq unbound chrony radvd fastd fail2ban     # config validators
  openssh-server                                  # sshd -t, the loopback SSH server of the transport tests
  iptables iproute2 systemd sudo                  # iptables-restore --test, netns, systemd-analyze, visudo
  iputils-ping                                    # firewall kernel differential test (ICMP probe)
  tinc                                            # the backbone's tincd run in two namespaces, and its key generation
  lua5.1                                          # gluon export reads back in the Lua that Gluon runs
  qemu-system-x86 qemu-utils debootstrap e2fsprogs # end-to-end VM tests
  nsd                                             # the authoritative zone a VM client's recursion reaches
  hyperfine time                                  # BENCHMARKS.md (whole-process times, peak RSS)
  iperf3                                          # BENCHMARKS.md: the host end of the mesh throughput benchmark
  python3-jsonschema                              # JSON outputs checked against schemas/*.json
  prometheus prometheus-node-exporter             # promtool checks and a real scrape of the agent's metrics
  vnstat                                          # systemd-analyze verify of the vnstat drop-in over the packaged unit
  batctl                                          # the JSON queries the agent asks batctl are ones it knows
  dpkg-dev lintian man-db                         # packaging/build-deb.sh (dpkg-shlibdeps) and its lintian check
)
packages=("${user_packages[@]}")
$user_only || packages+=("${test_packages[@]}")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
$user_only && exit 0
# A non-root login for the SSH transport's `sudo -n` tests: password '*' (no password, yet not locked, so sshd
# accepts a key with UsePAM no) and no sudo rights.
id gwsetup-test >/dev/null 2>&1 || useradd --system --shell /bin/sh --home-dir / --no-create-home gwsetup-test
usermod -p '*' gwsetup-test
