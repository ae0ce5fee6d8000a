#!/usr/bin/env bash
# Damaged and edited result files (issue 19): summary, describe and export refuse each with
# exit 2 and a message naming the file, never crash (a 4 KB block of flipped bytes once
# crashed `describe` inside libhdf5), never print a table from impossible numbers (an edited
# file once gave negative fracture counts and "nan persons" with exit 0), never allocate
# what an edited file declares (a 2^40-value dataset once gave std::bad_alloc, exit 1).
# Edits are made with h5py, as a user would, then the file is sealed again the way
# osteosim seals it, so that the readers' own checks are reached, not only the seal.
# Usage: damaged_results.sh OSTEOSIM SOURCE_DIR
set -uo pipefail
osteosim=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
export OSTEOSIM_MODEL_PATH=$src/models
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# refused FILE TEXT: every reader exits 2 naming FILE, with TEXT in its message.
refused() {
  local file=$1 text=$2 output status
  for command in "summary $file" "describe $file" "export $file --csv $file.csv --force" \
                 "export $file --csv-dir $file.dir --force"; do
    # shellcheck disable=SC2086
    output=$(timeout 60 "$osteosim" $command 2>&1); status=$?
    if [[ $status -ne 2 || $output != *"'$file'"* || $output != *"$text"* ]]; then
      fail "osteosim $command exited $status (expected 2, '$text'): $(head -c 300 <<<"$output")"
    else
      echo "ok: osteosim $command -> 2"
    fi
  done
}

"$osteosim" run "$src/scenarios/us-women-cohort-50.yaml" --agents 2000 --set years=3 --quiet \
  --microdata 20 -o ref.h5 || { echo "FAIL: reference run failed"; exit 1; }
size=$(stat -c %s ref.h5)

# 4 KB of flipped bytes in the middle, as in the report; a flipped bit in the seal itself.
/usr/bin/python3 - "$size" <<'PY'
import random, shutil, sys
size = int(sys.argv[1])
data = bytearray(open("ref.h5", "rb").read())
rng = random.Random(19)
for i in range(size // 2, size // 2 + 4096):
    data[i] ^= rng.randrange(1, 256)
open("flipped.h5", "wb").write(data)
data = bytearray(open("ref.h5", "rb").read())
data[30] ^= 0x01
open("seal-bit.h5", "wb").write(data)
PY
refused flipped.h5 "is damaged"
refused seal-bit.h5 "is damaged"
head -c $((size - 1)) ref.h5 >cut.h5
refused cut.h5 "is truncated"

# Edited with h5py: the seal no longer matches.
cp ref.h5 edited.h5
/usr/bin/python3 -c '
import h5py
with h5py.File("edited.h5", "a") as f:
    f["strategies/natural-history/fractures"][0, 0, 0, 0] = -5
'
refused edited.h5 "changed after osteosim wrote it"

# Edited and sealed again: the readers' checks of what osteosim writes.
edit_and_seal() {  # edit_and_seal FILE PYTHON-STATEMENTS-ON-f
  cp ref.h5 "$1"
  /usr/bin/python3 - "$1" "$2" <<'PY'
import sys, zlib
import h5py
path, statements = sys.argv[1], sys.argv[2]
with h5py.File(path, "a") as f:
    exec(statements)
# The seal as osteosim writes it: 512 bytes, the length and CRC-32 of the rest.
data = open(path, "rb").read()
body = data[512:]
text = f"osteosim-seal 1\nbytes {len(body)}\ncrc32 {zlib.crc32(body):08x}\n".encode()
open(path, "r+b").write(text.ljust(512, b"\0"))
PY
}
edit_and_seal negative.h5 'f["strategies/natural-history/fractures"][0, 0, 0, 0] = -5'
refused negative.h5 "holds the count -5"
edit_and_seal nan-persons.h5 'f.attrs["persons_per_agent"] = float("nan")'
refused nan-persons.h5 "'persons_per_agent' is nan"
edit_and_seal huge.h5 '
del f["strategies/natural-history/falls"]
f.create_dataset("strategies/natural-history/falls", shape=(2**40,), dtype="i8", chunks=(4096,))'
refused huge.h5 "declares 1099511627776 values"
edit_and_seal no-falls.h5 'del f["strategies/natural-history/falls"]'
refused no-falls.h5 "'falls' of strategy 'natural-history' is missing"

# Without an edit, the file sealed again is read: the test seals as osteosim does, so the
# refusals above come from the edits.
edit_and_seal resealed.h5 'pass'
"$osteosim" summary resealed.h5 >/dev/null || fail "summary of a file sealed by the test failed"
"$osteosim" summary ref.h5 >/dev/null || fail "summary of the intact file failed"

echo "$failures failure(s)"
[[ $failures -eq 0 ]]
