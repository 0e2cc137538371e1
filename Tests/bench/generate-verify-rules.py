#!/usr/bin/env python3
"""Grows gwsetup's rendered rules (rules.v4 or rules.v6) to N rules, the way busy gateways grow, for verify benchmarks.

Usage: generate-verify-rules.py RENDERED_RULES TOTAL > big.rules

Adds a blocklist chain consulted first for everything from the uplink, per-client drops on the mesh and per-host
forwarding rules, all on the paths verify's intents walk and none of them matching an intent's packet, so every
intent still holds and each one is decided only after walking thousands of rules. Deterministic (seeded).
"""
import random, sys

path, total = sys.argv[1], int(sys.argv[2])
lines = open(path).read().splitlines()
ipv6 = any("ipv6-icmp" in line for line in lines)
uplink = next(line.split()[3] for line in lines if line.startswith("-A INPUT -i ") and line.endswith("-j gw-wan-in"))
existing = sum(1 for line in lines if line.startswith("-A "))
rng = random.Random(7)

def host():
    # Never a packet's address in verify's intents: 45.0.0.0/8 and 2a0c:1234::/32 are unused there.
    if ipv6:
        return f"2a0c:1234:{rng.randrange(65536):x}:{rng.randrange(65536):x}::{rng.randrange(1, 65536):x}/128"
    return f"45.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}/32"

def bad_client():
    if ipv6:
        return f"fd00:bad:{rng.randrange(65536):x}::{rng.randrange(1, 65536):x}/128"
    return f"172.16.{rng.randrange(256)}.{rng.randrange(1, 255)}/32"

extra = max(0, total - existing - 2)
blocklist = [f"-A gw-blocklist -s {host()}" + rng.choice([
    " -j DROP", " -m comment --comment \"abuse report\" -j DROP", " -p tcp -m multiport --dports 22,80,443 -j DROP",
    " -p udp -m udp --dport 10000:10100 -j DROP", " -m limit --limit 5/min -j LOG --log-prefix \"blocked: \""])
    for _ in range(extra * 6 // 10)]
mesh = [f"-A gw-mesh-in -s {bad_client()}" + rng.choice([" -j DROP", " -p udp -m udp --dport 53 -j REJECT", " -m conntrack --ctstate NEW -j DROP"])
        for _ in range(extra * 2 // 10)]
forward = [f"-A FORWARD -d {host()} -o {uplink}" + rng.choice([" -j DROP", " -p tcp -m tcp --dport 25 -j REJECT --reject-with tcp-reset"])
           for _ in range(extra - len(blocklist) - len(mesh))]

out = []
for line in lines:
    if line == ":gw-wan-in - [0:0]":
        out += [line, ":gw-blocklist - [0:0]"]
        continue
    if line.startswith("-A INPUT -i lo -j ACCEPT"):
        out += [line, f"-A INPUT -i {uplink} -j gw-blocklist", f"-A FORWARD -i {uplink} -j gw-blocklist"]
        continue
    if line.startswith("-A gw-mesh-in ") and mesh:
        out += mesh
        mesh = []
    if line.startswith("-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED") and forward:
        out += [line] + forward
        forward = []
        continue
    if line == "COMMIT" and blocklist:
        out += blocklist
        blocklist = []
    out.append(line)
print("\n".join(out))
