#!/usr/bin/env bash
# Site loading and validation at scale (issue 20): 1,000 and 10,000 gateways, and 1 MB hostile values, as BENCHMARKS.md rows.
# `plan --offline --gateway gw1` loads and validates the whole site, then plans one gateway, so the site is what grows.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product gwsetup ${SCRATCH:+--scratch-path "$SCRATCH"} >/dev/null
python3 Tests/bench/generate-site.py 1000 1 > /tmp/bench-1000x1.yaml
python3 Tests/bench/generate-site.py 10000 1 > /tmp/bench-10000x1.yaml
python3 Tests/bench/generate-site.py 10000 4 > /tmp/bench-10000x4.yaml
B=${SCRATCH:-.build}/release/gwsetup
# The hostile sites exit 1 by design; -i keeps hyperfine timing them.
hyperfine -N -i --warmup 1 --runs 10 --export-json /tmp/bench-site-validation.json \
  "$B plan --offline --site /tmp/bench-1000x1.yaml --gateway gw1" \
  "$B plan --offline --site /tmp/bench-10000x1.yaml --gateway gw1" \
  "$B plan --offline --site /tmp/bench-10000x4.yaml --gateway gw1" \
  "$B plan --offline --site Tests/hostile/site/name-one-megabyte.yaml" \
  "$B plan --offline --site Tests/hostile/site/unknown-key-one-megabyte.yaml" >/dev/null
python3 Tests/bench/hyperfine-table.py /tmp/bench-site-validation.json
