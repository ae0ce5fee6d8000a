#!/usr/bin/env python3
"""The four-site build end to end: osteosim compiled with tests/four_sites/site_table.hpp
(the shipped sites plus a test process "humerus") on the test model of make_model.py.
Nothing below names the humerus except to look for it: tallies, HDF5 coordinates, costs,
summary, export, calibration, the event-analysis script and loader errors must all have
picked it up from the registry entry.

usage: test_four_sites.py OSTEOSIM_FOUR_SITES_BINARY SOURCE_DIR
"""
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import h5py

BINARY, ROOT = sys.argv[1], sys.argv[2]
HERE = os.path.join(ROOT, "tests", "four_sites")
SITES = ["hip", "clinical_vertebral", "silent_vertebral", "wrist", "humerus"]


def labels(dataset):
    return [x.decode() if isinstance(x, bytes) else x for x in dataset[:]]


class FourSites(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="osteosim-four-sites-")
        cls.models = os.path.join(cls.tmp, "models")
        subprocess.run([sys.executable, os.path.join(HERE, "make_model.py"), cls.models], check=True)
        cls.env = {**os.environ, "OSTEOSIM_MODEL_PATH": cls.models}
        cls.h5 = os.path.join(cls.tmp, "cohort.h5")
        done = cls.run_osteosim("run", os.path.join(HERE, "humerus-cohort.yaml"), "-o", cls.h5,
                                "--microdata", "20000", "--quiet")
        assert done.returncode == 0, done.stderr

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @classmethod
    def run_osteosim(cls, *args):
        return subprocess.run([BINARY, *args], capture_output=True, text=True, env=cls.env,
                              timeout=600)

    def test_tallies_and_coordinates(self):
        with h5py.File(self.h5, "r") as f:
            for name in ("no-screening", "fls-only"):
                g = f["strategies"][name]
                self.assertEqual(labels(g["site"]), SITES)
                self.assertEqual(labels(g["outcome"]), SITES + ["all_clinical"])
                humerus = SITES.index("humerus")
                self.assertGreater(g["fractures"][..., humerus].sum(), 0, name)
                self.assertGreater(g["first_fractures"][..., humerus].sum(), 0, name)
                # all_clinical counts the humerus: it is the sum of the clinical sites.
                clinical = [SITES.index(s) for s in SITES if s != "silent_vertebral"]
                self.assertEqual(g["block_fractures_sum"][-1], g["fractures"][..., clinical].sum())

    def test_costs_have_a_humerus_row(self):
        with h5py.File(self.h5, "r") as f:
            g = f["strategies"]["no-screening"]
            categories = labels(g["category"])
            self.assertEqual(categories[:4], ["hip_first_year", "vertebral_first_year",
                                              "wrist_first_year", "humerus_first_year"])
            row = categories.index("humerus_first_year")
            self.assertGreater(g["costs"][:, row].sum(), 0)
            self.assertGreater(g["discounted_costs"][:, row].sum(), 0)

    def test_summary_shows_the_site(self):
        done = self.run_osteosim("summary", self.h5)
        self.assertEqual(done.returncode, 0, done.stderr)
        rows = [line.split() for line in done.stdout.splitlines() if line.strip().startswith("humerus")]
        self.assertGreaterEqual(len(rows), 2, done.stdout)  # fractures, then risks
        self.assertNotEqual(rows[0][1], "0", rows[0])

    def test_export_includes_the_site(self):
        out = os.path.join(self.tmp, "cohort.csv")
        done = self.run_osteosim("export", self.h5, "--csv", out, "--force")
        self.assertEqual(done.returncode, 0, done.stderr)
        with open(out) as f:
            humerus = [r for r in csv.DictReader(f) if r["site"] == "humerus" and r["measure"] == "fractures"]
        self.assertTrue(humerus)
        self.assertGreater(sum(float(r["value"]) for r in humerus), 0)

    def test_describe_lists_the_site(self):
        done = self.run_osteosim("describe", "--markdown")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("all_clinical (hip + clinical vertebral + wrist + humerus)", done.stdout)
        self.assertIn("wrist_first_year, humerus_first_year, fracture_later_years", done.stdout)

    def test_event_analysis_reads_the_sites_from_the_file(self):
        done = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "event-analysis"), self.h5,
                               "--strategy", "no-screening"], capture_output=True, text=True, timeout=600)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertIn("event table reproduces the tallies exactly", done.stdout)

    def test_calibrate_fits_the_site(self):
        out = os.path.join(self.tmp, "calibration")
        done = self.run_osteosim("calibrate", os.path.join(HERE, "calibration.yaml"), "--output-dir", out,
                                 "--max-iterations", "2", "--quiet")
        self.assertIn(done.returncode, (0, 1), done.stderr)  # 1: not converged in 2 iterations
        self.assertIn("fractures.humerus.calibration_multiplier_table: calibration/humerus_multiplier.csv",
                      done.stdout)
        with open(os.path.join(out, "humerus_multiplier.csv")) as f:
            self.assertIn("age,female,male", f.read())
        with open(os.path.join(out, "record.yaml")) as f:
            record = f.read()
        self.assertIn("humerus: {table: \"humerus_incidence_per_100k.csv\"", record)
        self.assertIn("{quantity: humerus, sex: female, age_from: 50", record)

    def test_missing_site_key_is_a_clear_error(self):
        model = os.path.join(self.models, "four-sites", "economics.yaml")
        broken_models = os.path.join(self.tmp, "broken")
        shutil.copytree(self.models, broken_models)
        broken = os.path.join(broken_models, "four-sites", "economics.yaml")
        with open(model) as f, open(broken, "w") as g:
            g.writelines(line for line in f if "humerus_first_year" not in line)
        done = subprocess.run([BINARY, "check", os.path.join(HERE, "humerus-cohort.yaml")],
                              capture_output=True, text=True, timeout=600,
                              env={**os.environ, "OSTEOSIM_MODEL_PATH": broken_models})
        self.assertEqual(done.returncode, 2, done.stderr)
        self.assertIn("economics.yaml", done.stderr)
        self.assertIn("costs.humerus_first_year", done.stderr)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
