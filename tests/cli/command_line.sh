#!/usr/bin/env bash
# The executable's contract: exit codes, messages, and never a partial or clobbered file.
# Usage: command_line.sh OSTEOSIM SOURCE_DIR
set -uo pipefail
osteosim=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
failures=0

# expect CODE SUBSTRING -- command...: runs the command, checks exit code and stderr+stdout.
expect() {
  local code=$1 substring=$2; shift 3
  local output status
  output=$("$@" 2>&1); status=$?
  if [[ $status -ne $code ]]; then
    echo "FAIL: '$*' exited $status, expected $code"; echo "$output" | head -5; failures=$((failures + 1))
  elif [[ -n "$substring" && "$output" != *"$substring"* ]]; then
    echo "FAIL: '$*' output lacks '$substring'"; echo "$output" | head -5; failures=$((failures + 1))
  else
    echo "ok: $* -> $status"
  fi
}

scenario=$src/scenarios/us-women-cohort-50.yaml
small=(--agents 2000 --set years=3 --quiet)

expect 0 "osteosim 0." -- "$osteosim" --version
expect 0 "usage: osteosim run" -- "$osteosim" --help
expect 2 "no command given" -- "$osteosim"
expect 2 "unknown command 'rnu'" -- "$osteosim" rnu "$scenario"
expect 2 "unrecognised option '--agnets'" -- "$osteosim" run "$scenario" --agnets 5
expect 2 "missing scenario file" -- "$osteosim" run
expect 2 "the argument ('many') for option '--agents' is invalid" -- "$osteosim" run "$scenario" --agents many
expect 2 "--threads" -- "$osteosim" run "$scenario" -o "$tmp/t.h5" --threads -1
[[ ! -e "$tmp/t.h5" ]] || { echo "FAIL: bad --threads left a file"; failures=$((failures + 1)); }

# A good run writes the file and nothing else in the directory.
expect 0 "" -- "$osteosim" run "$scenario" -o "$tmp/out.h5" "${small[@]}"
[[ -f "$tmp/out.h5" ]] || { echo "FAIL: no output file"; failures=$((failures + 1)); }
leftovers=$(find "$tmp" -name '*.tmp-*' | wc -l)
[[ $leftovers -eq 0 ]] || { echo "FAIL: temporary files left"; failures=$((failures + 1)); }

# An existing file is kept unless --force.
before=$(sha256sum "$tmp/out.h5")
expect 2 "exists; use --force" -- "$osteosim" run "$scenario" -o "$tmp/out.h5" "${small[@]}" --seed 7
[[ "$(sha256sum "$tmp/out.h5")" == "$before" ]] || { echo "FAIL: existing file changed"; failures=$((failures + 1)); }
expect 0 "" -- "$osteosim" run "$scenario" -o "$tmp/out.h5" "${small[@]}" --seed 7 --force
[[ "$(sha256sum "$tmp/out.h5")" != "$before" ]] || { echo "FAIL: --force did not overwrite"; failures=$((failures + 1)); }

# Bad input: exit 2 before any output exists.
expect 2 "unknown key" -- "$osteosim" run "$scenario" -o "$tmp/bad.h5" --set yaers=3
[[ ! -e "$tmp/bad.h5" ]] || { echo "FAIL: bad input left a file"; failures=$((failures + 1)); }
expect 2 "" -- "$osteosim" run "$scenario" -o "$tmp/missing-dir/x.h5" "${small[@]}"

# summary: a result file, a text file, a missing file.
expect 0 "Strategy 'natural-history'" -- "$osteosim" summary "$tmp/out.h5"
echo "not hdf5" > "$tmp/text.h5"
expect 2 "" -- "$osteosim" summary "$tmp/text.h5"
expect 2 "" -- "$osteosim" summary "$tmp/none.h5"
head -c 2000 "$tmp/out.h5" > "$tmp/truncated.h5"
expect 2 "" -- "$osteosim" summary "$tmp/truncated.h5"

# Several scenario files in one run: their strategies side by side.
cp "$scenario" "$tmp/us-women-cohort-50.yaml"
cat > "$tmp/other.yaml" <<YAML
schema_version: 1
name: more-falls
extends: us-women-cohort-50
strategies:
  - name: falls-plus-20
    set: {falls.annual_rate_scale: 1.2}
YAML
expect 0 "Strategy 'falls-plus-20'" -- "$osteosim" run "$scenario" "$tmp/other.yaml" -o "$tmp/two.h5" --agents 2000 --set years=3

echo "$failures failure(s)"
[[ $failures -eq 0 ]]
