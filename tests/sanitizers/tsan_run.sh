#!/usr/bin/env bash
# ThreadSanitizer leg (run by scripts/test-sanitizers with a -DOSTEOSIM_TSAN=ON binary):
# a small 2-thread run with a checkpoint after every block, interrupted by SIGINT midway,
# resumed, and compared with an uninterrupted run. TSan exits 66 on any report. The SIGINT
# comes from the test hook (src/common/kill_point.hpp) at the middle one of the run's kill
# points, so the signal, checkpoint and resume paths are taken on any machine: a run that
# was not interrupted (exit 0) or left no checkpoint fails.
# Usage: tsan_run.sh OSTEOSIM SOURCE_DIR
set -uo pipefail
osteosim=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
run=(run "$src/scenarios/us-cohort-50-both-sexes.yaml" --agents 60000 --set years=15 --threads 2
  --checkpoint-every 0)

points=$(OSTEOSIM_TEST_KILL_AT=count "$osteosim" "${run[@]}" -o "$tmp/ref.h5" --quiet 2>&1 |
         tee "$tmp/ref.stderr" | sed -n 's/^osteosim: kill points: //p')
[[ -e $tmp/ref.h5 && -n $points ]] || { echo "FAIL: TSan run failed"; cat "$tmp/ref.stderr"; exit 1; }
OSTEOSIM_TEST_KILL_SIGNAL=INT OSTEOSIM_TEST_KILL_AT=$((points / 2)) \
  "$osteosim" "${run[@]}" -o "$tmp/cut.h5" >/dev/null 2>"$tmp/stderr"
status=$?
if [[ $status -ne 130 ]]; then
  echo "FAIL: the run interrupted at kill point $((points / 2)) of $points exited $status, expected 130"
  cat "$tmp/stderr"; exit 1
fi
[[ -e $tmp/cut.h5.checkpoint ]] || { echo "FAIL: no checkpoint after the interruption"; exit 1; }
"$osteosim" "${run[@]}" -o "$tmp/cut.h5" --quiet --resume || { echo "FAIL: resume exited $?"; exit 1; }
h5diff -q "$tmp/ref.h5" "$tmp/cut.h5" /strategies /strategies || { echo "FAIL: results differ"; exit 1; }
echo "ok: TSan 2-thread run, SIGINT at kill point $((points / 2)) of $points (exit 130), resumed:" \
  "no reports, identical results"
