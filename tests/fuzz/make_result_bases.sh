#!/usr/bin/env bash
# The result files the result fuzzer damages (tests/fuzz/fuzz_results.cpp), one per kind of
# run whose groups the readers handle: a cohort with event histories (microdata), and the
# cost-effectiveness scenario with its PSA and one-way analyses. Small and fixed-seed.
# Usage: make_result_bases.sh OSTEOSIM SOURCE_DIR OUT_DIR
set -euo pipefail
osteosim=$1 src=$2 out=$3
mkdir -p "$out"
export OSTEOSIM_MODEL_PATH=$src/models OMP_NUM_THREADS=1
"$osteosim" run "$src/scenarios/us-women-cohort-50.yaml" --agents 600 --set years=4 \
  --microdata 40 --quiet --force -o "$out/cohort-microdata.h5"
sed 's/^psa: .*/psa: {draws: 3, agents_per_draw: 128}/' \
  "$src/scenarios/us-women-screening-cea.yaml" >"$out/cea-psa.yaml"
grep -q '^psa: {draws: 3' "$out/cea-psa.yaml" || { echo "no psa line to shrink" >&2; exit 1; }
"$osteosim" run "$out/cea-psa.yaml" --agents 256 --set years=3 --quiet --force \
  -o "$out/cea-psa.h5"
