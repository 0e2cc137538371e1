#!/usr/bin/env python3
"""Turns hyperfine --export-json output into the Markdown rows BENCHMARKS.md keeps: median and range."""
import json, sys

print("| command | median | min | max | runs |")
print("|---|---:|---:|---:|---:|")
for result in json.load(open(sys.argv[1]))["results"]:
    ms = lambda seconds: f"{seconds * 1000:.1f} ms"
    print(f"| `{result['command']}` | {ms(result['median'])} | {ms(result['min'])} | {ms(result['max'])} | {len(result['times'])} |")
