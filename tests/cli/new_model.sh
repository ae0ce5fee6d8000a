#!/usr/bin/env bash
# docs/new-model.md end to end, on a small copy: make a model "testland-2025" from us-2025 with
# the hip incidence table scaled by 0.8, calibrate it, validate it, run a scenario on it, and
# check that the result names the new model and has fewer hip fractures than an unchanged copy.
# Every command marked `guide` must appear verbatim in docs/new-model.md (so the guide cannot
# drift from what is tested); the test appends small-run options (few agents, one thread).
# Usage: new_model.sh OSTEOSIM SOURCE_DIR
set -uo pipefail
bin=$(realpath "$1") src=$(realpath "$2")
doc=$src/docs/new-model.md
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
[[ -f "$doc" ]] || { echo "FAIL: $doc missing"; exit 1; }

osteosim() { "$bin" "$@"; }  # the guide's commands call `osteosim`
# guide 'CMD' [OPTIONS...]: CMD must be in the guide verbatim; runs it with OPTIONS appended.
# Its exit status is the command's.
guide() {
  local cmd=$1; shift
  # (to stderr: the command's stdout may be redirected to a file)
  grep -qF -- "$cmd" "$doc" || fail "command not in docs/new-model.md: $cmd" >&2
  eval "$cmd $*"
}

# A scratch copy of the parts of the source tree the guide touches; the guide runs from its root.
repo=$tmp/repo
mkdir -p "$repo/tests/validation" "$repo/scripts" "$repo/docs"
cp -r "$src/models" "$src/scenarios" "$repo/"
cp -r "$src/tests/validation/targets" "$repo/tests/validation/"
cp "$src/scripts/validate" "$repo/scripts/"
cd "$repo" || exit 1
small_run=(--agents 20000 --threads 1 --quiet)
small_calibration=(--agents 20000 --max-iterations 3 --threads 1 --quiet)

# make MODEL SCALE: the guide's steps 1-4 for MODEL, hip incidence scaled by SCALE.
make_model() {
  M=$1
  local scale=$2
  guide 'C=${M%%-*}'
  # 1. Copy and rename.
  guide 'cp -r models/us-2025 "models/$M"' || fail "$M: copy"
  guide 'sed -i "s/^name: .*/name: $M/" "models/$M/model.yaml"' || fail "$M: rename"
  grep -qx "name: $M" "models/$M/model.yaml" || fail "$M: model.yaml does not say name: $M"
  # 2. Replace a table: same header and age bands, new numbers, the source column says where from.
  if [[ $scale != 1 ]]; then
    awk -F, -v OFS=, -v k="$scale" '
      /^#/ || $1 == "age" { print; next }
      { $2 = sprintf("%.0f", $2 * k); $3 = sprintf("%.0f", $3 * k); $4 = "TEST DATA"; print }' \
      "models/us-2025/tables/hip_incidence_per_100k.csv" > "models/$M/tables/hip_incidence_per_100k.csv"
  fi
  # 3. Calibrate.
  guide 'sed "s/us-2025/$M/g" scenarios/calibration-us-2025.yaml > "scenarios/calibration-$M.yaml"' \
    || fail "$M: calibration scenario"
  guide 'osteosim check "scenarios/calibration-$M.yaml" > /dev/null' || fail "$M: check exited $?"
  # Exit 1 = did not converge (expected at so few agents); the tables are written either way.
  guide 'osteosim calibrate "scenarios/calibration-$M.yaml" --force' "${small_calibration[@]}" \
    > "$tmp/calibrate-$M.txt"
  local status=$?
  [[ $status -eq 0 || $status -eq 1 ]] || fail "$M: calibrate exited $status"
  grep -q "calibration/hip_multiplier.csv" "$tmp/calibrate-$M.txt" || fail "$M: calibrate output"
  local record=models/$M/calibration/record.yaml
  grep -q "^model: $M\$" "$record" || fail "$M: record.yaml does not name the model"
  local sha
  sha=$(sha256sum "models/$M/tables/hip_incidence_per_100k.csv" | cut -d' ' -f1)
  grep -q "hip: {table: \"hip_incidence_per_100k.csv\", sha256: $sha" "$record" \
    || fail "$M: record.yaml was not fitted to the new hip table"
  # 4. A scenario on the new model.
  guide 'sed "s/sweden-2025/$M/g; s/sweden-/$C-/g" scenarios/sweden-population-2025.yaml > "scenarios/$C-population-2025.yaml"' \
    || fail "$M: population scenario"
  guide 'mkdir -p results'
  guide 'osteosim run "scenarios/$C-population-2025.yaml" -o "results/$C-population-2025.h5"' \
    "${small_run[@]}" --set years=3 || fail "$M: run exited $?"
  guide 'osteosim summary "results/$C-population-2025.h5"' > "$tmp/summary-$M.txt" \
    || fail "$M: summary exited $?"
  grep -q "(model $M)" "$tmp/summary-$M.txt" || fail "$M: summary does not name model $M"
}

M=testland-2025
make_model testland-2025 0.8
grep -q "TEST DATA" models/testland-2025/tables/hip_incidence_per_100k.csv || fail "hip table not replaced"

# 5. Validate: the cohort scenario, validate-probe, and scripts/validate when Python has h5py.
M=testland-2025 C=testland
guide 'sed "s/sweden-2025/$M/g; s/sweden-/$C-/g" scenarios/sweden-cohort-50-both-sexes.yaml > "scenarios/$C-cohort-50-both-sexes.yaml"' \
  || fail "cohort scenario"
guide 'osteosim validate-probe "scenarios/$C-cohort-50-both-sexes.yaml"' --agents 2000 --threads 1 \
  > "$tmp/probe.csv" || fail "validate-probe exited $?"
head -1 "$tmp/probe.csv" | grep -qx "metric,sex,age,events,denominator" || fail "validate-probe header"
grep -q "^hip_fracture_mortality_1y,female,65+," "$tmp/probe.csv" || fail "validate-probe rows"
guide 'cp tests/validation/targets/us-2025.csv "tests/validation/targets/$M.csv"' || fail "targets copy"
if /usr/bin/python3 -c 'import h5py, matplotlib, numpy' 2>/dev/null; then
  # TMPDIR: scripts/validate leaves its own temporary folder behind; keep it inside ours.
  TMPDIR=$tmp guide 'scripts/validate --model "$M"' --agents 2000 --threads 1 --binary "$bin" 2> "$tmp/validate.txt" \
    || { fail "scripts/validate exited $?"; cat "$tmp/validate.txt"; }
  grep -q "^# Validation of models/testland-2025" docs/validation-testland-2025.md \
    || fail "scripts/validate did not write docs/validation-testland-2025.md"
else
  echo "skip: scripts/validate (python3 h5py/matplotlib/numpy not installed)"
fi

# The changed table changes the result: an unchanged copy, made and run the same way (same
# seeds, common random numbers), has more hip fractures.
make_model refland-2025 1
hips() {
  osteosim export "results/$1-population-2025.h5" --csv "$tmp/$1.csv" --force 2>/dev/null
  awk -F, '$5 == "hip" && $10 == "fractures" { n += $11 } END { print n + 0 }' "$tmp/$1.csv"
}
test_hips=$(hips testland) ref_hips=$(hips refland)
echo "hip fractures: testland-2025 (hip incidence x 0.8) $test_hips, unchanged copy $ref_hips"
[[ $ref_hips -gt 0 && $((test_hips * 100)) -lt $((ref_hips * 95)) ]] \
  || fail "hip incidence x 0.8 did not lower hip fractures ($test_hips vs $ref_hips)"

# A scenario naming a model folder that does not exist fails with exit 2 and says where it looked.
sed "s/^model: .*/model: testlnd-2025/" scenarios/testland-population-2025.yaml > scenarios/typo.yaml
output=$(osteosim check scenarios/typo.yaml 2>&1); status=$?
[[ $status -eq 2 && $output == *"model 'testlnd-2025' not found"* ]] \
  || fail "misspelt model: exit $status, '$output'"

if [[ $failures -gt 0 ]]; then echo "$failures failure(s)"; exit 1; fi
echo "all new-model checks passed"
