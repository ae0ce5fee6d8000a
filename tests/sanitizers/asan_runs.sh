#!/usr/bin/env bash
# AddressSanitizer + UBSan leg over every kind of run osteosim ships (run by
# scripts/test-sanitizers with a -DOSTEOSIM_SANITIZE=ON binary): a cohort with event
# histories (microdata), the screening policies, the cost-effectiveness scenario with its
# PSA and one-way runs, a cross-section, an open population, and a run interrupted and
# resumed from its checkpoint; each result then goes through summary, describe and export.
# Small runs: the sanitizers check every path, not the numbers (the Release tests do).
# A sanitizer report aborts the process, so any nonzero exit is a failure.
# Usage: asan_runs.sh OSTEOSIM SOURCE_DIR
set -uo pipefail
osteosim=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export OSTEOSIM_MODEL_PATH=$src/models
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# check NAME -- COMMAND...: the command must exit 0.
check() {
  local name=$1; shift 2
  "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" || { fail "$name exited $?"; tail -20 "$tmp/$name.err"; }
}

# read_back NAME: every reader over the result NAME.h5.
read_back() {
  local name=$1 h5=$tmp/$1.h5
  check "$name-summary" -- "$osteosim" summary "$h5"
  check "$name-describe" -- "$osteosim" describe "$h5"
  check "$name-export" -- "$osteosim" export "$h5" --csv "$tmp/$name.csv"
  check "$name-export-dir" -- "$osteosim" export "$h5" --csv-dir "$tmp/$name-csv"
}

small=(--agents 400 --set years=3 --quiet --threads 2)
sed 's/^psa: .*/psa: {draws: 2, agents_per_draw: 128}/' \
  "$src/scenarios/us-women-screening-cea.yaml" >"$tmp/cea.yaml"
grep -q '^psa: {draws: 2' "$tmp/cea.yaml" || fail "no psa line to shrink in the CEA scenario"

check microdata -- "$osteosim" run "$src/scenarios/us-cohort-50-both-sexes.yaml" "${small[@]}" \
  --microdata 50 -o "$tmp/microdata.h5"
check microdata-events -- "$osteosim" export "$tmp/microdata.h5" --csv "$tmp/events.csv" --events
check policies -- "$osteosim" run "$src/scenarios/us-women-screening-policies.yaml" "${small[@]}" \
  --microdata 20 -o "$tmp/policies.h5"
check cea -- "$osteosim" run "$tmp/cea.yaml" "${small[@]}" -o "$tmp/cea.h5"
check cross-section -- "$osteosim" run "$src/scenarios/us-population-2025.yaml" "${small[@]}" \
  -o "$tmp/cross-section.h5"
check open -- "$osteosim" run "$src/scenarios/us-projection-2025-2050.yaml" "${small[@]}" \
  -o "$tmp/open.h5"
for name in microdata policies cea cross-section open; do
  [[ -f $tmp/$name.h5 ]] && read_back "$name"
done

# Interrupted midway by SIGINT, then resumed: the checkpoint's write, load and merge paths.
# The signal comes from the test hook (src/common/kill_point.hpp) at the middle one of the
# run's kill points (counted by the reference run), on any machine however slow or fast.
resume=(run "$src/scenarios/us-cohort-50-both-sexes.yaml" --agents 40000 --set years=10
  --threads 2 --microdata 30 --checkpoint-every 0)
check resume-reference -- env OSTEOSIM_TEST_KILL_AT=count "$osteosim" "${resume[@]}" --quiet \
  -o "$tmp/reference.h5"
points=$(sed -n 's/^osteosim: kill points: //p' "$tmp/resume-reference.err")
OSTEOSIM_TEST_KILL_SIGNAL=INT OSTEOSIM_TEST_KILL_AT=$((${points:-0} / 2)) \
  "$osteosim" "${resume[@]}" -o "$tmp/resumed.h5" 2>"$tmp/cut.err"
status=$?
if [[ -z $points || $status -ne 130 || ! -e $tmp/resumed.h5.checkpoint ]]; then
  fail "the run interrupted at kill point $((${points:-0} / 2)) of ${points:-none} exited $status" \
    "(expected 130 and a checkpoint)"
  tail -20 "$tmp/cut.err"
fi
check resume -- "$osteosim" "${resume[@]}" --quiet --resume -o "$tmp/resumed.h5"
h5diff -q "$tmp/reference.h5" "$tmp/resumed.h5" /strategies /strategies ||
  fail "the resumed run differs from the uninterrupted one"

((failures == 0)) || { echo "$failures failures"; exit 1; }
echo "ok: ASan+UBSan over microdata, policies, CEA with PSA and one-way, cross-section, open" \
  "population and an interrupted, resumed run, each read back by summary, describe, export"
