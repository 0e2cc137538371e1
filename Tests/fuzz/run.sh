#!/usr/bin/env bash
# Fuzzes each of gwsetup's parsers with libFuzzer (+ AddressSanitizer) for a fixed time, off CI.
#
#   Tests/fuzz/run.sh [SECONDS_PER_PARSER] [PARSER...]     (default 180 s; parsers: site gluon ruleset plan manifest)
#
# Builds Tests/fuzz/Fuzzing/ (one executable per parser) in .build-fuzz, so the normal .build is untouched; seeds
# each fuzzer with the real files the project already has; runs one process per parser (one core),
# stopping at the time limit or the first crash, hang (-timeout) or memory blow-up (-rss_limit_mb);
# copies every such input into Tests/fuzz-crashes/<parser>/, which CI replays through the parsers
# (FuzzCrashReplayTests). Prints one summary line per parser for TESTING.md.
set -euo pipefail

seconds=${1:-180}
shift || true
parsers=("$@")
[ ${#parsers[@]} -gt 0 ] || parsers=(site gluon ruleset plan manifest)
case $seconds in *[!0-9]* | '') echo "run.sh: SECONDS_PER_PARSER must be a whole number, not '$seconds'" >&2; exit 1 ;; esac

repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"

# The shared corpus of real community files, found as the tests find it (CorpusLocator.swift).
corpus=${GWSETUP_CORPUS:-}
if [ -z "$corpus" ]; then
    dir=$repo
    while [ "$dir" != / ]; do
        if [ -f "$dir/shared/corpus/NOTES.md" ]; then corpus=$dir/shared/corpus; break; fi
        dir=$(dirname "$dir")
    done
fi
[ -n "$corpus" ] && [ -f "$corpus/NOTES.md" ] || { echo "run.sh: shared/corpus not found; set GWSETUP_CORPUS" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/gwsetup-fuzz.XXXXXX")
echo "run.sh: seeds, corpora, logs and artifacts in $work"

echo "run.sh: building the fuzzers (.build-fuzz)"
# `--sanitize fuzzer` lets SwiftPM link libFuzzer's main; swiftc keeps only the last -sanitize= it is given, so
# `--sanitize address` beside it would drop coverage from the Swift code: address goes in one list instead.
if ! swift build --package-path Tests/fuzz/Fuzzing --scratch-path .build-fuzz \
    --sanitize fuzzer -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=address >"$work/build.log" 2>&1; then
    grep -v 'ld.gold: warning: Cannot export local symbol' "$work/build.log" | grep -B2 -A6 'error' | head -40 >&2
    echo "run.sh: the fuzzers did not build; the whole output is in $work/build.log" >&2
    exit 1
fi
bin=$repo/.build-fuzz/debug

# Seeds per parser; every earlier finding is a seed too, so a fix is re-checked first.
seed() { # parser file...
    local parser=$1; shift
    mkdir -p "$work/seeds/$parser"
    for file in "$@"; do [ -f "$file" ] && cp "$file" "$work/seeds/$parser/$(echo "$file" | tr / _)"; done
    return 0
}
shopt -s nullglob globstar
seed site site-examples/*.yaml Tests/**/Fixtures/*.yaml Tests/fuzz-crashes/site/*
seed gluon "$corpus"/gluon-site/*.conf Tests/fuzz-crashes/gluon/*
seed ruleset "$corpus"/iptables/* Tests/fuzz-crashes/ruleset/*
seed plan Tests/fuzz-crashes/plan/*
seed manifest Tests/fuzz-crashes/manifest/*
if [[ " ${parsers[*]} " == *" plan "* ]]; then
    # Real `--out` files, made from every example site with one gateway (the others need --gateway).
    swift build --product gwsetup 2>&1 | tail -1
    for site in site-examples/*.yaml Tests/**/Fixtures/*.yaml; do
        out=$work/seeds/plan/$(basename "$site" .yaml).plan.json
        swift run --skip-build gwsetup plan --offline --site "$site" --out "$out" >/dev/null 2>&1 || rm -f "$out"
    done
fi

# A dictionary per parser of the words its seeds use (site keys, Lua field names, iptables options, plan
# JSON keys): string comparisons in Swift are not traced, so without these the keys are rarely guessed.
declare -A word_pattern=([site]='[A-Za-z_0-9]+:' [gluon]='[A-Za-z_0-9]+ *=' [ruleset]='--?[a-z][a-z0-9-]*' [plan]='"[A-Za-z_0-9]+" *:' [manifest]='"[A-Za-z_0-9]+" *:')
make_dict() { # parser
    cat "$work/seeds/$1"/* 2>/dev/null | grep -aoE -e "${word_pattern[$1]}" | sort -u | head -500 \
        | sed 's/\\/\\\\/g; s/"/\\"/g; s/.*/"&"/' >"$work/$1.dict" || true
}

# Per parser: the fuzzer, and the largest input worth trying (sites and dumps are text files of a few
# KB, plan files up to ~80 KB; longer inputs only slow each run down, and a 1 MB line is a replay case).
declare -A fuzzer=([site]=FuzzSiteYAML [gluon]=FuzzGluon [ruleset]=FuzzRuleset [plan]=FuzzPlan [manifest]=FuzzManifest)
declare -A max_len=([site]=8192 [gluon]=8192 [ruleset]=16384 [plan]=131072 [manifest]=16384)

summary=()
for parser in "${parsers[@]}"; do
    [ -n "${fuzzer[$parser]:-}" ] || { echo "run.sh: unknown parser '$parser' (site gluon ruleset plan manifest)" >&2; exit 1; }
    mkdir -p "$work/corpus/$parser" "$work/artifacts/$parser" "$work/seeds/$parser"
    log=$work/$parser.log
    make_dict "$parser"
    echo "run.sh: fuzzing $parser for $seconds s ($(ls "$work/seeds/$parser" | wc -l) seeds), log $log"
    # Swift's own crash backtracer takes minutes per crash under ASan; libFuzzer reports crashes itself.
    # Leak checks are off: the run looks for crashes and hangs, and a one-off leak in a parser is neither.
    status=0
    SWIFT_BACKTRACE=enable=no "$bin/${fuzzer[$parser]}" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="${max_len[$parser]}" \
        -dict="$work/$parser.dict" -detect_leaks=0 -print_final_stats=1 -artifact_prefix="$work/artifacts/$parser/" \
        "$work/corpus/$parser" "$work/seeds/$parser" >"$log" 2>&1 || status=$?
    final=$(grep -E '^#[0-9]+[[:space:]]+(DONE|NEW|REDUCE|pulse|INITED)' "$log" | tail -1 || true)
    execs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}' || true)
    rate=$(grep -E '^stat::average_exec_per_sec' "$log" | awk '{print $2}' || true)
    cov=$(echo "$final" | grep -oE 'cov: [0-9]+' | awk '{print $2}' || true)
    ft=$(echo "$final" | grep -oE 'ft: [0-9]+' | awk '{print $2}' || true)
    found=()
    for artifact in "$work/artifacts/$parser"/*; do
        mkdir -p "Tests/fuzz-crashes/$parser"
        cp "$artifact" "Tests/fuzz-crashes/$parser/"
        found+=("Tests/fuzz-crashes/$parser/$(basename "$artifact")")
    done
    line="$parser: ${seconds}s, ${execs:-?} runs, ${rate:-?} exec/s, cov ${cov:-?}, ft ${ft:-?}, exit $status, findings: ${found[*]:-none}"
    if [ ${#found[@]} -eq 0 ] && [ "$status" -ne 0 ]; then line="$line (the fuzzer itself failed: see $log)"; fi
    summary+=("$line")
    echo "run.sh: $line"
    if [ ${#found[@]} -gt 0 ]; then grep -E 'ERROR: libFuzzer|ERROR: AddressSanitizer|Fatal error|SUMMARY' "$log" | head -5 | sed 's/^/    /'; fi
done

echo
echo "run.sh: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(swift --version 2>/dev/null | head -1)"
printf '  %s\n' "${summary[@]}"
