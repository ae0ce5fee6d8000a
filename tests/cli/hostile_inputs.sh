#!/usr/bin/env bash
# Hostile inputs and paths (issue 19): FIFOs where files are read are refused at once, not
# waited on; a table of thousands of bad rows gives a short capped message quickly; every
# numeric option is range-checked; an output is never an input of the same run; and an
# output name the filesystem refuses is found before simulating. Each refusal is exit 2,
# names the file or option, and leaves no file behind.
# Usage: hostile_inputs.sh OSTEOSIM SOURCE_DIR
set -uo pipefail
osteosim=$1 src=$2
case $osteosim in /*) ;; *) osteosim=$PWD/$osteosim ;; esac
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1  # relative paths: messages are checked as users see them
mkdir -p models scenarios
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# expect CODE COMMAND... [-- TEXT...]: exit code CODE within 60 s (a FIFO that blocks or a
# run that simulates fails here instead of hanging), and each TEXT in stdout+stderr.
expect() {
  local code=$1 output status text; shift
  local command=()
  while (($#)) && [[ $1 != -- ]]; do command+=("$1"); shift; done
  (($#)) && shift
  output=$(timeout 60 "${command[@]}" 2>&1 </dev/null); status=$?
  [[ $status -eq $code ]] || { fail "'${command[*]}' exited $status (expected $code): $(head -c 600 <<<"$output")"; return; }
  for text in "$@"; do
    [[ $output == *"$text"* ]] || { fail "'${command[*]}': output lacks '$text': $(head -c 600 <<<"$output")"; return; }
  done
  echo "ok: osteosim ${command[*]:1:5} -> $status"
}
# no_files_like PATTERN: nothing matching PATTERN was left in the temporary folder.
no_files_like() {
  local found; found=$(find "$tmp" -name "$1" | head -3)
  [[ -z $found ]] || fail "files left behind: $found"
}

# The tiny test model and a scenario of it (100 agents, 5 years: a run takes milliseconds).
cp -r "$src/tests/scenarios/models/tiny" models/tiny
cp "$src/tests/scenarios/broken/base-ok.yaml" scenarios/base.yaml
base=scenarios/base.yaml
expect 0 "$osteosim" check "$base"

# --- Only regular files are read: a FIFO is refused without waiting for a writer.
cp -r models/tiny models/fifo
sed -i 's/^name: tiny$/name: fifo/' models/fifo/model.yaml
rm models/fifo/tables/rate.csv && mkfifo models/fifo/tables/rate.csv
sed 's/^model: tiny$/model: fifo/' "$base" >scenarios/fifo-table.yaml
expect 2 "$osteosim" check scenarios/fifo-table.yaml -- \
  "models/fifo/tables/rate.csv" "is not a regular file (a FIFO)"
mkfifo scenarios/fifo-base.yaml
printf 'schema_version: 1\nname: child\nextends: fifo-base\n' >scenarios/child.yaml
expect 2 "$osteosim" check scenarios/child.yaml -- \
  "scenarios/fifo-base.yaml" "is not a regular file (a FIFO)"
expect 2 "$osteosim" check scenarios/fifo-base.yaml -- "is not a regular file (a FIFO)"
mkfifo fifo.h5
for command in summary describe "export --csv out.csv"; do
  # shellcheck disable=SC2086  # the export case carries its options
  expect 2 "$osteosim" $command fifo.h5 -- "result file 'fifo.h5' is not a regular file"
done
no_files_like 'out.csv*'
# Nor is a FIFO (or a device: -o /dev/null as root) replaced by an output, even with --force.
expect 2 "$osteosim" run "$base" -o fifo.h5 --force --quiet -- "'fifo.h5' exists and is not a regular file"
[[ -p fifo.h5 ]] || fail "run -o FIFO --force replaced the FIFO"

# --- Errors are capped and collected in linear time: 20,000 bad rows, a short message.
cp -r models/tiny models/bad-rows
sed -i 's/^name: tiny$/name: bad-rows/' models/bad-rows/model.yaml
{
  echo "age,female,male"
  for ((age = 0; age < 20000; age++)); do echo "$age,x,0.2"; done
} >models/bad-rows/tables/rate.csv
sed 's/^model: tiny$/model: bad-rows/' "$base" >scenarios/bad-rows.yaml
expect 2 "$osteosim" check scenarios/bad-rows.yaml -- \
  "models/bad-rows/tables/rate.csv:2: column 'female': 'x' is not a number" "more errors"
lines=$(timeout 60 "$osteosim" check scenarios/bad-rows.yaml 2>&1 | wc -l)
((lines <= 110)) || fail "20,000 bad rows printed $lines lines (expected at most ~100)"

# --- Every numeric option is range-checked and named.
expect 2 "$osteosim" check "$base" --seed -1 -- "--seed" "'-1'"
expect 2 "$osteosim" check "$base" --seed 4294967296 -- "--seed" "4294967295"
expect 2 "$osteosim" check "$base" --seed +3 -- "--seed"
expect 2 "$osteosim" check "$base" --seed 12x -- "--seed"
expect 0 "$osteosim" check "$base" --seed 4294967295 -- "seed: 4294967295"
expect 2 "$osteosim" check "$base" --agents -5 -- "--agents"
expect 2 "$osteosim" check "$base" --agents 0 -- "--agents"
expect 2 "$osteosim" check "$base" --microdata -1 -- "microdata_agents"
expect 2 "$osteosim" run "$base" --threads 10000 -o threads.h5 -- "--threads" "limit of"
expect 2 "$osteosim" validate-probe "$base" --threads 10000 -- "--threads" "limit of"
expect 2 "$osteosim" calibrate "$base" --threads 10000 --output-dir cal -- "--threads"
for every in nan inf -1; do
  expect 2 "$osteosim" run "$base" --checkpoint-every "$every" -o every.h5 -- "--checkpoint-every"
done
no_files_like 'threads.h5*'
no_files_like 'every.h5*'
[[ ! -e cal ]] || fail "calibrate with a refused --threads made its output folder"

# --- An output is never an input of the same run; the input is left unchanged.
cp "$base" kept.yaml
expect 2 "$osteosim" run "$base" -o "$base" --force --quiet -- \
  "result file '$base' is the input file"
cmp -s "$base" kept.yaml || { fail "run -o SCENARIO --force changed the scenario"; cp kept.yaml "$base"; }
ln -s "$base" link.yaml
expect 2 "$osteosim" run "$base" -o link.yaml --force --quiet -- "is the input file"
cmp -s "$base" kept.yaml || { fail "run -o LINK-TO-SCENARIO --force changed the scenario"; cp kept.yaml "$base"; }
cp models/tiny/tables/rate.csv rate-kept.csv
expect 2 "$osteosim" run "$base" -o "./models/../models/tiny/tables/rate.csv" --force --quiet -- \
  "is the input file"
cmp -s models/tiny/tables/rate.csv rate-kept.csv ||
  { fail "run -o TABLE --force changed the table"; cp rate-kept.csv models/tiny/tables/rate.csv; }
expect 0 "$osteosim" run "$base" -o in.h5 --quiet
cp in.h5 in-kept.h5
expect 2 "$osteosim" export in.h5 --csv in.h5 --force -- "CSV file 'in.h5' is the input file"
expect 2 "$osteosim" export in.h5 --csv "$tmp/in.h5" --force -- "is the input file"
cmp -s in.h5 in-kept.h5 || fail "export --csv INPUT --force changed the result file"
expect 0 "$osteosim" export in.h5 --csv in.csv --quiet

# --- Every file the run will create is tried before simulating: a name too long for the
# filesystem is refused (exit 2, naming it) instead of failing after the whole run.
long=$(printf 'x%.0s' {1..5000})
expect 2 "$osteosim" run "$base" -o "$long.h5" --quiet -- "cannot create the result file" \
  "File name too long"
# The result's name fits (253 bytes of 255) but its temporary file's does not.
fits=$(printf 'y%.0s' {1..250})
expect 2 "$osteosim" run "$base" -o "$fits.h5" --quiet -- "cannot create the temporary result file" \
  "File name too long"
no_files_like 'xxxx*'
no_files_like 'yyyy*'

echo "$failures failure(s)"
[[ $failures -eq 0 ]]
