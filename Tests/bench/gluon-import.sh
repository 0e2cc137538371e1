#!/usr/bin/env bash
# Whole-process time of `gwsetup gluon import` on every corpus site (issue 5), printed as BENCHMARKS.md rows.
# Multidomain sites are laid out as a Gluon checkout (site.conf + domains/<code>.conf) so import finds their domains.
# SCRATCH=.build-NAME picks the build folder; CORPUS=… the corpus (default ../shared/corpus beside the repository).
set -euo pipefail
cd "$(dirname "$0")/../.."
SCRATCH=${SCRATCH:-.build}
CORPUS=${CORPUS:-$(cd .. && pwd)/shared/corpus}
[ -f "$CORPUS/NOTES.md" ] || CORPUS=/work/shared/corpus
swift build -c release --scratch-path "$SCRATCH" >/dev/null
B=$SCRATCH/release/gwsetup
OUT=/tmp/bench-gluon
rm -rf "$OUT" && mkdir -p "$OUT"
# Baseline: starting the binary at all, so the import's own share is visible.
commands=("$B --version")
names=(--command-name "gwsetup --version (process start only)")
for conf in "$CORPUS"/gluon-site/*.site.conf; do
  name=$(basename "$conf" .site.conf)
  community=${name%%-*}
  mkdir -p "$OUT/$name"
  cp "$conf" "$OUT/$name/site.conf"
  # Only multidomain sites (default_domain set) read domain files; ffmuc-2014 shares its prefix with ffmuc-2024.
  if grep -q "default_domain" "$conf"; then
    mkdir -p "$OUT/$name/domains"
    for domain in "$CORPUS"/gluon-site/"$community"-*.domain.conf; do
      code=$(basename "$domain" .domain.conf)
      cp "$domain" "$OUT/$name/domains/${code#"$community"-}.conf"
    done
  fi
  commands+=("$B gluon import $OUT/$name/site.conf --output $OUT/$name/site.yaml")
  names+=(--command-name "gluon import $name")
done
hyperfine -N --warmup 3 --runs 30 --export-json /tmp/bench-gluon-import.json "${names[@]}" "${commands[@]}" >/dev/null 2>&1
python3 Tests/bench/hyperfine-table.py /tmp/bench-gluon-import.json
