# The exit server, played by a third VM (an overlay of the converged image, so its iptables and python3 are there):
# WireGuard on udp/51820 for the gateway's key, and behind it "the internet", a namespace whose HTTP server logs the
# source address of every request. The exit masquerades the gateway's tunnel out to it, as a VPN provider does.
# Arguments: EXIT_PRIVATE_KEY GATEWAY_PUBLIC_KEY (checked base64, no shell metacharacters).
set -eu
umask 027
cat > /etc/systemd/network/50-wg0.netdev <<NETDEV
[NetDev]
Name=wg0
Kind=wireguard

[WireGuard]
PrivateKey=$1
ListenPort=51820

[WireGuardPeer]
PublicKey=$2
AllowedIPs=10.200.0.2/32
NETDEV
printf '[Match]\nName=wg0\n\n[Network]\nAddress=10.200.0.1/24\n' > /etc/systemd/network/50-wg0.network
chgrp systemd-network /etc/systemd/network/50-wg0.netdev /etc/systemd/network/50-wg0.network
networkctl reload
ip link add inet0 type veth peer name inet1
ip netns add internet
ip link set inet1 netns internet
ip addr add 198.51.100.1/24 dev inet0
ip link set inet0 up
ip netns exec internet sh -c 'ip link set lo up; ip addr add 198.51.100.80/24 dev inet1; ip link set inet1 up; ip route add default via 198.51.100.1'
iptables -I INPUT 1 -p udp --dport 51820 -j ACCEPT
iptables -I FORWARD 1 -i wg0 -o inet0 -j ACCEPT
iptables -t nat -A POSTROUTING -s 10.200.0.0/24 -o inet0 -j MASQUERADE
mkdir -p /srv/internet
echo "a page on the internet" > /srv/internet/index.html
systemd-run --unit=internet-http --property=StandardError=file:/run/internet-http.log \
    ip netns exec internet python3 -m http.server --bind 198.51.100.80 --directory /srv/internet 8080
