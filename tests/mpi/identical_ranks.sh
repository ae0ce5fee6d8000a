#!/usr/bin/env bash
# The MPI build (OSTEOSIM_MPI=ON) must give result datasets bit-identical to the
# single-process run for any number of ranks: ranks take contiguous block ranges and the
# integer tallies are summed onto rank 0. Registered in ctest (label mpi) by MPI builds
# only; scripts/test-mpi builds one and runs it. Usage: identical_ranks.sh OSTEOSIM SOURCE_DIR
set -euo pipefail
osteosim=$1 root=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mpirun=(mpirun --oversubscribe --allow-run-as-root)

# identical SINGLE.h5 RANKS.h5 GROUP: h5diff -q is silent, so say what differs.
identical() {
  h5diff -q "$1" "$2" "$3" "$3" && return
  echo "FAIL: $3 of $(basename "$2") differs from the single-process $(basename "$1"):"
  h5diff "$1" "$2" "$3" "$3" | head -20 || true
  exit 1
}

# ranks_match LABEL "GROUP..." RUN-ARGS...: the run alone, then under mpirun -np 2 and 3;
# each GROUP of the result files must be identical.
ranks_match() {
  local label=$1 groups=$2 group np
  shift 2
  "$osteosim" run "$@" -o "$tmp/$label-1.h5"
  for np in 2 3; do
    "${mpirun[@]}" -np "$np" "$osteosim" run "$@" -o "$tmp/$label-np$np.h5"
    for group in $groups; do identical "$tmp/$label-1.h5" "$tmp/$label-np$np.h5" "$group"; done
    echo "ok: $label with mpirun -np $np is identical to the single-process run ($groups)"
  done
}

for scenario in us-cohort-50-both-sexes us-women-screening-policies; do
  ranks_match "$scenario" /strategies "$root/scenarios/$scenario.yaml" --agents 20000 \
    --set years=15 --quiet --threads 1
done
# Event histories: rank 0 simulates the sampled blocks (8000 agents: 2 blocks, within its
# range for 2 and 3 ranks) and writes them; the tables must be the single-process ones.
ranks_match event-histories /strategies "$root/scenarios/us-women-screening-policies.yaml" \
  --agents 20000 --set years=15 --quiet --threads 1 --microdata 8000
# PSA and one-way analysis: ranks share out the draws (and the one-way runs), rank 0
# gathers them in draw order; the per-draw results must be the single-process ones.
ranks_match psa-one-way "/analysis /strategies" "$root/scenarios/us-women-screening-cea.yaml" \
  --agents 4000 --set years=15 --set psa.draws=7 --set psa.agents_per_draw=512 --quiet \
  --threads 1
