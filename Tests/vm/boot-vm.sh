#!/usr/bin/env bash
# Boots a cached test image by hand, console on this terminal (quit: Ctrl-A X); changes vanish on exit (-snapshot).
#
#   Tests/vm/boot-vm.sh gateway|router [SSH_PORT] [hostfwd=udp:127.0.0.1:10000-:10000 ...]
#
# Then, from another terminal, the line it prints: ssh -i CACHE/id_ed25519 -p SSH_PORT root@127.0.0.1
set -euo pipefail
kind=${1:?usage: boot-vm.sh gateway|router [SSH_PORT] [hostfwd=...]}
port=${2:-2222}
shift $(( $# >= 2 ? 2 : 1 ))
dir=$("$(dirname "$0")/build-image.sh" "$kind")
forwards=$(IFS=,; echo "hostfwd=tcp:127.0.0.1:$port-:22${*:+,$*}")
echo "ssh -i $dir/id_ed25519 -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -p $port root@127.0.0.1" >&2
exec qemu-system-x86_64 -name "$kind" -accel tcg -cpu qemu64 -m 1024 -smp 1 -nographic \
  -kernel "$dir/vmlinuz" -initrd "$dir/initrd" -append "root=/dev/vda rw console=ttyS0 net.ifnames=0" \
  -drive "file=$dir/disk.img,format=raw,if=virtio" -snapshot \
  -netdev "user,id=n0,$forwards" -device virtio-net-pci,netdev=n0 -device virtio-rng-pci
