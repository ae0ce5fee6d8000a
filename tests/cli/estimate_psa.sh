#!/usr/bin/env bash
# `osteosim check`'s run-time estimate must count the PSA draws and one-way runs (issue 18):
# it once said 13 s for the shipped 200-draw CEA, which takes many minutes. A copy of that
# scenario with few draws and few agents is estimated by `check`, then run and timed; the
# estimate must be within a factor of 2 of the measured wall time. The PSA and one-way runs
# are most of the work here, as in the shipped CEA, so leaving them out fails the test.
# Usage: estimate_psa.sh PATH/TO/osteosim SOURCE_DIR
set -u
binary=${1:?usage: estimate_psa.sh OSTEOSIM SOURCE_DIR}
source_dir=${2:?usage: estimate_psa.sh OSTEOSIM SOURCE_DIR}
case $binary in /*) ;; *) binary=$PWD/$binary ;; esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export OSTEOSIM_MODEL_PATH=$source_dir/models
# One thread for `check` (its estimate) and `run`: the estimate assumes the run has its
# threads' cores to itself, and a single thread is what a shared machine comes closest to
# giving it, so the comparison tests the work counted and the per-thread throughput.
export OMP_NUM_THREADS=1

# Base run 2048 agents, 3 draws of 2048 agents and the one-way runs, 5 strategies, 50 years:
# 4e7 agent-years, about 11-22 s on 1 thread (~95% of it PSA and one-way).
scenario=$work/cea-small.yaml
sed 's/^psa: .*/psa: {draws: 3, agents_per_draw: 2048}/' \
  "$source_dir/scenarios/us-women-screening-cea.yaml" >"$scenario"
grep -q '^psa: {draws: 3, agents_per_draw: 2048}$' "$scenario" || {
  echo "FAIL: could not set the psa line of the copied scenario"
  exit 1
}
options=(--agents 2048)

# A PSA of a million draws of a million agents (the base run is small) is refused by its
# estimate, before anything runs.
huge=$work/cea-huge.yaml
sed 's/^psa: .*/psa: {draws: 1000000, agents_per_draw: 1000000}/' "$scenario" >"$huge"
refusal=$("$binary" check "$huge" "${options[@]}" 2>&1 >/dev/null)
status=$?
if [ "$status" -ne 2 ] || [[ $refusal != *"more than the 7 days osteosim starts"* ]]; then
  echo "FAIL: a huge PSA was not refused (exit $status): $refusal"
  exit 1
fi

estimate=$("$binary" check "$scenario" "${options[@]}" | grep '^# estimate:') || {
  echo "FAIL: osteosim check printed no estimate"
  exit 1
}
echo "$estimate"
# "time up to ~N s" or "~N min": the estimate in seconds.
seconds=$(awk 'match($0, /time up to ~[0-9]+ (s|min) /) {
  split(substr($0, RSTART + 12, RLENGTH - 13), t, " "); print t[1] * (t[2] == "min" ? 60 : 1) }' \
  <<<"$estimate")
[ -n "$seconds" ] || {
  echo "FAIL: no time in: $estimate"
  exit 1
}

start=$(date +%s.%N)
"$binary" run "$scenario" "${options[@]}" --quiet -o "$work/out.h5" || {
  echo "FAIL: the run failed"
  exit 1
}
end=$(date +%s.%N)
awk -v estimated="$seconds" -v start="$start" -v end="$end" 'BEGIN {
  measured = end - start; ratio = estimated / measured
  printf "estimated %s s, measured %.1f s, ratio %.2f\n", estimated, measured, ratio
  if (ratio < 0.5 || ratio > 2) { print "FAIL: the estimate is not within a factor of 2 of the measured time"; exit 1 }
}' || exit 1
echo "ok"
