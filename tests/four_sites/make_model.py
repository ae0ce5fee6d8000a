#!/usr/bin/env python3
"""TEST DATA ONLY. Writes the test model "four-sites" for the four-site build: a copy of a
shipped model (default models/us-2025) plus the data of the registry's test site "humerus"
(tests/four_sites/site_table.hpp). The humerus numbers are placeholders, not sources; they
show that adding a site is one registry entry plus model data:
  model.yaml       fractures.humerus.{incidence_table, rr_per_sd_decrease, fall_share} and
                   rr_humerus of every risk factor
  drugs.yaml       rr_humerus of every drug; interventions.yaml fracture_rr_humerus
  economics.yaml   costs.humerus_first_year, utilities.humerus_{first,later}_years_multiplier

usage: make_model.py OUT_MODELS_DIR [SOURCE_MODEL_DIR]   (writes OUT_MODELS_DIR/four-sites)
"""
import os
import shutil
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = ("# TEST DATA ONLY, written by tests/four_sites/make_model.py: {source} plus placeholder\n"
          "# numbers for the registry's test site 'humerus'. Sources of the rest: {source}.\n")


def load(path):
    with open(path) as f:
        return yaml.safe_load(f)


def dump(data, path, source):
    with open(path, "w") as f:
        f.write(HEADER.format(source=source))
        yaml.safe_dump(data, f, sort_keys=False)


def main():
    out_models = sys.argv[1]
    source = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "..", "..", "models", "us-2025")
    out = os.path.join(out_models, "four-sites")
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(source, out)
    shutil.copy(os.path.join(HERE, "humerus_incidence_per_100k.csv"), os.path.join(out, "tables"))
    name = os.path.basename(os.path.normpath(source))

    model = load(os.path.join(out, "model.yaml"))
    model["name"] = "four-sites"
    model["description"] = "TEST ONLY: " + name + " plus a placeholder humerus site"
    for factor in model["risk_factors"].values():
        factor["rr_humerus"] = factor["rr_wrist"]
    model["fractures"] = {**model["fractures"], "humerus": {
        "incidence_table": "tables/humerus_incidence_per_100k.csv",
        "rr_per_sd_decrease": 1.6,
        "fall_share": 0.9}}
    dump(model, os.path.join(out, "model.yaml"), name)

    drugs = load(os.path.join(out, "drugs.yaml"))
    for drug in drugs["drugs"].values():
        drug["rr_humerus"] = drug["rr_wrist"]
    dump(drugs, os.path.join(out, "drugs.yaml"), name)

    interventions = load(os.path.join(out, "interventions.yaml"))
    for programme in interventions["programmes"].values():
        programme["fracture_rr_humerus"] = programme["fracture_rr_wrist"]
    dump(interventions, os.path.join(out, "interventions.yaml"), name)

    economics = load(os.path.join(out, "economics.yaml"))
    economics["costs"]["humerus_first_year"] = 12000
    economics["utilities"]["humerus_first_year_multiplier"] = 0.85
    economics["utilities"]["humerus_later_years_multiplier"] = 0.97
    dump(economics, os.path.join(out, "economics.yaml"), name)


if __name__ == "__main__":
    main()
