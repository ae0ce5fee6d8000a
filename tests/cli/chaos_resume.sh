#!/usr/bin/env bash
# Chaos (issue 19, deliverable 6): runs of every kind killed with SIGKILL at random moments,
# resumed (and killed again), must end with the datasets of an uninterrupted run (h5diff;
# root attributes such as `created` and `command_line` legitimately differ), and leave no
# temporary file. The moments are kill points (src/common/kill_point.hpp: every progress
# report - a block, a PSA draw, a one-way run - and every temporary file about to be
# renamed into place, checkpoint or result), drawn at random: reproducible with the seed
# printed, unlike a kill after a random delay. OSTEOSIM_CHAOS_SEED=S replays a run.
# Usage: chaos_resume.sh OSTEOSIM SOURCE_DIR
set -uo pipefail
osteosim=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
export OSTEOSIM_MODEL_PATH=$src/models  # for the PSA scenario copied here
seed=${OSTEOSIM_CHAOS_SEED:-$(( $(date +%s) % 100000 ))}
echo "chaos seed: $seed (OSTEOSIM_CHAOS_SEED=$seed replays these kill points)"
RANDOM=$seed
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
kills_per_kind=3

sed 's/^psa: .*/psa: {draws: 6, agents_per_draw: 512}/' \
  "$src/scenarios/us-women-screening-cea.yaml" >cea.yaml
grep -q '^psa: {draws: 6' cea.yaml || { echo "FAIL: no psa line in the CEA scenario"; exit 1; }

# chaos LABEL GROUPS -- RUN ARGS...: a reference run, then the same run killed at random kill
# points and resumed until it finishes; the GROUPS (comma-separated) must equal.
chaos() {
  local label=$1 groups=$2 failures_before=$failures; shift 3
  local run=(run "$@" --quiet --threads 2 --checkpoint-every 0)
  local out=$label.h5
  # The reference run counts its kill points too (the count changes nothing else).
  local points
  points=$(OSTEOSIM_TEST_KILL_AT=count "$osteosim" "${run[@]}" -o "$label-ref.h5" 2>&1 |
           sed -n 's/^osteosim: kill points: //p')
  [[ -e $label-ref.h5 ]] || { fail "$label: reference run failed"; return; }
  [[ -n $points && $points -gt 0 ]] || { fail "$label: no kill points counted"; return; }
  local moments=() k status resume
  for ((k = 0; k < kills_per_kind; ++k)); do
    local at=$(( RANDOM % points + 1 ))
    # Resume when a checkpoint was saved; a kill before the first save starts afresh.
    resume=(); [[ -e $out.checkpoint ]] && resume=(--resume)
    # In a group, so that bash's own "Killed" notice goes to the file too.
    { OSTEOSIM_TEST_KILL_AT=$at "$osteosim" "${run[@]}" -o "$out" "${resume[@]}"; } 2>"$out.stderr"
    status=$?
    moments+=("$at:$status")
    [[ $status -eq 0 ]] && break  # fewer points remain after a resume: it finished
    [[ $status -eq 137 ]] || { fail "$label: killed at $at: exit $status: $(cat "$out.stderr")"; return; }
    [[ ! -e $out ]] || { fail "$label: a result file exists after the kill at $at"; return; }
  done
  if [[ ! -e $out ]]; then
    resume=(); [[ -e $out.checkpoint ]] && resume=(--resume)
    "$osteosim" "${run[@]}" -o "$out" "${resume[@]}" || { fail "$label: final run failed"; return; }
  fi
  local group
  for group in ${groups//,/ }; do
    h5diff -q "$label-ref.h5" "$out" "$group" "$group" || fail "$label: $group differs"
  done
  [[ ! -e $out.checkpoint ]] || fail "$label: checkpoint left after success"
  local left; left=$(find "$tmp" -name "$out.tmp-*" -o -name "$out.checkpoint.tmp-*" -o -name "$out.microdata-*")
  [[ -z $left ]] || fail "$label: files of killed runs left: $left"
  [[ $failures -eq $failures_before ]] || return
  echo "ok: $label: $points kill points; killed at (point:exit) ${moments[*]}; resumed identical"
}

scenarios=$src/scenarios
chaos cohort /strategies,/config -- "$scenarios/us-women-cohort-50.yaml" --agents 40000 --set years=20
chaos policies /strategies,/config -- "$scenarios/us-women-screening-policies.yaml" --agents 12000 \
  --set years=20
chaos psa-one-way /strategies,/analysis,/config -- cea.yaml --agents 6000 --set years=10
chaos open-population /strategies,/config -- "$scenarios/us-projection-2025-2050.yaml" \
  --agents 12000 --set years=10
chaos cross-section /strategies,/config -- "$scenarios/us-population-2025.yaml" --agents 12000 \
  --set years=10
chaos microdata /strategies,/config -- "$scenarios/us-cohort-50-both-sexes.yaml" --agents 30000 \
  --microdata 12000 --set years=20

echo "$failures failure(s) (chaos seed $seed)"
[[ $failures -eq 0 ]]
