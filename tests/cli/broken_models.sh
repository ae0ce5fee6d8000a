#!/usr/bin/env bash
# Broken model folders must make `osteosim check` exit with code 2 (bad input) and name the
# file, key and folder, instead of running into a plausible-looking result (issue 18): a
# model without economics.yaml, an economics.yaml missing a key, a model whose `name` is not
# its folder's. Each case is the tiny test model (tests/scenarios/models/tiny) copied to a
# temporary folder with one thing broken, so the cases share no copied fixtures.
# Usage: broken_models.sh OSTEOSIM SOURCE_DIR
set -uo pipefail
osteosim=$1 src=$2
case $osteosim in /*) ;; *) osteosim=$PWD/$osteosim ;; esac
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1  # relative paths: messages are checked as users see them
mkdir -p models scenarios
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# make_case NAME: models/NAME, a copy of the tiny model named NAME, and scenarios/NAME.yaml
# (tests/scenarios/broken/base-ok.yaml) that runs it.
make_case() {
  cp -r "$src/tests/scenarios/models/tiny" "models/$1"
  sed -i "s/^name: tiny\$/name: $1/" "models/$1/model.yaml"
  sed "s/^model: tiny\$/model: $1/; s/^name: base-ok\$/name: $1/" \
    "$src/tests/scenarios/broken/base-ok.yaml" >"scenarios/$1.yaml"
}

# expect NAME CODE TEXT...: `osteosim check scenarios/NAME.yaml` exits CODE, stderr has each TEXT.
expect() {
  local name=$1 code=$2 output status text; shift 2
  output=$(timeout 20 "$osteosim" check "scenarios/$name.yaml" 2>&1 >/dev/null); status=$?
  [[ $status -eq $code ]] || { fail "$name exited $status (expected $code): $output"; return; }
  for text in "$@"; do
    [[ $output == *"$text"* ]] || { fail "$name: stderr lacks '$text': $output"; return; }
  done
  echo "ok: $name -> $status"
}

# The unbroken copy passes: the failures below come from what each case breaks.
make_case intact
expect intact 0

make_case no-economics
rm models/no-economics/economics.yaml
expect no-economics 2 "scenarios/no-economics.yaml:4: key 'model': the model folder" \
  "models/no-economics has no economics.yaml"

make_case economics-missing-key
sed -i '/^ *dxa:/d' models/economics-missing-key/economics.yaml
expect economics-missing-key 2 "models/economics-missing-key/economics.yaml:" \
  "key 'costs.dxa': required key is missing"

make_case misnamed
sed -i 's/^name: misnamed$/name: tiny/' models/misnamed/model.yaml
expect misnamed 2 "models/misnamed/model.yaml:3: key 'name': model name 'tiny' differs from" \
  "its folder name 'misnamed'"

echo "$failures failure(s)"
[[ $failures -eq 0 ]]
