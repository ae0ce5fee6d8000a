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

scenario=$src/scenarios/us-women-cohort-50.yaml
# ~100 blocks: long enough (a few seconds) to be interrupted midway on a busy machine.
run=(run "$scenario" --agents 250000 --quiet)

"$osteosim" "${run[@]}" -o ref.h5 --threads 2 || fail "reference run failed"

# interrupt SIGNAL OUT: starts a run saving a checkpoint after every block, sends SIGNAL once
# the first checkpoint exists, and echoes the exit code.
interrupt() {
  local signal=$1 out=$2
  "$osteosim" "${run[@]}" -o "$out" --threads 1 --checkpoint-every 0 2>"$out.stderr" &
  local pid=$!
  for _ in $(seq 600); do [[ -e $out.checkpoint ]] && break; sleep 0.05; done
  kill "-$signal" "$pid"
  wait "$pid"
}

# check_resume OUT LABEL [killed]: a clean stop leaves no temporary file; kill -9 may leave
# one (killed while saving), which the resumed run removes.
check_resume() {
  local out=$1 label=$2 killed=${3:-}
  [[ -e $out.checkpoint ]] || fail "$label: no checkpoint left"
  [[ ! -e $out ]] || fail "$label: a result file exists after the interruption"
  [[ -n $killed ]] || ! ls ./*.tmp-* >/dev/null 2>&1 || fail "$label: temporary files left"
  "$osteosim" "${run[@]}" -o "$out" --threads 2 --resume || fail "$label: --resume failed"
  ! ls ./*.tmp-* >/dev/null 2>&1 || fail "$label: temporary files left after --resume"
  h5diff -q ref.h5 "$out" /strategies /strategies || fail "$label: resumed result differs"
  [[ ! -e $out.checkpoint ]] || fail "$label: checkpoint not removed after success"
  echo "ok: $label"
}

interrupt INT int.h5; status=$?
[[ $status -eq 130 ]] || fail "SIGINT: exit $status, expected 130"
grep -q -- "--resume" int.h5.stderr || fail "SIGINT: message does not mention --resume"
check_resume int.h5 "SIGINT then --resume"

interrupt TERM term.h5; status=$?
[[ $status -eq 143 ]] || fail "SIGTERM: exit $status, expected 143"
check_resume term.h5 "SIGTERM then --resume"

interrupt KILL kill.h5; status=$?
[[ $status -eq 137 ]] || fail "kill -9: exit $status, expected 137"
check_resume kill.h5 "kill -9 then --resume" killed

# Refusals, all exit 2 and before any computing.
interrupt INT other.h5 >/dev/null
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
run=(run "$scenario" --agents 250000 --microdata 20000 --quiet)
"$osteosim" "${run[@]}" -o ref.h5 --threads 2 --force || fail "microdata reference run failed"
interrupt INT microdata.h5 >/dev/null
check_resume microdata.h5 "event histories: SIGINT then --resume"
ls ./*.microdata-* >/dev/null 2>&1 && fail "event spool files left"

# PSA: a signal during the PSA keeps the finished base run in the checkpoint; --resume
# runs the PSA again and the file (base run and /analysis) equals an uninterrupted one.
sed 's/psa: {draws: 200, agents_per_draw: 8192}/psa: {draws: 40, agents_per_draw: 2048}/' \
  "$src/scenarios/us-women-screening-cea.yaml" >cea.yaml
run=(run cea.yaml --agents 4000 --set years=20)
"$osteosim" "${run[@]}" -o psa-ref.h5 --quiet || fail "PSA reference run failed"
"$osteosim" "${run[@]}" -o psa.h5 --threads 1 2>psa.h5.stderr &
pid=$!
for _ in $(seq 1200); do grep -q "PSA" psa.h5.stderr && break; sleep 0.05; done
kill -INT "$pid"; wait "$pid"; status=$?
[[ $status -eq 130 ]] || fail "SIGINT in the PSA: exit $status, expected 130"
[[ -e psa.h5.checkpoint && ! -e psa.h5 ]] || fail "SIGINT in the PSA: no checkpoint, or a result file"
"$osteosim" "${run[@]}" -o psa.h5 --threads 2 --resume --quiet || fail "PSA --resume failed"
h5diff -q psa-ref.h5 psa.h5 /strategies /strategies || fail "PSA resumed: base run differs"
h5diff -q psa-ref.h5 psa.h5 /analysis /analysis || fail "PSA resumed: /analysis differs"
echo "ok: SIGINT during the PSA then --resume"

echo "$failures failure(s)"
[[ $failures -eq 0 ]]
