#!/usr/bin/env bash
# Interruption and resume: SIGINT/SIGTERM stop with 130/143 and no result file; a run killed
# by SIGINT or by kill -9 finishes with --resume into datasets bit-identical (h5diff) to an
# uninterrupted run; a checkpoint of another run, or a damaged one, is refused with exit 2.
# Usage: interrupt_resume.sh OSTEOSIM SOURCE_DIR
set -uo pipefail
osteosim=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# The interruptions come from the test hook (src/common/kill_point.hpp): the run signals
# itself at its N-th kill point (a block done, a file about to be renamed), so each lands
# where the test says on any machine, fast or slow, unlike a signal sent after a wait.
export OSTEOSIM_MODEL_PATH=$src/models  # for the PSA scenario copied here
scenario=$src/scenarios/us-women-cohort-50.yaml
# 16 blocks, each saved to the checkpoint (--checkpoint-every 0: two kill points a block).
run=(run "$scenario" --agents 65536 --quiet --checkpoint-every 0)

# reference OUT: an uninterrupted run into OUT; sets `points`, its number of kill points.
reference() {
  points=$(OSTEOSIM_TEST_KILL_AT=count "$osteosim" "${run[@]}" -o "$1" --threads 2 --force 2>&1 |
           sed -n 's/^osteosim: kill points: //p')
  [[ -e $1 && -n $points && $points -gt 2 ]] || fail "reference run $1 failed ($points kill points)"
}

# interrupt SIGNAL OUT [AT]: a run that sends itself SIGNAL (INT, TERM or KILL) at kill point
# AT (default midway); returns its exit status.
interrupt() {
  local signal=$1 out=$2 at=${3:-$((points / 2))}
  # In a group, so that bash's own "Killed" notice goes to the file too.
  { OSTEOSIM_TEST_KILL_SIGNAL=$signal OSTEOSIM_TEST_KILL_AT=$at \
      "$osteosim" "${run[@]}" -o "$out" --threads 1; } 2>"$out.stderr"
}

# stopped_midway OUT LABEL: the interrupted run saved some of its blocks, not all.
stopped_midway() {
  local saved
  saved=$(sed -n 's/^osteosim: \([0-9]* of [0-9]*\) blocks are saved in .*/\1/p' "$1.stderr")
  read -r done _ all <<<"$saved"
  [[ -n $saved && $done -gt 0 && $done -lt $all ]] ||
    fail "$2: not stopped midway (saved: '$saved'): $(cat "$1.stderr")"
}

reference ref.h5

# check_resume OUT LABEL [killed]: a clean stop leaves no temporary file; kill -9 may leave
# one (killed while saving), which the resumed run removes.
check_resume() {
  local out=$1 label=$2 killed=${3:-} failures_before=$failures
  [[ -e $out.checkpoint ]] || fail "$label: no checkpoint left"
  [[ ! -e $out ]] || fail "$label: a result file exists after the interruption"
  [[ -n $killed ]] || ! ls ./*.tmp-* >/dev/null 2>&1 || fail "$label: temporary files left"
  "$osteosim" "${run[@]}" -o "$out" --threads 2 --resume || fail "$label: --resume failed"
  ! ls ./*.tmp-* >/dev/null 2>&1 || fail "$label: temporary files left after --resume"
  h5diff -q ref.h5 "$out" /strategies /strategies || fail "$label: resumed result differs"
  [[ ! -e $out.checkpoint ]] || fail "$label: checkpoint not removed after success"
  [[ $failures -eq $failures_before ]] && echo "ok: $label"
}

interrupt INT int.h5; status=$?
[[ $status -eq 130 ]] || fail "SIGINT: exit $status, expected 130"
grep -q -- "--resume" int.h5.stderr || fail "SIGINT: message does not mention --resume"
stopped_midway int.h5 SIGINT
check_resume int.h5 "SIGINT then --resume"

interrupt TERM term.h5; status=$?
[[ $status -eq 143 ]] || fail "SIGTERM: exit $status, expected 143"
stopped_midway term.h5 SIGTERM
check_resume term.h5 "SIGTERM then --resume"

interrupt KILL kill.h5; status=$?
[[ $status -eq 137 ]] || fail "kill -9: exit $status, expected 137"
check_resume kill.h5 "kill -9 then --resume" killed

# Refusals, all exit 2 and before any computing.
interrupt INT other.h5; status=$?
[[ $status -eq 130 && -e other.h5.checkpoint ]] || fail "SIGINT for the refusals: exit $status"
expect2() {
  local label=$1 text=$2; shift 2
  local output; output=$("$osteosim" "$@" 2>&1); local status=$?
  if [[ $status -ne 2 || $output != *"$text"* ]]; then
    fail "$label: exit $status, output: $output"
  else
    echo "ok: $label"
  fi
}
expect2 "checkpoint without --resume" "add --resume" "${run[@]}" -o other.h5
expect2 "checkpoint of another seed" "different run" "${run[@]}" -o other.h5 --seed 5 --resume
expect2 "--resume without checkpoint" "no checkpoint" "${run[@]}" -o none.h5 --resume
head -c 1000 other.h5.checkpoint > cut.h5.checkpoint
expect2 "truncated checkpoint" "damaged" "${run[@]}" -o cut.h5 --resume
"$osteosim" "${run[@]}" -o other.h5 --force || fail "--force did not start over"
[[ ! -e other.h5.checkpoint ]] || fail "--force left the old checkpoint"

# Event histories survive an interruption: the resumed run simulates the sampled blocks
# again for their events (their tallies are in the checkpoint) and matches a run that was
# not interrupted; no spool file is left behind.
run=(run "$scenario" --agents 65536 --microdata 20000 --quiet --checkpoint-every 0)
reference ref.h5
interrupt INT microdata.h5; status=$?
[[ $status -eq 130 ]] || fail "event histories: SIGINT: exit $status, expected 130"
stopped_midway microdata.h5 "event histories"
check_resume microdata.h5 "event histories: SIGINT then --resume"
ls ./*.microdata-* >/dev/null 2>&1 && fail "event spool files left"

# PSA: a signal during the PSA keeps the finished base run and the finished draws in the
# checkpoint; --resume runs only the other draws, and the file (base run and /analysis)
# equals an uninterrupted one. The kill points of the same run without its PSA (its blocks
# and the result file, base_points) say where the PSA's begin. Each draw has two, its
# checkpoint save (--checkpoint-every 0), then its progress report: draw k (from 0) saves at
# kill point base_points + 2k and reports at base_points + 2k + 1.
sed 's/^psa: .*/psa: {draws: 10, agents_per_draw: 1024}/' \
  "$src/scenarios/us-women-screening-cea.yaml" >cea.yaml
grep -q '^psa: {draws: 10' cea.yaml || fail "no psa line to shrink in the CEA scenario"
sed '/^psa: /d' cea.yaml >cea-no-psa.yaml
run=(run cea-no-psa.yaml --agents 4000 --set years=10 --quiet --checkpoint-every 0)
reference no-psa.h5
base_points=$points
run[1]=cea.yaml
reference psa-ref.h5
# psa_resume SIGNAL AT LABEL DRAWS: interrupted at kill point AT with DRAWS draws saved;
# resumed. SIGINT reaches the run through a handler on whichever thread the kernel picks,
# so under load a draw more may finish before the run sees it: at least DRAWS are saved, and
# the resumed run restores exactly the draws the interrupted one said it saved.
psa_resume() {
  local signal=$1 at=$2 label=$3 draws=$4 failures_before=$failures status saved
  rm -f psa.h5 psa.h5.checkpoint
  interrupt "$signal" psa.h5 "$at"; status=$?
  [[ $status -ne 0 && -e psa.h5.checkpoint && ! -e psa.h5 ]] ||
    fail "$label: exit $status, checkpoint or result file wrong"
  saved=$draws
  if [[ $signal != KILL ]]; then
    # All blocks saved (the signal came after the base run, in the PSA), and the draws.
    saved=$(sed -En 's/^osteosim: ([0-9]+) of \1 blocks and ([0-9]+) PSA draws are saved.*/\2/p' psa.h5.stderr)
    [[ -n $saved && $saved -ge $draws && $saved -lt 10 ]] ||
      fail "$label: not saved as expected: $(cat psa.h5.stderr)"
  fi
  "$osteosim" "${run[@]/--quiet/}" -o psa.h5 --threads 2 --resume >psa.out 2>psa.err ||
    fail "$label: --resume failed: $(tail -3 psa.err)"
  grep -Eq "^osteosim: resuming from psa.h5.checkpoint: ([0-9]+) of \1 blocks and $saved PSA draws were done" psa.err ||
    fail "$label: the resumed run did not restore $saved draws: $(head -3 psa.err)"
  h5diff -q psa-ref.h5 psa.h5 /strategies /strategies || fail "$label: base run differs"
  h5diff -q psa-ref.h5 psa.h5 /analysis /analysis || fail "$label: /analysis differs"
  [[ $failures -eq $failures_before ]] && echo "ok: $label then --resume"
}
# SIGINT as draw 4 reports: draws 0-4 are saved, the run stops in draw 5.
psa_resume INT $((base_points + 9)) "SIGINT during the PSA" 5
# kill -9 as draw 7's checkpoint is about to replace the last one: that holds draws 0-6.
psa_resume KILL $((base_points + 14)) "kill -9 during the PSA" 7

echo "$failures failure(s)"
[[ $failures -eq 0 ]]
