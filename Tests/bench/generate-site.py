#!/usr/bin/env python3
"""Writes a valid community site with N gateways and M domains, for benchmarks of whole commands.
Up to 250 gateways each domain is a /16; beyond, a /12 (at most 16 domains), so 10,000 gateways fit."""
import sys

gateways, domains = int(sys.argv[1]), int(sys.argv[2])
key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAI0BlFU3w5C9pSxuIZ1Sn1HoBGE8XCJS1re3CBLw8qO alice@laptop"
out = ["site: {code: ffbench, name: Freifunk Bench, dns_domain: bench.example}", "domains:"]
large = gateways > 250
for d in range(domains):
    out += [f"  - code: dom{d}",
            f"    prefix4: 10.{16 * d}.0.0/12" if large else f"    prefix4: 10.{100 + d}.0.0/16",
            f"    prefix6: fd00:bench:{d:x}::/64".replace("bench", "beec"),
            f"    fastd: {{port: {10000 + d}, methods: [salsa2012+umac, 'null']}}",
            f"    dhcp: {{lease_time: 300}}"]
out += ["services: {monitoring: {respondd: true, alfred: true}}",
        "access:", "  admins:", "    - {name: alice, keys: [\"%s\"]}" % key, "gateways:"]
slots = max(8, 1 << (gateways - 1).bit_length())



def dotted(value):
    return ".".join(str(value >> shift & 255) for shift in (24, 16, 8, 0))


for g in range(gateways):
    out += [f"  - name: gw{g + 1}", f"    ssh: root@gw{g + 1}.bench.example", "    uplink: eth0", "    addresses:"]
    for d in range(domains):
        if large:
            # Gateways from .1.0 up, then a 64-address DHCP block each from the second /16 on.
            base = (10 << 24) | (16 * d << 16)
            first = base + 65536 + g * 64
            out.append(f"      dom{d}: {{ipv4: {dotted(base + 256 + g)}, ipv6: 'fd00:beec:{d:x}::{g + 1:x}', "
                       f"dhcp_range: {dotted(first)}-{dotted(first + 63)}}}")
            continue
        size = 65536 // slots
        first, last = g * size + (256 if g == 0 else 0), (g + 1) * size - 1 - (1 if g == slots - 1 else 0)
        rng = f"10.{100 + d}.{first >> 8}.{first & 255}-10.{100 + d}.{last >> 8}.{last & 255}"
        out.append(f"      dom{d}: {{ipv4: 10.{100 + d}.0.{g + 1}, ipv6: 'fd00:beec:{d:x}::{g + 1:x}', dhcp_range: {rng}}}")
print("\n".join(out))
