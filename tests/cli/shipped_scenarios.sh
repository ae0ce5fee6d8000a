#!/usr/bin/env bash
# Every shipped scenario (each scenarios/*.yaml, so a new one is covered without editing
# this file) passes `osteosim check` as shipped, runs at a small size (a few thousand
# agents, 3 years; a PSA at 256 agents per draw) and gives a result file whose summary
# prints: `summary` refuses a file without its seal or with broken invariants, so exit 0
# and a summary naming the scenario mean a complete, sealed result.
# Usage: shipped_scenarios.sh OSTEOSIM SOURCE_DIR
set -uo pipefail
osteosim=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
failures=0 scenarios=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

for scenario in "$src"/scenarios/*.yaml; do
  name=$(basename "$scenario" .yaml)
  scenarios=$((scenarios + 1))
  if ! "$osteosim" check "$scenario" >"$tmp/$name.check" 2>&1; then
    fail "$name: check exited non-zero: $(tail -5 "$tmp/$name.check")"
    continue
  fi
  # The scenario's own name (the file's `name:`), as the result records it.
  title=$(sed -n 's/^  name: \(.*\)$/\1/p' "$tmp/$name.check" | head -1)
  [[ -n $title ]] || fail "$name: check printed no scenario name"
  if ! "$osteosim" run "$scenario" --agents 3000 --set years=3 --set psa.agents_per_draw=256 \
    --threads 2 --quiet -o "$tmp/$name.h5" 2>"$tmp/$name.err"; then
    fail "$name: run exited non-zero: $(tail -5 "$tmp/$name.err")"
    continue
  fi
  if ! "$osteosim" summary "$tmp/$name.h5" >"$tmp/$name.summary" 2>"$tmp/$name.err"; then
    fail "$name: summary exited non-zero: $(tail -5 "$tmp/$name.err")"
    continue
  fi
  [[ -s $tmp/$name.summary ]] || fail "$name: empty summary"
  grep -qF -- "$title" "$tmp/$name.summary" || fail "$name: the summary does not name '$title'"
  echo "ok: $name checks, runs and summarises"
done
# Not vacuous: the shipped scenarios were found (11 when this test was written).
((scenarios >= 11)) || fail "only $scenarios scenarios found in $src/scenarios"
((failures == 0)) || { echo "$failures failure(s)"; exit 1; }
echo "ok: all $scenarios shipped scenarios"
