#!/usr/bin/env bash
# Broken model folders must make `osteosim check` exit with code 2 (bad input) and name the
# file, key and folder, instead of running into a plausible-looking result (issue 18): a
# model without economics.yaml, an economics.yaml missing a key, a model whose `name` is not
# its folder's. Each case is the tiny test model (tests/scenarios/models/tiny) copied to a
# temporary folder with one thing broken, so the cases share no copied fixtures.
# Usage: broken_models.sh PATH/TO/osteosim SOURCE_DIR
set -u
binary=${1:?usage: broken_models.sh OSTEOSIM SOURCE_DIR}
source_dir=${2:?usage: broken_models.sh OSTEOSIM SOURCE_DIR}
case $binary in /*) ;; *) binary=$PWD/$binary ;; esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Relative paths, so the messages are checked as users see them.
cd "$work" || exit 1
mkdir -p models scenarios

failures=0
cases=0

# make_case NAME: models/NAME, a copy of the tiny model named NAME, and scenarios/NAME.yaml
# that runs it.
make_case() {
  cp -r "$source_dir/tests/scenarios/models/tiny" "models/$1"
  sed -i "s/^name: tiny\$/name: $1/" "models/$1/model.yaml"
  sed "s/^model: tiny\$/model: $1/; s/^name: base-ok\$/name: $1/" \
    "$source_dir/tests/scenarios/broken/base-ok.yaml" >"scenarios/$1.yaml"
}

# expect CASE STATUS TEXT...: `osteosim check scenarios/CASE.yaml` exits with STATUS and
# prints every TEXT on stderr.
expect() {
  local name=$1 expected_status=$2 problem="" stderr status text
  shift 2
  cases=$((cases + 1))
  stderr=$(timeout 20 "$binary" check "scenarios/$name.yaml" 2>&1 >/dev/null)
  status=$?
  if [ "$status" -ne "$expected_status" ]; then
    problem="exit code $status, expected $expected_status"
  else
    for text in "$@"; do
      [[ $stderr == *"$text"* ]] || problem="stderr lacks: $text"
    done
  fi
  if [ -z "$problem" ]; then
    echo "ok   $name"
  else
    echo "FAIL $name: $problem"
    printf '     stderr: %s\n' "$stderr"
    failures=$((failures + 1))
  fi
}

# The unbroken copy passes: the failures below come from what each case breaks.
make_case intact
expect intact 0

make_case no-economics
rm models/no-economics/economics.yaml
expect no-economics 2 "scenarios/no-economics.yaml:4: key 'model': the model folder" \
  "models/no-economics has no economics.yaml"

make_case economics-missing-key
sed -i '/^ *dxa_usd:/d' models/economics-missing-key/economics.yaml
expect economics-missing-key 2 "models/economics-missing-key/economics.yaml:" \
  "key 'costs.dxa_usd': required key is missing"

make_case misnamed
sed -i 's/^name: misnamed$/name: tiny/' models/misnamed/model.yaml
expect misnamed 2 "models/misnamed/model.yaml:3: key 'name': model name 'tiny' differs from its folder name 'misnamed'"

echo "$cases cases, $failures failed"
[ "$failures" -eq 0 ]
