#!/usr/bin/env bash
# Whole-process times of render and plan --offline (issue 2), printed as BENCHMARKS.md rows.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release ${SCRATCH:+--scratch-path "$SCRATCH"} >/dev/null
python3 Tests/bench/generate-site.py 20 4 > /tmp/bench-20x4.yaml
python3 Tests/bench/generate-site.py 50 8 > /tmp/bench-50x8.yaml
B=${SCRATCH:-.build}/release/gwsetup
hyperfine -N --warmup 3 --runs 30 --export-json /tmp/bench-render-plan.json \
  "$B plan --offline --site site-examples/single-gateway.yaml" \
  "$B plan --offline --site site-examples/two-domains.yaml" \
  "$B plan --offline --site /tmp/bench-20x4.yaml" \
  "$B plan --offline --site /tmp/bench-50x8.yaml" \
  "$B render --site site-examples/single-gateway.yaml --output /tmp/bench-r1" \
  "$B render --site site-examples/two-domains.yaml --gateway gw1 --output /tmp/bench-r2" \
  "$B render --site /tmp/bench-20x4.yaml --gateway gw20 --output /tmp/bench-r3" >/dev/null
python3 Tests/bench/hyperfine-table.py /tmp/bench-render-plan.json
