#!/usr/bin/env bash
# ctest r.evppi_mgcv: osteosim's EVPPI on the shipped CEA's PSA draws against R's mgcv
# (tests/r/evppi_mgcv.R says what is compared and why the tolerance is what it is).
#
#   test_evppi_mgcv.sh OSTEOSIM_BINARY SOURCE_DIR
#
# Needs Rscript with hdf5r and mgcv (Debian r-base-core r-cran-hdf5r r-cran-mgcv,
# scripts/setup): a missing one fails the test, it never skips.
set -euo pipefail
binary=$1
source_dir=$2
if ! command -v Rscript >/dev/null; then
  echo "Rscript is not installed; run scripts/setup" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The shipped scenario's PSA as it is: 200 draws of 8192 agents, its seed. --agents only
# shrinks the deterministic main run (100 000 agents in the scenario), which /analysis/psa
# and /analysis/evppi do not use: each draw simulates its own psa.agents_per_draw agents.
"$binary" run "$source_dir/scenarios/us-women-screening-cea.yaml" --agents 2000 --threads 2 \
  -o "$tmp/cea.h5" --quiet
Rscript "$source_dir/tests/r/evppi_mgcv.R" "$tmp/cea.h5"
