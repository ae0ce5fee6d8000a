#!/usr/bin/env bash
# Every subcommand's --help: exit 0 on stdout, naming every option its parser accepts (the
# list comes from the binary, `osteosim --list-options SUBCOMMAND`) and the defaults; and a
# misspelt option gets a did-you-mean from that subcommand's options, exit 2 on stderr.
# Usage: help_options.sh OSTEOSIM SOURCE_DIR
set -uo pipefail
osteosim=$1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# has TEXT OPTION: OPTION appears as a whole option name (--set is not --settings).
has() { grep -qE -- "(^|[^a-z-])$2([^a-z-]|\$)" <<<"$1"; }

overview=$("$osteosim" --help) || fail "osteosim --help exited $?"
[[ "$overview" == *"osteosim SUBCOMMAND --help"* ]] || fail "osteosim --help does not point to SUBCOMMAND --help"
mapfile -t subcommands < <(grep -oE '^(usage:)? +osteosim [a-z][a-z-]*' <<<"$overview" | awk '{print $NF}')
# The overview must list at least the commands the README shows (guards a parse that finds none).
for known in run check summary calibrate validate-probe describe export; do
  [[ " ${subcommands[*]} " == *" $known "* ]] || fail "osteosim --help does not list '$known'"
done

for command in "${subcommands[@]}"; do
  for flag in --help -h; do
    help=$("$osteosim" "$command" "$flag" 2>/dev/null); status=$?
    [[ $status -eq 0 ]] || { fail "osteosim $command $flag exited $status"; continue; }
    [[ "$help" == *"usage: osteosim $command"* ]] || fail "osteosim $command $flag shows no usage"
  done
  [[ "$("$osteosim" help "$command")" == "$help" ]] || fail "osteosim help $command differs from --help"
  options=$("$osteosim" --list-options "$command") || { fail "--list-options $command exited $?"; continue; }
  [[ -n "$options" ]] || fail "--list-options $command lists nothing"
  before=$failures
  for option in $options; do
    has "$help" "$option" || fail "osteosim $command --help lacks $option"
  done
  ((failures == before)) && echo "ok: osteosim $command --help names its $(wc -w <<<"$options") options"
done

# What issue 18 found missing from every help text, and the defaults shown beside options.
run_help=$("$osteosim" run --help)
for option in --resume --checkpoint-every --threads --quiet -o --output --agents --seed --set \
              --microdata --force; do
  has "$run_help" "$option" || fail "osteosim run --help lacks $option"
done
grep -qE -- '--threads T \(=0\)' <<<"$run_help" || fail "run --help: no default for --threads"
grep -qE -- '--checkpoint-every SECONDS \(=60\)' <<<"$run_help" || fail "run --help: no default for --checkpoint-every"
grep -q -- 'default: SCENARIO-NAME.h5' <<<"$run_help" || fail "run --help: no default for -o"
calibrate_help=$("$osteosim" calibrate --help)
grep -qE -- '--max-iterations N \(=30\)' <<<"$calibrate_help" || fail "calibrate --help: no default for --max-iterations"
grep -qE -- '--tolerance T \(=0.005\)' <<<"$calibrate_help" || fail "calibrate --help: no default for --tolerance"

# expect_misspelt COMMAND WRONG RIGHT: exit 2, stdout empty, stderr names WRONG and RIGHT.
expect_misspelt() {
  local command=$1 wrong=$2 right=$3 out err status
  out=$("$osteosim" "$command" "$wrong" 2>"$tmp/stderr"); status=$?
  err=$(<"$tmp/stderr")
  if [[ $status -ne 2 || -n "$out" || "$err" != *"'${wrong%%=*}"* || "$err" != *"did you mean '$right'?"* ]]; then
    fail "osteosim $command $wrong: exit $status, stdout '$out', stderr '$err'"
  else
    echo "ok: osteosim $command $wrong -> 2, suggests $right"
  fi
}
expect_misspelt run --quite --quiet
expect_misspelt run --thraeds=4 --threads
expect_misspelt run --chekpoint-every --checkpoint-every
expect_misspelt export --evnets --events
expect_misspelt calibrate --tolerence --tolerance
# Suggestions come from that subcommand's options only: check has no --quiet.
err=$("$osteosim" check --quite 2>&1); status=$?
[[ $status -eq 2 && "$err" != *"did you mean '--quiet'"* ]] || fail "check --quite: exit $status, '$err'"

echo "$failures failure(s)"
[[ $failures -eq 0 ]]
