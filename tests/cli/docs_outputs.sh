#!/usr/bin/env bash
# docs/outputs.md must be exactly what the writer's declarations generate, so the
# documentation cannot drift from the files. Fix a failure with scripts/describe.
# Also: `describe` of a real file lists every declared variable, and bad input exits 2.
# Usage: docs_outputs.sh OSTEOSIM SOURCE_DIR
set -uo pipefail
osteosim=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

"$osteosim" describe --markdown > "$tmp/outputs.md" || fail "describe --markdown exited $?"
if ! diff -u "$src/docs/outputs.md" "$tmp/outputs.md"; then
  fail "docs/outputs.md differs from 'osteosim describe --markdown'; run scripts/describe"
fi
grep -q '| `fractures` | variable | year, sex, age_band, site | int64 | fractures |' "$tmp/outputs.md" \
  || fail "dictionary lacks the fractures row"

# With event histories (--microdata), so that their groups are in the file too.
"$osteosim" run "$src/scenarios/us-women-cohort-50.yaml" -o "$tmp/out.h5" \
  --agents 1000 --microdata 100 --set years=2 --quiet || fail "run exited $?"
"$osteosim" describe "$tmp/out.h5" > "$tmp/file.txt" || fail "describe FILE exited $?"
# Every variable declared for a strategy group is in the file, with its dimensions.
"$osteosim" describe > "$tmp/dictionary.txt"
declared=$(awk '/^\/strategies/{on=1; next} /^\//{on=0} on && $1=="variable"{print $2}' "$tmp/dictionary.txt")
[[ -n "$declared" ]] || fail "no strategy variables in the dictionary"
for entry in $declared; do
  name=${entry%%(*}
  grep -q "^  variable $name(" "$tmp/file.txt" || fail "describe FILE lacks $name"
done
grep -q '@format = osteosim-results' "$tmp/file.txt" || fail "describe FILE lacks root attributes"

for args in "$tmp/none.h5" "$src/README.md" "$tmp/out.h5 --markdown"; do
  # shellcheck disable=SC2086
  output=$("$osteosim" describe $args 2>&1); status=$?
  [[ $status -eq 2 ]] || fail "describe $args exited $status, expected 2"
  [[ $args == *--markdown* || "$output" == *"${args%% *}"* ]] || fail "message does not name the file: $output"
done

((failures == 0)) && echo "ok: docs/outputs.md matches; describe works"
exit $((failures > 0))
