#!/usr/bin/env bash
# Same seed, --threads 1 and --threads 2: every dataset under /strategies must be
# bit-identical (h5diff compares values exactly; root attributes such as `created` differ
# and are outside /strategies). Usage: threads_identical.sh OSTEOSIM SOURCE_DIR
set -euo pipefail
osteosim=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for scenario in us-cohort-50-both-sexes us-population-2025 us-projection-2025-2050 us-women-screening-policies; do
  for t in 1 2; do
    "$osteosim" run "$src/scenarios/$scenario.yaml" -o "$tmp/$scenario-$t.h5" \
      --agents 30000 --set years=15 --set time_step_months=3 --threads "$t" --quiet
  done
  h5diff -q "$tmp/$scenario-1.h5" "$tmp/$scenario-2.h5" /strategies /strategies
  echo "ok: $scenario datasets identical for 1 and 2 threads"
done
# Event histories: 5 sampled blocks, written in block order whatever order threads finish.
for t in 1 2; do
  "$osteosim" run "$src/scenarios/us-women-screening-policies.yaml" -o "$tmp/microdata-$t.h5" \
    --agents 30000 --microdata 20000 --set years=15 --set time_step_months=3 --threads "$t" --quiet
done
h5diff -q "$tmp/microdata-1.h5" "$tmp/microdata-2.h5" /strategies /strategies
echo "ok: event histories identical for 1 and 2 threads"
# The comparison can fail: another seed must differ.
"$osteosim" run "$src/scenarios/us-cohort-50-both-sexes.yaml" -o "$tmp/seed.h5" \
  --agents 30000 --set years=15 --set time_step_months=3 --seed 1 --quiet
if h5diff -q "$tmp/us-cohort-50-both-sexes-1.h5" "$tmp/seed.h5" /strategies /strategies; then
  echo "FAIL: h5diff found no difference between seeds"; exit 1
fi
echo "ok: a different seed gives different datasets"
