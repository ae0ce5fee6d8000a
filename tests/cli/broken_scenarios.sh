#!/usr/bin/env bash
# Every file in tests/scenarios/broken/ with a first-line "# expect: TEXT" must make
# `osteosim check FILE` exit with code 2 (bad input) and print TEXT and the file's name on
# stderr. Files without that line (bases for `extends`) are skipped.
# Usage: broken_scenarios.sh PATH/TO/osteosim SOURCE_DIR
set -u
binary=${1:?usage: broken_scenarios.sh OSTEOSIM SOURCE_DIR}
source_dir=${2:?usage: broken_scenarios.sh OSTEOSIM SOURCE_DIR}
case $binary in /*) ;; *) binary=$PWD/$binary ;; esac
# Messages name files as given: run from the source tree with relative paths so the
# expectations do not depend on where the tree is checked out.
cd "$source_dir" || exit 1

failures=0
cases=0
for file in tests/scenarios/broken/*.yaml; do
  first_line=$(head -n 1 "$file")
  case $first_line in "# expect: "*) ;; *) continue ;; esac
  expected=${first_line#"# expect: "}
  cases=$((cases + 1))
  stderr=$(timeout 20 "$binary" check "$file" 2>&1 >/dev/null)
  status=$?
  name=$(basename "$file")
  problem=""
  if [ "$status" -ne 2 ]; then
    problem="exit code $status, expected 2"
  elif [[ $stderr != *"$expected"* ]]; then
    problem="stderr lacks: $expected"
  elif [[ $stderr != *"$name"* ]]; then
    problem="stderr does not name the file $name"
  fi
  if [ -z "$problem" ]; then
    echo "ok   $file"
  else
    echo "FAIL $file: $problem"
    printf '     stderr: %s\n' "$stderr"
    failures=$((failures + 1))
  fi
done
echo "$cases cases, $failures failed"
[ "$cases" -gt 0 ] && [ "$failures" -eq 0 ]
