#!/usr/bin/env bash
# Whole-process time and peak memory of `gwsetup verify --rules` (issue 4), printed as BENCHMARKS.md rows:
# the largest corpus ruleset, and the single-gateway example's rendered rules grown to 10,000 rules per family.
# SCRATCH=.build-NAME picks the build folder; CORPUS=… the corpus (default ../shared/corpus beside the repository).
set -euo pipefail
cd "$(dirname "$0")/../.."
SCRATCH=${SCRATCH:-.build}
CORPUS=${CORPUS:-$(cd .. && pwd)/shared/corpus}
[ -f "$CORPUS/NOTES.md" ] || CORPUS=/work/shared/corpus
swift build -c release --scratch-path "$SCRATCH" >/dev/null
B=$SCRATCH/release/gwsetup
OUT=/tmp/bench-verify
SITE=site-examples/single-gateway.yaml
rm -rf "$OUT" && mkdir -p "$OUT"
$B render --site $SITE --output "$OUT/rendered" >/dev/null
for family in 4 6; do
  python3 Tests/bench/generate-verify-rules.py "$OUT/rendered/etc/gwsetup/firewall/rules.v$family" 10000 > "$OUT/big.v$family"
done
LARGEST=$(ls -S "$CORPUS"/iptables/* | head -1)
declare -A runs=(
  ["verify --rules $(basename "$LARGEST")"]="$B verify --site $SITE --rules $LARGEST"
  ["verify --rules big.v4 (10,000 rules)"]="$B verify --site $SITE --rules $OUT/big.v4"
  ["verify --rules big.v4 --rules6 big.v6 (2 × 10,000 rules)"]="$B verify --site $SITE --rules $OUT/big.v4 --rules6 $OUT/big.v6"
  ["verify --rules rendered rules.v4 --rules6 rules.v6"]="$B verify --site $SITE --rules $OUT/rendered/etc/gwsetup/firewall/rules.v4 --rules6 $OUT/rendered/etc/gwsetup/firewall/rules.v6"
)
names=(--command-name "gwsetup --version (process start only)")
commands=("$B --version")
for name in "${!runs[@]}"; do names+=(--command-name "$name"); commands+=("${runs[$name]}"); done
# verify exits 2 on these (the corpus and the grown rules drift from the rendered ones): -i keeps hyperfine going.
hyperfine -N -i --warmup 3 --runs 30 --export-json /tmp/bench-verify.json "${names[@]}" "${commands[@]}" >/dev/null 2>&1
python3 Tests/bench/hyperfine-table.py /tmp/bench-verify.json
echo
echo "| command | peak RSS |"
echo "|---|---:|"
for name in "${!runs[@]}"; do
  /usr/bin/time -v -o /tmp/bench-verify-time.txt ${runs[$name]} >/dev/null 2>&1 || true
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' /tmp/bench-verify-time.txt)
  echo "| \`$name\` | $((rss / 1024)) MiB |"
done
echo
grep -c '^-A' "$LARGEST" "$OUT/big.v4" "$OUT/big.v6" | sed 's/^/rules: /'
