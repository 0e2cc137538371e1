#!/usr/bin/env bash
# Proves a built package the way an admin meets it: lintian, then `apt-get install ./gwsetup_*.deb` into a fresh
# Debian 12 root made by debootstrap (no repository, no Swift inside; apt reaches Debian's mirror), where the example plan, a man page and the
# bash completion must work. Off CI (a package build does not fit its budget); TESTING.md records a run.
#
#   packaging/test-deb.sh DEB [ROOT]
#
# ROOT is a folder for the Debian root (default: a new one under /var/tmp, removed at the end); one that already
# holds a debootstrapped bookworm is reused, so a rerun needs no download. Needs root, debootstrap and lintian.
# Prints one line per check and exits 1 at the first that fails.
set -euo pipefail
deb=${1:?usage: packaging/test-deb.sh DEB [ROOT]}
[ -f "$deb" ] || { echo "test-deb.sh: no such package: $deb" >&2; exit 1; }
deb=$(realpath "$deb")
root=${2:-}
if [ -z "$root" ]; then
  root=$(mktemp -d /var/tmp/gwsetup-deb-root.XXXXXX)
  trap 'umount "$root/proc" 2>/dev/null || true; rm -rf "$root"' EXIT
else
  trap 'umount "$root/proc" 2>/dev/null || true' EXIT
fi
check() { printf 'test-deb.sh: %-58s ' "$1"; }
pass() { echo "ok${1:+ ($1)}"; }
fail() { echo "FAILED"; printf '%s\n' "$@" >&2; exit 1; }

check "lintian --fail-on error,warning"
if lintian_output=$(lintian --fail-on error,warning --display-info "$deb" 2>&1); then
  pass "$(printf '%s' "$lintian_output" | grep -c . || true) tags"
  [ -z "$lintian_output" ] || printf '%s\n' "$lintian_output" | sed 's/^/    /'
else
  fail "$lintian_output"
fi

check "a fresh Debian 12 root (debootstrap minbase)"
if [ ! -x "$root/usr/bin/apt-get" ]; then
  debootstrap --variant=minbase --include=man-db,bash-completion bookworm "$root" http://deb.debian.org/debian \
    >"$root.debootstrap.log" 2>&1 || fail "$(tail -20 "$root.debootstrap.log")"
  rm -f "$root.debootstrap.log"
fi
[ -x "$root/usr/bin/man" ] || fail "the root has no man (debootstrap it with --include=man-db,bash-completion)"
pass "$(chroot "$root" cat /etc/debian_version)"
mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"

in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }

check "apt-get install ./$(basename "$deb") (with its Recommends)"
cp "$deb" "$root/tmp/"
in_root apt-get purge -y -qq gwsetup >/dev/null 2>&1 || true
# The package's own dependencies are in every Debian; apt fetches its Recommends (openssh-client) as on an admin's machine.
output=$(in_root apt-get update -qq 2>&1) || fail "apt-get update in the root:" "$output"
output=$(in_root apt-get install -y ./tmp/"$(basename "$deb")" 2>&1) || fail "$output"
pass "$(printf '%s' "$output" | grep -c '^Setting up') packages set up"

check "gwsetup --version prints the package version"
package_version=$(dpkg-deb --field "$deb" Version)
printed=$(in_root gwsetup --version) || fail "$printed"
[ "$printed" = "$package_version" ] || fail "gwsetup --version printed '$printed', the package is $package_version"
pass "$printed"

check "no Swift runtime loaded from outside the binary"
libraries=$(in_root ldd /usr/bin/gwsetup) || fail "$libraries"
! printf '%s' "$libraries" | grep -q 'libswift\|libFoundation\|libdispatch\|not found' || fail "$libraries"
pass

check "plan --offline on the packaged example, outside any checkout"
plan=$(cd / && in_root sh -c 'cd /root && gwsetup plan --offline --site /usr/share/doc/gwsetup/examples/single-gateway.yaml' 2>&1) \
  || fail "$plan"
printf '%s' "$plan" | grep -q '^Plan: [0-9]* to add' || fail "no 'Plan:' line in:" "$plan"
pass "$(printf '%s' "$plan" | grep '^Plan:')"

check "render finds the packaged templates without GWSETUP_TEMPLATES"
rendered=$(in_root sh -c 'cd /root && rm -rf out && gwsetup render --site /usr/share/doc/gwsetup/examples/single-gateway.yaml --output out' 2>&1) \
  || fail "$rendered"
in_root test -s /root/out/etc/gwsetup/firewall/rules.v4 || fail "render wrote no rules.v4: $rendered"
pass "$rendered"

check "man gwsetup.plan"
page=$(in_root sh -c 'MANPAGER=cat MANWIDTH=100 man gwsetup.plan' 2>&1) || fail "$page"
printf '%s' "$page" | grep -q -- '--offline' || fail "the page does not document --offline:" "$page"
pass "$(printf '%s' "$page" | grep -c .) lines"

check "bash completes the subcommands"
words=$(in_root bash -c 'source /usr/share/bash-completion/bash_completion; source /usr/share/bash-completion/completions/gwsetup
  COMP_WORDS=(gwsetup p); COMP_CWORD=1; COMP_LINE="gwsetup p"; COMP_POINT=${#COMP_LINE}; _gwsetup gwsetup p gwsetup; echo "${COMPREPLY[*]}"' 2>&1) \
  || fail "$words"
[[ " $words " == *" plan "* ]] || fail "completing 'gwsetup p' gave '$words'"
pass "gwsetup p → $words"

check "apt-get purge leaves nothing of the package behind"
in_root apt-get purge -y -qq gwsetup >/dev/null 2>&1 || fail "purge failed"
for path in /usr/bin/gwsetup /usr/share/gwsetup /usr/share/doc/gwsetup /usr/share/man/man1/gwsetup.plan.1.gz; do
  in_root test ! -e "$path" || fail "$path is still there after the purge"
done
pass
echo "test-deb.sh: all checks passed for $(basename "$deb")"
