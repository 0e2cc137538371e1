#!/usr/bin/env bash
# First apply on a fresh Debian 12 VM against its floor: a bare apt-get install of the same packages on another
# fresh VM, both booted from the same cached image and run at the same time, so both see the same machine load.
#
#   Tests/bench/apply-first.sh [GWSETUP_BINARY]     (default .build/debug/gwsetup)
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${1:-.build/debug/gwsetup}
site=Tests/EndToEndTests/Fixtures/vm-site.yaml
dir=$(Tests/vm/build-image.sh gateway)
work=$(mktemp -d /tmp/gwsetup-bench.XXXXXX)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
packages=$("$B" plan --offline --json --site "$site" | python3 -c 'import json,sys; print(" ".join(c["resource"] for c in json.load(sys.stdin)["plans"][0]["changes"] if c["kind"] == "package"))')
boot() {  # name port
  Tests/vm/boot-vm.sh gateway "$2" </dev/null >"$work/$1.console" 2>&1 &
  pids+=($!)
  cat > "$work/$1.ssh_config" <<CONF
Host gwvm
  HostName 127.0.0.1
  Port $2
  User root
  IdentityFile $dir/id_ed25519
  IdentitiesOnly yes
  IdentityAgent none
  StrictHostKeyChecking no
  UserKnownHostsFile /dev/null
  LogLevel ERROR
CONF
}
wait_ssh() { for _ in $(seq 300); do ssh -F "$work/$1.ssh_config" -o ConnectTimeout=5 gwvm true 2>/dev/null && return; sleep 1; done; echo "$1 never answered" >&2; exit 1; }
boot floor 2422; boot apply 2423
wait_ssh floor; wait_ssh apply
ssh -F "$work/floor.ssh_config" gwvm "systemctl is-system-running --wait >/dev/null 2>&1; true"
ssh -F "$work/apply.ssh_config" gwvm "systemctl is-system-running --wait >/dev/null 2>&1; true"
# The floor follows gwsetup's own rule: update the lists only when none is younger than a day.
floor_cmd="export DEBIAN_FRONTEND=noninteractive; [ -n \"\$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mmin -1440)\" ] || apt-get -q update >/dev/null; apt-get install -y -q $packages >/dev/null"
( start=$(date +%s.%N); ssh -F "$work/floor.ssh_config" gwvm "$floor_cmd"; echo "floor $(echo "$(date +%s.%N) - $start" | bc) s" ) > "$work/floor.out" 2>&1 &
floor_pid=$!
start=$(date +%s.%N)
if ! "$B" apply --yes --site "$site" --ssh-config "$work/apply.ssh_config" --insecure-skip-host-key-check > "$work/apply.out" 2>&1; then
  echo "gwsetup apply failed:" >&2; cat "$work/apply.out" >&2; exit 1
fi
echo "gwsetup apply $(echo "$(date +%s.%N) - $start" | bc) s"
wait "$floor_pid"; cat "$work/floor.out"
grep -E "packages|Apply complete|ssh:" "$work/apply.out"
# Where the rest goes: seconds per kind of step, then the ten slowest steps, as gwsetup printed them.
awk '$1 == "ok" { t = $NF; sub("s$", "", t); kind[$2] += t } END { for (k in kind) printf "  %-16s %6.1f s\n", k, kind[k] }' "$work/apply.out" | sort -k2 -rn
awk '$1 == "ok" { t = $NF; sub("s$", "", t); print t "\t" $0 }' "$work/apply.out" | sort -rn | head -n 10 | cut -f2
[ -z "${KEEP_APPLY_OUTPUT:-}" ] || cp "$work/apply.out" "$KEEP_APPLY_OUTPUT"
