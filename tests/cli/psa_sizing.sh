#!/usr/bin/env bash
# A PSA sized for its noise (issue 17): `check --noise-share` runs the scenario's PSA as a
# pilot and proposes draws x agents per draw; `psa: {noise_share}` makes `run` size itself
# from the same pilot, so both give the same agents per draw, for any thread count; the
# result file and the summary say how the PSA was sized; a run interrupted during its pilot
# resumes from the pilot draws it finished into the same file; every misuse is exit 2.
# Usage: psa_sizing.sh OSTEOSIM SOURCE_DIR
set -uo pipefail
osteosim=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
export OSTEOSIM_MODEL_PATH=$src/models
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# The shipped CEA, small: a pilot of 6 draws of 1024 agents over 10 years, sized for a
# noise share of 50 % (a run of seconds: a 10 % share needs some 10^5 agents per draw).
sed 's/^psa: .*/psa: {draws: 6, agents_per_draw: 1024, pilot_draws: 6, noise_share: 0.5}/' \
  "$src/scenarios/us-women-screening-cea.yaml" >sized.yaml
grep -q 'noise_share: 0.5}$' sized.yaml || fail "no psa line to change in the CEA scenario"
sed 's/^psa: .*/psa: {draws: 6, agents_per_draw: 1024}/' sized.yaml >plain.yaml
sed '/^psa: /d' plain.yaml >no-psa.yaml
small=(--agents 2000 --set years=10 --quiet)

# check proposes: 385 draws for a CEAC within +-0.05, and agents per draw from the pilot,
# above the floor of 2048 (so that agreeing with the run below is not the floor agreeing).
"$osteosim" check sized.yaml "${small[@]:0:4}" --noise-share 0.5 >check.txt 2>&1 ||
  fail "check --noise-share exited $?: $(tail -3 check.txt)"
proposed=$(sed -n 's/^# proposed: psa: {draws: 385, agents_per_draw: \([0-9]*\)}.*/\1/p' check.txt)
[[ -n $proposed && $proposed -gt 2048 ]] || fail "check proposed no PSA size above 2048: $(grep '^#' check.txt)"
grep -q '^# PSA sizing for a noise share of at most 50% .* pilot of 6 draws x 1024 agents' check.txt ||
  fail "check does not say how it sized"

# run sizes itself from the same pilot: the same agents per draw, on 1 and on 2 threads.
for threads in 1 2; do
  "$osteosim" run sized.yaml "${small[@]}" --threads $threads -o "sized-$threads.h5" ||
    fail "run with psa.noise_share on $threads threads exited $?"
done
read -r agents target pilot pilot_agents < <(/usr/bin/python3 - sized-1.h5 <<'PY'
import sys, h5py
a = h5py.File(sys.argv[1], "r")["analysis/psa"].attrs
print(a["agents_per_draw"], a["noise_share_target"], a["pilot_draws"], a["pilot_agents_per_draw"])
PY
)
[[ $agents == "$proposed" ]] || fail "run sized $agents agents per draw, check proposed $proposed"
[[ $target == 0.5 && $pilot == 6 && $pilot_agents == 1024 ]] ||
  fail "sizing attributes: target $target, pilot $pilot x $pilot_agents"
h5diff -q sized-1.h5 sized-2.h5 /analysis /analysis || fail "sized PSA differs between 1 and 2 threads"
"$osteosim" summary sized-1.h5 >summary.txt || fail "summary exited $?"
grep -q "6 draws x $agents agents, sized by a pilot of 6 draws x 1024 agents for a noise share of at most 50%" \
  summary.txt || fail "summary does not say how the PSA was sized: $(grep -i 'sensitivity' summary.txt)"
# Without noise_share the file has no sizing attributes.
"$osteosim" run plain.yaml "${small[@]}" -o plain.h5 || fail "plain run exited $?"
/usr/bin/python3 -c 'import sys, h5py; sys.exit("pilot_draws" in h5py.File("plain.h5")["analysis/psa"].attrs)' ||
  fail "an unsized PSA has sizing attributes"

# SIGINT at the 4th pilot draw's report. The pilot's kill points follow the base run's
# blocks (the kill points of the run without a PSA, less its result file's), and each pilot
# draw saves (--checkpoint-every 0) then reports: 2 kill points a draw.
base=$(OSTEOSIM_TEST_KILL_AT=count "$osteosim" run no-psa.yaml "${small[@]}" -o base.h5 \
         --checkpoint-every 0 2>&1 >/dev/null | sed -n 's/^osteosim: kill points: //p')
[[ -n $base ]] || fail "no kill-point count for the base run"
OSTEOSIM_TEST_KILL_SIGNAL=INT OSTEOSIM_TEST_KILL_AT=$((base - 1 + 8)) \
  "$osteosim" run sized.yaml "${small[@]}" -o resumed.h5 --checkpoint-every 0 2>stop.err
status=$?
[[ $status -eq 130 ]] || fail "SIGINT in the pilot: exit $status: $(cat stop.err)"
# At least 4 (a draw more may finish before a loaded machine delivers the signal).
saved=$(sed -En 's/^osteosim: ([0-9]+) of \1 blocks and ([0-9]+) pilot PSA draws are saved.*/\2/p' stop.err)
[[ -n $saved && $saved -ge 4 && $saved -lt 6 ]] ||
  fail "SIGINT in the pilot: not saved as expected: $(cat stop.err)"
"$osteosim" run sized.yaml "${small[@]/--quiet/}" -o resumed.h5 --resume >/dev/null 2>resume.err ||
  fail "--resume after the pilot's interruption exited $?: $(tail -3 resume.err)"
grep -Eq "resuming from resumed.h5.checkpoint: ([0-9]+) of \1 blocks and $saved pilot PSA draws were done" resume.err ||
  fail "the resumed run did not restore the pilot's draws: $(head -2 resume.err)"
h5diff -q sized-1.h5 resumed.h5 /analysis /analysis || fail "resumed sized PSA differs"

# Misuse: exit 2, naming the key (and file:line for scenario keys) or the option.
expect2() {
  local label=$1 text=$2; shift 2
  local output; output=$("$osteosim" "$@" 2>&1); local status=$?
  if [[ $status -ne 2 || $output != *"$text"* ]]; then
    fail "$label: exit $status, output: $output"
  else
    echo "ok: $label"
  fi
}
sed 's/^psa: .*/psa: {noise_share: 0.1}/' sized.yaml >no-draws.yaml
expect2 "noise_share without draws" "no-draws.yaml:$(grep -n '^psa:' no-draws.yaml | cut -d: -f1)" \
  check no-draws.yaml
expect2 "noise_share without draws names the key" "psa.noise_share" check no-draws.yaml
expect2 "noise_share of 1" "psa.noise_share" check sized.yaml --set psa.noise_share=1
expect2 "pilot_draws without noise_share" "psa.pilot_draws" check plain.yaml --set psa.pilot_draws=5
sed '/^strategies:/,$d' sized.yaml >one.yaml
expect2 "noise_share with one strategy" "two strategies or more" check one.yaml
expect2 "--noise-share 0" "--noise-share" check plain.yaml --noise-share 0
expect2 "--noise-share without a PSA" "pilot's size" check no-psa.yaml --noise-share 0.1
expect2 "--ceac-half-width 0.5" "--ceac-half-width" check plain.yaml --noise-share 0.1 --ceac-half-width 0.5

echo "$failures failure(s)"
[[ $failures -eq 0 ]]
