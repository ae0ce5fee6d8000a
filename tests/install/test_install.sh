#!/usr/bin/env bash
# The installed osteosim works without the source tree. Runs the README's "Install" block
# exactly as shown (from a checkout whose build/ is this build, with a fresh HOME), then
# checks that the installed binary took its models from the install, also when the install
# is moved, and that a missing model lists every place searched.
# Usage: test_install.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
build=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# The first ```sh block after "## Install" in the README: what a user types.
block=$(awk '/^## Install/ {in_section = 1; next}
             in_section && /^## / {exit}
             in_section && /^```sh/ {in_block = 1; next}
             in_block && /^```/ {exit}
             in_block' "$src/README.md")
[[ -n "$block" ]] || { echo "FAIL: no sh block in the README's Install section"; exit 1; }

home=$tmp/home prefix=$tmp/home/.local
mkdir -p "$home" "$tmp/checkout"
ln -s "$(cd "$build" && pwd)" "$tmp/checkout/build"
# The user's environment must not lead to the models: no OSTEOSIM_MODEL_PATH of our own.
output=$(cd "$tmp/checkout" && env -u OSTEOSIM_MODEL_PATH HOME="$home" \
         bash -euo pipefail -c "$block" 2>&1)
status=$?
echo "$output" | tail -20
[[ $status -eq 0 ]] || fail "the README's Install commands exited $status"

osteosim=$prefix/bin/osteosim
for f in bin/osteosim bin/osteosim-plot bin/osteosim-event-analysis \
         share/osteosim/models/us-2025/model.yaml share/osteosim/models/sweden-2025/model.yaml \
         share/osteosim/scenarios/us-women-cohort-50.yaml share/doc/osteosim/README.md \
         share/doc/osteosim/LICENSE share/doc/osteosim/CITATION.cff \
         share/doc/osteosim/CHANGELOG.md share/doc/osteosim/model.md; do
  [[ -e "$prefix/$f" ]] || fail "not installed: $f"
done
[[ -f "$home/my-study.h5" ]] || fail "the run of the copied scenario wrote no my-study.h5"
# The installed Python reader opens the result without the source tree.
reader=$(cd "$tmp" && PYTHONPATH="$prefix/share/osteosim/python" /usr/bin/python3 -c \
  'import osteosim, sys; print(osteosim.__file__, list(osteosim.open_result(sys.argv[1]).strategy.values))' \
  "$home/my-study.h5" 2>&1) || fail "the installed Python reader failed: $reader"
[[ "$reader" == "$prefix/share/osteosim/python/osteosim/"*"natural-history"* ]] ||
  fail "the installed Python reader did not open the result: $reader"
# OSTEOSIM_MODEL_PATH, as shown, replaces the shipped model.
[[ "$output" == *"folder: $home/my-models/us-2025"* ]] ||
  fail "OSTEOSIM_MODEL_PATH=~/my-models did not pick ~/my-models/us-2025"

# Which folder the installed binary uses on its own: the installed copy, found before the
# source tree's models (which exist and would also match), with OSTEOSIM_MODEL_PATH
# pointing nowhere.
folder_used() {  # BINARY SCENARIO -> the model folder of `osteosim check`
  OSTEOSIM_MODEL_PATH=$tmp/nowhere "$1" check "$2" 2>&1 | sed -n 's/^ *folder: //p'
}
used=$(folder_used "$osteosim" "$home/my-study.yaml")
[[ "$used" == "$prefix/share/osteosim/models/us-2025" ]] ||
  fail "installed osteosim used '$used', not $prefix/share/osteosim/models/us-2025"

# A moved install still finds its own models: they are found from the executable's path.
cp -a "$prefix" "$tmp/moved"
used=$(folder_used "$tmp/moved/bin/osteosim" "$home/my-study.yaml")
[[ "$used" == "$tmp/moved/share/osteosim/models/us-2025" ]] ||
  fail "moved osteosim used '$used', not $tmp/moved/share/osteosim/models/us-2025"

# A missing model: exit 2, naming every place searched, in order.
sed 's/^model: .*/model: no-such-model/' "$home/my-study.yaml" > "$tmp/missing.yaml"
message=$(OSTEOSIM_MODEL_PATH=$tmp/nowhere "$osteosim" check "$tmp/missing.yaml" 2>&1)
status=$?
[[ $status -eq 2 ]] || fail "a missing model exited $status, expected 2"
expected="looked for $tmp/nowhere/no-such-model/model.yaml, $(dirname "$tmp")/models/no-such-model/model.yaml"
expected+=", $prefix/share/osteosim/models/no-such-model/model.yaml"
expected+=", $src/models/no-such-model/model.yaml"
[[ "$message" == *"$tmp/missing.yaml:"*"key 'model'"*"$expected"* ]] ||
  fail "missing-model message: $message"

# CITATION.cff carries the project version.
version=$("$osteosim" --version | awk '{print $2}')
grep -qx "version: $version" "$prefix/share/doc/osteosim/CITATION.cff" ||
  fail "CITATION.cff version is not $version ($("$osteosim" --version))"

[[ $failures -eq 0 ]] && echo "install: all checks passed"
exit $((failures > 0))
