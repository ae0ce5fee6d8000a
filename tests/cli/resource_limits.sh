#!/usr/bin/env bash
# Resource limits end cleanly (issue 19, deliverable 5). A disk that fills up, or a
# file-size limit met, during a run (after the up-front size check) is exit 1 with the
# error, no temporary file, and the finished work in the checkpoint: --resume then gives
# the file an uninterrupted run gives (h5diff). Memory running out with 2 threads is exit
# 1 naming what ran out, not an abort (134). SIGXFSZ is not trapped here: osteosim must
# ignore it itself (its default action kills with 153).
# The moment is chosen with the test hook OSTEOSIM_TEST_KILL_AT/_SIGNAL=STOP (the run stops
# itself at its N-th progress report or file commit, src/common/kill_point.hpp); the test
# lowers the stopped process's file-size limit with prlimit and lets it go on.
# Usage: resource_limits.sh OSTEOSIM SOURCE_DIR
set -uo pipefail
osteosim=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
mkdir tmpdir && export TMPDIR=$tmp/tmpdir  # where a checkpoint with no room would go
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
command -v prlimit >/dev/null || { echo "FAIL: prlimit (util-linux) is missing"; exit 1; }

# One strategy, one year: the result (HDF5 objects) is several times its checkpoint.
run=(run "$src/scenarios/us-women-cohort-50.yaml" --agents 20000 --set years=1 --quiet
     --threads 1 --checkpoint-every 0)
"$osteosim" "${run[@]}" -o ref.h5 || fail "reference run failed"
points=$(OSTEOSIM_TEST_KILL_AT=count "$osteosim" "${run[@]}" -o count.h5 2>&1 |
         sed -n 's/^osteosim: kill points: //p')
[[ $points -ge 4 ]] || { echo "FAIL: no kill points counted ($points)"; exit 1; }

# stop_at N OUT: starts the run, which stops itself at kill point N; sets $pid once stopped.
stop_at() {
  OSTEOSIM_TEST_KILL_SIGNAL=STOP OSTEOSIM_TEST_KILL_AT=$1 "$osteosim" "${run[@]}" -o "$2" \
    2>"$2.stderr" &
  pid=$!
  for _ in $(seq 400); do [[ $(ps -o stat= -p "$pid") == T* ]] && return; sleep 0.05; done
  fail "$2: the run did not stop at kill point $1"; kill -KILL "$pid"
}

# finish_with LIMIT OUT: sets the stopped run's file-size limit, lets it go on, checks it
# failed cleanly, then resumes it without the limit and compares with the reference.
finish_with() {
  local limit=$1 out=$2
  prlimit --pid "$pid" --fsize="$limit": || fail "$out: prlimit failed"
  kill -CONT "$pid"; wait "$pid"; local status=$?
  [[ $status -eq 1 ]] || fail "$out: exit $status, expected 1 (153: killed by SIGXFSZ)"
  grep -q "File too large" "$out.stderr" || fail "$out: no 'File too large' in: $(cat "$out.stderr")"
  grep -q -- "--resume" "$out.stderr" || fail "$out: the message does not say --resume"
  [[ ! -e $out ]] || fail "$out: a result file was left"
  [[ -e $out.checkpoint ]] || fail "$out: no checkpoint kept"
  local left; left=$(find "$tmp" -name '*.tmp-*')
  [[ -z $left ]] || fail "$out: temporary files left: $left"
  "$osteosim" "${run[@]}" -o "$out" --resume || fail "$out: --resume failed"
  h5diff -q ref.h5 "$out" /strategies /strategies || fail "$out: resumed result differs"
}

# ok MESSAGE: says MESSAGE if nothing failed since the last ok.
reported_failures=0
ok() {
  [[ $failures -eq $reported_failures ]] && echo "ok: $*"
  reported_failures=$failures
}

# 1. The result cannot be written (the disk "fills up" after the last block): the
# checkpoint fits under the limit and holds every block.
stop_at $((points - 1)) result.h5
checkpoint_bytes=$(stat -c %s result.h5.checkpoint)
(( $(stat -c %s ref.h5) > checkpoint_bytes + 8192 )) ||
  fail "premise: the result is not larger than its checkpoint; use more objects or fewer years"
finish_with $((checkpoint_bytes + 4096)) result.h5
grep -q "blocks are saved in result.h5.checkpoint" result.h5.stderr ||
  fail "result.h5: the message does not name the checkpoint: $(cat result.h5.stderr)"
ok "no room for the result: exit 1, checkpoint kept, --resume identical"

# 2. Not even the checkpoint fits (after two blocks saved): neither next to the result nor
# in TMPDIR; the message says what is lost and that the earlier checkpoint remains.
stop_at 4 nothing.h5
finish_with 1024 nothing.h5
grep -q "since the checkpoint nothing.h5.checkpoint was saved are lost" nothing.h5.stderr ||
  fail "nothing.h5: the message does not say what is lost: $(cat nothing.h5.stderr)"
[[ -z $(ls tmpdir) ]] || fail "nothing.h5: files left in TMPDIR: $(ls tmpdir)"
ok "no room for the checkpoint: exit 1, what is lost said, earlier checkpoint resumed"

# 3. Memory: 2 threads, each with the tallies of 6 strategies x 100 years (~9 MB). Limits
# from ample to too small for the process to start: every run ends 0 or 1, never with an
# abort, and at least one runs out inside the simulation with the message naming it.
if ldd "$osteosim" | grep -Eq 'lib(a|t)san'; then
  echo "skip: ulimit -v under a sanitizer (its shadow memory needs terabytes of addresses)"
else
  run=(run "$src/scenarios/us-women-screening-policies.yaml" --agents 20000 --set years=100
       --quiet --threads 2 --checkpoint-every 0)
  "$osteosim" "${run[@]}" -o ref.h5 --force || fail "memory: reference run failed"
  out_of_memory=0
  for mb in 120 100 90 80 75 70 65 60 55 50 45 40 35 30; do
    rm -f memory.h5 memory.h5.checkpoint
    bash -c 'ulimit -v $(($0 * 1024)); exec "$@"' "$mb" "$osteosim" "${run[@]}" -o memory.h5 \
      2>memory.stderr
    status=$?
    [[ $status -eq 0 || $status -eq 1 ]] || fail "memory: ulimit -v ${mb} MB: exit $status"
    if [[ $status -eq 1 ]] && grep -q "out of memory while" memory.stderr; then
      out_of_memory=1
      ok "ulimit -v ${mb} MB: $(grep -o 'out of memory while [a-z ]*[0-9]*' memory.stderr)"
      if [[ -e memory.h5.checkpoint ]]; then
        "$osteosim" "${run[@]}" -o memory.h5 --resume || fail "memory: --resume failed"
        h5diff -q ref.h5 memory.h5 /strategies /strategies || fail "memory: resumed result differs"
        ok "its checkpoint resumed to an identical result"
      fi
      break
    fi
  done
  [[ $out_of_memory -eq 1 ]] || fail "memory: no limit gave 'out of memory while' (exit 1)"
fi

echo "$failures failure(s)"
[[ $failures -eq 0 ]]
