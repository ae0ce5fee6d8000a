#!/usr/bin/env bash
# `osteosim check`'s run-time estimate must count the PSA draws and one-way runs (issue 18):
# it once said 13 s for the shipped 200-draw CEA, which takes minutes. A copy of that
# scenario with few draws and few agents is estimated by `check`, then run and timed; the
# estimate must be within a factor of 2 of the measured CPU time (user + system: what a
# thread of one's own would take as wall time; the wall time of a shared machine depends
# on its load, which no estimate can know). The PSA and one-way runs
# are ~99% of the work here, as most of it in the shipped CEA, so leaving them out fails.
# Usage: estimate_psa.sh OSTEOSIM SOURCE_DIR
set -uo pipefail
osteosim=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export OSTEOSIM_MODEL_PATH=$src/models
# One thread for `check` (its estimate) and `run`: the estimate assumes the run has its
# threads' cores to itself, and one thread is what a shared machine comes closest to giving
# it, so the comparison tests the work counted and the per-thread throughput constant.
export OMP_NUM_THREADS=1

# 4e7 agent-years (base 2048 agents, 3 draws of 2048 and 75 one-way runs, 5 strategies,
# 50 years): 7.4 s of CPU time on an idle machine, 11 s under load.
scenario=$tmp/cea-small.yaml
sed 's/^psa: .*/psa: {draws: 3, agents_per_draw: 2048}/' \
  "$src/scenarios/us-women-screening-cea.yaml" >"$scenario"
grep -q '^psa: {draws: 3, agents_per_draw: 2048}$' "$scenario" || { echo "FAIL: no psa line"; exit 1; }

estimate=$("$osteosim" check "$scenario" --agents 2048 | grep '^# estimate:') ||
  { echo "FAIL: osteosim check printed no estimate"; exit 1; }
echo "$estimate"
# "time up to ~N s" or "~N min": the estimate in seconds.
seconds=$(awk 'match($0, /time up to ~[0-9]+ (s|min) /) {
  split(substr($0, RSTART + 12, RLENGTH - 13), t, " "); print t[1] * (t[2] == "min" ? 60 : 1) }' \
  <<<"$estimate")
[[ -n $seconds ]] || { echo "FAIL: no time in: $estimate"; exit 1; }

/usr/bin/time -f '%U %S' -o "$tmp/cpu" "$osteosim" run "$scenario" --agents 2048 --quiet \
  -o "$tmp/out.h5" || { echo "FAIL: run failed"; exit 1; }
read -r user system <"$tmp/cpu"
awk -v estimated="$seconds" -v user="$user" -v sys_seconds="$system" 'BEGIN {
  measured = user + sys_seconds; ratio = estimated / measured
  printf "estimated %s s, measured %.1f s of CPU time, ratio %.2f\n", estimated, measured, ratio
  if (ratio < 0.5 || ratio > 2) { print "FAIL: the estimate is not within 2x of the measured time"; exit 1 }
  print "ok"
}'
