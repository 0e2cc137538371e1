#!/usr/bin/env bash
# Builds (once) the Debian 12 disk image an end-to-end test boots, and prints the cache directory holding it.
#
#   Tests/vm/build-image.sh gateway|router
#
# gateway: a fresh droplet (minbase + kernel, ssh, networkd DHCP) that `gwsetup apply` must turn into a gateway.
# router:  the same plus what a community mesh router needs to join a gateway (fastd, wg, batctl, dhclient, dig,
#          chronyd -Q, curl, iperf3 for the throughput figures), booted behind qemu's user-mode NAT.
#
# The cache directory is $GWSETUP_VM_CACHE (default /var/cache/gwsetup-vm)/<kind>-<recipe hash>/ with disk.img,
# vmlinuz, initrd and id_ed25519{,.pub} (the test key, in root's authorized_keys). The hash covers this script,
# the kind and the host's apt sources, so changing the recipe builds a new image. A lock per kind makes
# concurrent callers wait for one build; the image appears by rename only when complete.
set -euo pipefail

die() { echo "build-image.sh: $*" >&2; exit 1; }

kind=${1:-}
case "$kind" in
  gateway) extra=() ;;
  router)  extra=(fastd batctl isc-dhcp-client dnsutils chrony curl iputils-ping ndisc6 wireguard-tools iperf3) ;;
  *) die "usage: build-image.sh gateway|router" ;;
esac
[ "$(id -u)" = 0 ] || die "run as root (debootstrap, chroot)"
for tool in debootstrap mkfs.ext4 ssh-keygen flock sha256sum; do
  command -v "$tool" >/dev/null || die "$tool is missing; run Tests/setup.sh as root"
done

base=(systemd-sysv openssh-server linux-image-amd64 iproute2 ifupdown udev kmod ca-certificates netcat-openbsd)
packages=$(IFS=,; echo "${base[*]}${extra[*]:+,${extra[*]}}")

# The host's apt sources (deb822 or one-line) and its acquire settings: the VM uses the mirror the host uses.
host_sources() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do [ -f "$f" ] && { cat "$f"; echo; }; done
}
host_list() { grep -hs '^[[:space:]]*deb[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list || true; }
mirror=$(host_sources | awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }')
[ -n "$mirror" ] || mirror=$(host_list | awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^https?:/ && $i !~ /security/) { print $i; exit } }')
[ -n "$mirror" ] || die "no Debian mirror in the host's apt sources (/etc/apt/sources.list.d/*.sources or sources.list)"
acquire=$(grep -hs '^[[:space:]]*Acquire::Check-\(Valid-Until\|Date\)' /etc/apt/apt.conf /etc/apt/apt.conf.d/* || true)

cache=${GWSETUP_VM_CACHE:-/var/cache/gwsetup-vm}
hash=$( { cat "$0"; echo "$kind"; host_sources; host_list; echo "$acquire"; } | sha256sum | cut -c1-12)
final="$cache/$kind-$hash"
mkdir -p "$cache"

exec 9>"$cache/$kind.lock"
flock 9
if [ -f "$final/complete" ]; then touch "$final"; echo "$final"; exit 0; fi

work=$(mktemp -d "$cache/.building-$kind-XXXXXX")
trap 'rm -rf "$work"' EXIT
root="$work/root"
started=$(date +%s)

echo "build-image.sh: debootstrap $kind from $mirror" >&2
debootstrap --variant=minbase --include="$packages" bookworm "$root" "$mirror" > "$work/debootstrap.log" 2>&1 \
  || { tail -n 30 "$work/debootstrap.log" >&2; die "debootstrap failed (log above)"; }
bootstrapped=$(date +%s)

# apt inside the VM: the host's own sources and acquire settings, so `apt-get update` works as it does here.
rm -f "$root/etc/apt/sources.list"
for f in /etc/apt/sources.list.d/*.sources; do [ -f "$f" ] && cp "$f" "$root/etc/apt/sources.list.d/"; done
list=$(host_list); [ -z "$list" ] || echo "$list" > "$root/etc/apt/sources.list"
[ -z "$acquire" ] || echo "$acquire" > "$root/etc/apt/apt.conf.d/99gwsetup-vm-mirror"

# A cloud provider's Debian 12 image is rebuilt with each point release and ships python3 (cloud-init needs it):
# bring the image to the mirror's current packages and add python3 now, at native speed, rather than under
# emulation in every test's first apply.
mount -t proc proc "$root/proc"
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d" && chmod 755 "$root/usr/sbin/policy-rc.d"
{ chroot "$root" apt-get -q update \
    && DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get -y -q -o Dpkg::Options::=--force-confold dist-upgrade \
    && DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get -y -q --no-install-recommends install python3; } > "$work/upgrade.log" 2>&1 \
  || { umount "$root/proc"; tail -n 30 "$work/upgrade.log" >&2; die "upgrading the image failed (log above)"; }
rm -f "$root/usr/sbin/policy-rc.d"
umount "$root/proc"

echo "gwsetup-$kind" > "$root/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 gwsetup-%s\n::1 localhost ip6-localhost ip6-loopback\n' "$kind" > "$root/etc/hosts"
echo "/dev/vda / ext4 defaults 0 1" > "$root/etc/fstab"
# qemu's user-mode network answers DNS at 10.0.2.3; minbase has no resolved to take it from DHCP.
rm -f "$root/etc/resolv.conf"
echo "nameserver 10.0.2.3" > "$root/etc/resolv.conf"
mkdir -p "$root/etc/systemd/network"
printf '[Match]\nName=en* eth*\n\n[Network]\nDHCP=yes\n' > "$root/etc/systemd/network/20-wired.network"

chroot "$root" systemctl enable systemd-networkd ssh >/dev/null 2>&1
# Nothing in the VM may start talking to the outside or take the apt lock on its own: a test decides.
chroot "$root" systemctl mask apt-daily.timer apt-daily-upgrade.timer >/dev/null 2>&1
if [ "$kind" = router ]; then chroot "$root" systemctl disable chrony >/dev/null 2>&1; fi

# A small initramfs (only what qemu's virtio disk needs) unpacks in a fraction of the time under emulation.
sed -i 's/^MODULES=.*/MODULES=list/' "$root/etc/initramfs-tools/initramfs.conf"
printf 'virtio_pci\nvirtio_blk\nvirtio_net\next4\n' >> "$root/etc/initramfs-tools/modules"
mount -t proc proc "$root/proc"
chroot "$root" update-initramfs -u -k all > "$work/initramfs.log" 2>&1 || { umount "$root/proc"; cat "$work/initramfs.log" >&2; die "update-initramfs failed"; }
umount "$root/proc"

ssh-keygen -q -t ed25519 -N '' -C "gwsetup-vm-test" -f "$work/id_ed25519"
install -d -m 700 "$root/root/.ssh"
install -m 600 "$work/id_ed25519.pub" "$root/root/.ssh/authorized_keys"

cp "$(ls "$root"/boot/vmlinuz-* | sort -V | tail -n1)" "$work/vmlinuz"
cp "$(ls "$root"/boot/initrd.img-* | sort -V | tail -n1)" "$work/initrd"
cp "$root/etc/ssh/ssh_host_ed25519_key.pub" "$work/"
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/tmp/*

mkfs.ext4 -q -F -d "$root" -L root "$work/disk.img" 2G > "$work/mkfs.log" 2>&1 || { cat "$work/mkfs.log" >&2; die "mkfs.ext4 failed"; }
rm -rf "$root"
finished=$(date +%s)
printf 'kind=%s\nmirror=%s\ndebootstrap_seconds=%s\ntotal_seconds=%s\n' \
  "$kind" "$mirror" $((bootstrapped - started)) $((finished - started)) > "$work/build-info"
touch "$work/complete"
rm -rf "$final"
chmod 755 "$work"
mv "$work" "$final"
trap - EXIT
# Other recipes of this kind (0.7 GB each) go once unused for a week; another branch may still use a newer one.
find "$cache" -mindepth 1 -maxdepth 1 -type d -name "$kind-*" ! -path "$final" -mtime +7 -exec rm -rf {} +
echo "build-image.sh: built $final in $((finished - started)) s (debootstrap $((bootstrapped - started)) s)" >&2
echo "$final"
