#!/usr/bin/env bash
# Currency and willingness to pay come from the inputs (issue 17): the shipped UK model's CEA
# scenario (below), and a copy of the US model priced in GBP run with NICE's thresholds
# (20,000 and 30,000 per QALY) set in the scenario, must read GBP everywhere -- every unit
# attribute, the summary's headers, the net-benefit, CEAC and tornado tables -- at those
# thresholds, never USD; a currency that is not an ISO 4217 code and an economics.yaml without
# willingness_to_pay are errors (exit 2).
# Usage: currency.sh OSTEOSIM SOURCE_DIR
set -uo pipefail
osteosim=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

mkdir -p "$tmp/models" "$tmp/scenarios"
cp -r "$src/models/us-2025" "$tmp/models/gbtest-2025"
sed -i 's/^name: .*/name: gbtest-2025/' "$tmp/models/gbtest-2025/model.yaml"
sed -i 's/^currency: USD$/currency: GBP/' "$tmp/models/gbtest-2025/economics.yaml"
grep -q '^currency: GBP$' "$tmp/models/gbtest-2025/economics.yaml" || fail "no currency line to change"
scenario=$tmp/scenarios/cea.yaml
sed 's/^model: us-2025$/model: gbtest-2025/; s/^psa: .*/psa: {draws: 4, agents_per_draw: 400}/' \
  "$src/scenarios/us-women-screening-cea.yaml" >"$scenario"
cat >>"$scenario" <<'YAML'
willingness_to_pay: {grid_max_per_qaly: 100000, grid_step_per_qaly: 2500, thresholds_per_qaly: [20000, 30000]}
YAML

"$osteosim" run "$scenario" --agents 1500 --set years=5 -o "$tmp/out.h5" --quiet || fail "run exited $?"
"$osteosim" summary "$tmp/out.h5" >"$tmp/summary.txt" || fail "summary exited $?"
grep -q 'payer perspective, GBP 2019' "$tmp/summary.txt" || fail "summary header is not in GBP"
grep -q 'Net monetary benefit per person (GBP)' "$tmp/summary.txt" || fail "NMB table not in GBP"
grep -Eq '^ +strategy +20k +30k$' "$tmp/summary.txt" || fail "tables not at 20k and 30k"
grep -q 'EVPI per person (GBP)' "$tmp/summary.txt" || fail "EVPI not in GBP"
grep -q 'at 30k GBP per QALY' "$tmp/summary.txt" || fail "tornado not at 30k GBP"
! grep -q 'USD' "$tmp/summary.txt" || fail "summary says USD: $(grep USD "$tmp/summary.txt")"

/usr/bin/python3 - "$tmp/out.h5" <<'PY' || fail "result file units or grid"
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
units = {}
f.visititems(lambda name, item: units.__setitem__(name, item.attrs["units"]) if "units" in item.attrs else None)
text = {k: (v.decode() if isinstance(v, bytes) else str(v)) for k, v in units.items()}
money = sorted(k for k, v in text.items() if "GBP" in v)
assert not [k for k, v in text.items() if "USD" in v or "<currency>" in v], [k for k, v in text.items() if "USD" in v]
assert "analysis/cea/cost" in money and "analysis/cea/icer" in money and "analysis/psa/cost" in money, money
assert any(k.endswith("/discounted_costs") for k in money), money
cea = f["analysis/cea"]
assert list(cea["threshold"][()]) == [20000, 30000], cea["threshold"][()]
wtp = cea["wtp"][()]
assert wtp[0] == 0 and wtp[-1] == 100000 and 20000 in wtp and 30000 in wtp and len(wtp) == 41, wtp
assert (cea.attrs["currency"].decode() if isinstance(cea.attrs["currency"], bytes) else cea.attrs["currency"]) == "GBP"
print("units in GBP:", len(money))
PY

# The shipped UK model (models/uk-2025, GBP, NICE thresholds in its economics.yaml and in the
# scenario) through its shipped CEA scenario, small: no "USD" (in any case) anywhere in the
# summary, in any attribute of the result file (h5dump -A) or in /analysis, GBP in the summary's headers and unit
# attributes, and the net-benefit table at NICE's 20,000 and 30,000 GBP per QALY.
uk=$src/scenarios/uk-women-screening-cea.yaml
[[ -f $uk ]] || fail "no shipped UK CEA scenario $uk"
grep -q '^model: uk-2025$' "$uk" || fail "$uk does not use models/uk-2025"
grep -q '^currency: GBP$' "$src/models/uk-2025/economics.yaml" || fail "models/uk-2025 is not priced in GBP"
"$osteosim" run "$uk" --agents 2000 --set years=5 --set psa.draws=4 --set psa.agents_per_draw=256 \
  -o "$tmp/uk.h5" --quiet || fail "UK CEA run exited $?"
"$osteosim" summary "$tmp/uk.h5" >"$tmp/uk-summary.txt" || fail "UK summary exited $?"
# Case-insensitive: the tornado and EVPPI tables name parameters by their economics.yaml
# keys, which must not say usd either (they did, as costs.hip_first_year_usd).
! grep -in 'usd' "$tmp/uk-summary.txt" || fail "the UK summary says USD (lines above)"
grep -q '(model uk-2025)' "$tmp/uk-summary.txt" || fail "the UK summary does not name uk-2025"
grep -q 'payer perspective, GBP 2023, discounted 3.5% costs / 3.5% QALYs' "$tmp/uk-summary.txt" ||
  fail "UK summary header is not GBP 2023 at 3.5%/3.5%"
# The net-benefit table: its title, then a header row with exactly NICE's two thresholds.
awk '/^  Net monetary benefit per person \(GBP\) at willingness to pay per QALY \(GBP\)$/ {getline; print; exit}' \
  "$tmp/uk-summary.txt" | grep -Eq '^ +strategy +20k +30k$' ||
  fail "the UK net-benefit table is not at 20k and 30k GBP: $(grep -A1 'Net monetary benefit' "$tmp/uk-summary.txt")"
h5dump -A "$tmp/uk.h5" >"$tmp/uk-attrs.txt" 2>&1 || fail "h5dump -A exited $?"
! grep -in 'usd' "$tmp/uk-attrs.txt" || fail "an attribute of the UK result file says USD (lines above)"
# Nor any name of the analysis: parameters drawn, varied one way, or valued by EVPPI.
h5dump -g /analysis "$tmp/uk.h5" >"$tmp/uk-analysis.txt" 2>&1 || fail "h5dump -g /analysis exited $?"
! grep -in 'usd' "$tmp/uk-analysis.txt" || fail "the UK result's /analysis says USD (lines above)"
grep -q '"GBP"' "$tmp/uk-attrs.txt" || fail "no attribute of the UK result file says GBP"
/usr/bin/python3 - "$tmp/uk.h5" <<'PY' || fail "UK result file thresholds or currency"
import sys, h5py
f = h5py.File(sys.argv[1], "r")
cea = f["analysis/cea"]
assert list(cea["threshold"][()]) == [20000, 30000], cea["threshold"][()]
cur = cea.attrs["currency"]
assert (cur.decode() if isinstance(cur, bytes) else cur) == "GBP", cur
PY

# Bad currencies and a missing willingness_to_pay: exit 2 naming file, line and key.
for bad in 'currency: usd' 'currency: US$' 'currency: ""'; do
  cp "$tmp/models/gbtest-2025/economics.yaml" "$tmp/economics.good"
  sed -i "s/^currency: GBP$/$bad/" "$tmp/models/gbtest-2025/economics.yaml"
  "$osteosim" check "$scenario" >/dev/null 2>"$tmp/err"
  status=$?
  [[ $status -eq 2 ]] || fail "'$bad' exited $status"
  grep -q "economics.yaml:[0-9]*: key 'currency'" "$tmp/err" || fail "'$bad': $(cat "$tmp/err")"
  cp "$tmp/economics.good" "$tmp/models/gbtest-2025/economics.yaml"
done
sed -i '/^willingness_to_pay:/,/^  thresholds_per_qaly:/d' "$tmp/models/gbtest-2025/economics.yaml"
grep -q '^willingness_to_pay:' "$tmp/models/gbtest-2025/economics.yaml" && fail "did not remove the block"
# The model's default is required even where a scenario gives its own (other scenarios of
# the model rely on it).
for file in "$scenario" "$tmp/scenarios/no-wtp.yaml"; do
  grep -v '^willingness_to_pay:' "$scenario" >"$tmp/scenarios/no-wtp.yaml"
  "$osteosim" check "$file" >/dev/null 2>"$tmp/err"
  status=$?
  [[ $status -eq 2 ]] || fail "a model without willingness_to_pay exited $status ($file)"
  grep -q "economics.yaml.*key 'willingness_to_pay'" "$tmp/err" ||
    fail "missing willingness_to_pay: $(cat "$tmp/err")"
done

[[ $failures -eq 0 ]] && echo "currency: all checks passed"
exit $((failures > 0))
