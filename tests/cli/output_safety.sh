#!/usr/bin/env bash
# Output safety: impossible destinations and absurd runs are refused (exit 2) before any
# computing; a disk that fills up while writing (a file-size limit) gives a clear error
# (exit 1) and leaves no partial file; damaged result files are reported by `summary`
# (exit 2), never crash it. Usage: output_safety.sh OSTEOSIM SOURCE_DIR
set -uo pipefail
osteosim=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# expect CODE TEXT COMMAND...: exit code and a substring of stdout+stderr.
expect() {
  local code=$1 text=$2; shift 2
  local output status
  output=$(timeout 120 "$@" 2>&1); status=$?  # a refusal that does not come is a failure
  if [[ $status -ne $code || $output != *"$text"* ]]; then
    fail "'$*' exited $status (expected $code), output: $(head -c 400 <<<"$output")"
  else
    echo "ok: $* -> $status"
  fi
}
no_leftovers() {
  local found; found=$(find "$tmp" -name '*.tmp-*' -o -name "$1")
  [[ -z $found ]] || fail "files left behind: $found"
}

scenario=$src/scenarios/us-women-cohort-50.yaml
small=(--agents 2000 --quiet)

# Unwritable destinations (root bypasses permissions: use a path under a regular file).
touch plain-file
expect 2 "does not exist" "$osteosim" run "$scenario" "${small[@]}" -o plain-file/out.h5
expect 2 "does not exist" "$osteosim" run "$scenario" "${small[@]}" -o no-such-dir/out.h5
expect 2 "is a directory" "$osteosim" run "$scenario" "${small[@]}" -o "$tmp"

# A file-size limit below anything the result could take: refused before computing.
# SIGXFSZ is ignored so that write() fails with EFBIG instead of killing the process.
expect 2 "file-size limit" bash -c 'trap "" XFSZ; ulimit -f 1; exec "$@"' _ \
  "$osteosim" run "$scenario" "${small[@]}" -o tiny.h5
no_leftovers tiny.h5

# A limit just below the real file is refused up front too: the check's size is an upper
# bound (tests/unit/test_estimate_files.cpp). A disk that fills up during the run, past the
# check, is tests/cli/resource_limits.sh.
"$osteosim" run "$scenario" "${small[@]}" -o ref.h5 || fail "reference run failed"
limit_kb=$(( $(stat -c %s ref.h5) / 1024 - 8 ))
expect 2 "file-size limit" bash -c 'ulimit -f "$0"; exec "$@"' "$limit_kb" \
  "$osteosim" run "$scenario" "${small[@]}" -o full.h5
no_leftovers full.h5

# Absurd requests: refused up front with guidance, exit 2. (One cohort of 10^10 agents for
# 100 years is 5.8 days on 1 thread at the estimate's throughput: six strategies make it 35.)
expect 2 "fewer --agents" "$osteosim" run "$src/scenarios/us-women-screening-policies.yaml" \
  --agents 10000000000 --set years=100 --threads 1 -o absurd.h5
[[ ! -e absurd.h5 ]] || fail "absurd run wrote a file"
# A PSA of a million draws of a million agents, with a small base run: its draws count.
sed 's/^psa: .*/psa: {draws: 1000000, agents_per_draw: 1000000}/' \
  "$src/scenarios/us-women-screening-cea.yaml" >huge-psa.yaml
OSTEOSIM_MODEL_PATH=$src/models expect 2 "fewer psa.draws" "$osteosim" run huge-psa.yaml \
  "${small[@]}" --threads 1 -o huge-psa.h5
[[ ! -e huge-psa.h5 ]] || fail "huge PSA wrote a file"
expect 0 "# estimate: " "$osteosim" check "$scenario"

# Damaged result files: every truncation and a zeroed block are refused (exit 2, naming the
# file), not crashed on and not shown: the seal (output/file_seal.hpp) covers every byte.
size=$(stat -c %s ref.h5)
for keep in 0 8 512 2048 $((size / 3)) $((size / 2)) $((size - 100)); do
  head -c "$keep" ref.h5 > cut.h5
  expect 2 "cut.h5" "$osteosim" summary cut.h5
done
# 4 KB of zeros at every 4 KB of the file (the seal, HDF5's metadata, the data): each copy
# is refused, naming the file. Without the seal, zeros in the data are shown as results
# (exit 0) and zeros in HDF5's metadata can crash libhdf5 or make it loop.
zeroed=0 failures_before=$failures
for ((at = 0; at < size; at += 4096)); do
  cp ref.h5 zeroed.h5
  dd if=/dev/zero of=zeroed.h5 bs=1 seek="$at" count=4096 conv=notrunc status=none
  cmp -s ref.h5 zeroed.h5 && continue  # zeros over zeros: nothing to refuse
  zeroed=$((zeroed + 1))
  output=$(timeout 120 "$osteosim" summary zeroed.h5 2>&1); status=$?
  [[ $status -eq 2 && $output == *"zeroed.h5"* ]] ||
    fail "summary of ref.h5 zeroed at byte $at exited $status (expected 2), output: ${output:0:300}"
done
((zeroed > size / 8192)) || fail "only $zeroed zeroed copies differ from ref.h5 ($size bytes)"
((failures == failures_before)) && echo "ok: $zeroed copies of ref.h5 with 4 KB zeroed are refused with exit 2"

echo "$failures failure(s)"
[[ $failures -eq 0 ]]
