"""A result file opens with standard Python tools and no osteosim code.

Run by ctest as:  /usr/bin/python3 test_reader.py OSTEOSIM_BINARY SOURCE_DIR
It runs a small cohort, then reads the file the way an analyst would: h5py for the
root attributes, xarray (h5netcdf engine) for every strategy group, ncdump for netCDF-C.
Exits non-zero on any failure.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import h5py
import numpy as np
import xarray as xr

BINARY = None
SOURCE_DIR = None

SEXES = ["female", "male"]
AGE_BANDS = [f"{a}-{a + 4}" for a in range(50, 100, 5)] + ["100+"]
YEARS = 5
AGENTS = 2000
COUNT_VARIABLES = ["fractures", "first_fractures", "first_any_fracture", "deaths",
                   "deaths_after_fracture", "population", "falls"]
FLOAT_VARIABLES = ["person_years", "fractures_scaled", "incidence_per_100k"]


def run_osteosim(out_path):
    scenario = os.path.join(SOURCE_DIR, "scenarios", "us-women-cohort-50.yaml")
    command = [BINARY, "run", scenario, "-o", out_path, "--agents", str(AGENTS),
               "--set", f"years={YEARS}", "--quiet"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise AssertionError(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr}")


class ResultFileReadsWithStandardTools(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="osteosim_reader_")
        cls.path = os.path.join(cls.tmp, "out.h5")
        run_osteosim(cls.path)
        with h5py.File(cls.path, "r") as f:
            cls.attrs = dict(f.attrs)
            cls.strategies = list(f["strategies"])

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def open_group(self, name):
        return xr.open_dataset(self.path, group=f"strategies/{name}", engine="h5netcdf")

    def test_no_temporary_file_is_left(self):
        self.assertEqual(sorted(os.listdir(self.tmp)), ["out.h5"])

    def test_root_attributes(self):
        a = self.attrs
        self.assertEqual(a["format"], "osteosim-results")
        self.assertEqual(int(a["format_version"]), 1)
        for key in ["osteosim_version", "git_commit", "compiler", "created", "command_line",
                    "scenario", "model", "population_kind"]:
            self.assertIsInstance(a[key], str, key)
            self.assertTrue(a[key], key)
        self.assertRegex(a["created"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertEqual(a["scenario"], "us-women-cohort-50")
        self.assertEqual(a["population_kind"], "cohort")
        for key in ["seed", "agents", "start_year", "years", "time_step_months", "format_version"]:
            self.assertTrue(np.issubdtype(np.asarray(a[key]).dtype, np.integer), key)
        self.assertEqual(int(a["agents"]), AGENTS)
        self.assertEqual(int(a["years"]), YEARS)
        self.assertGreater(float(a["persons_per_agent"]), 0)

    def test_config_records_inputs(self):
        config = xr.open_dataset(self.path, group="config", engine="h5netcdf")
        yaml_text = config["scenario_yaml"].values.item()
        self.assertIsInstance(yaml_text, str)
        self.assertIn("us-women-cohort-50", yaml_text)
        files = [str(x) for x in config["input_files"].values]
        sums = [str(x) for x in config["input_sha256"].values]
        self.assertTrue(files, "no input files recorded")
        self.assertEqual(len(files), len(sums))
        for checksum in sums:
            self.assertRegex(checksum, r"^[0-9a-f]{64}$")

    def test_every_strategy_group_opens_with_labelled_coordinates(self):
        self.assertTrue(self.strategies, "no strategies in the file")
        start = int(self.attrs["start_year"])
        for name in self.strategies:
            with self.subTest(strategy=name), self.open_group(name) as ds:
                # The sites are the file's own coordinate (the site registry of the build).
                sites = ds["site"].values.tolist()
                self.assertIn("hip", sites)
                self.assertEqual(len(set(sites)), len(sites))
                core = {"year": YEARS, "sex": 2, "age_band": 11, "site": len(sites)}
                self.assertEqual({d: ds.sizes[d] for d in core if d in ds.sizes}, core)
                # Every other dimension (drug, programme, outcome, ...) is labelled too.
                for dimension in set(ds.sizes) - set(core):
                    self.assertIn(dimension, ds.coords, f"dimension {dimension} has no coordinate")
                    self.assertEqual(len(ds[dimension]), ds.sizes[dimension])
                self.assertTrue(np.issubdtype(ds["year"].dtype, np.integer))
                self.assertEqual(ds["year"].values.tolist(), list(range(start, start + YEARS)))
                for coordinate, labels in [("sex", SEXES), ("site", sites), ("age_band", AGE_BANDS)]:
                    values = ds[coordinate].values.tolist()
                    self.assertEqual(values, labels, coordinate)
                    self.assertTrue(all(isinstance(v, str) for v in values), coordinate)
                for variable in COUNT_VARIABLES + FLOAT_VARIABLES:
                    self.assertIn(variable, ds.data_vars)
                for variable, data in ds.data_vars.items():
                    self.assertTrue(data.attrs.get("units"), f"{variable} has no units")
                    self.assertTrue(data.attrs.get("long_name"), f"{variable} has no long_name")
                for variable in COUNT_VARIABLES:
                    self.assertEqual(ds[variable].dtype, np.int64, variable)
                for variable in FLOAT_VARIABLES:
                    self.assertEqual(ds[variable].dtype, np.float64, variable)
                by_site = ("year", "sex", "age_band", "site")
                for variable in ["fractures", "first_fractures", "fractures_scaled", "incidence_per_100k"]:
                    self.assertEqual(ds[variable].dims, by_site, variable)
                for variable in ["first_any_fracture", "deaths", "deaths_after_fracture",
                                 "population", "falls", "person_years"]:
                    self.assertEqual(ds[variable].dims, by_site[:3], variable)

    def test_values_are_consistent(self):
        per_agent = float(self.attrs["persons_per_agent"])
        for name in self.strategies:
            with self.subTest(strategy=name), self.open_group(name) as ds:
                for variable in COUNT_VARIABLES + ["person_years"]:
                    self.assertTrue((ds[variable] >= 0).all(), f"{variable} has negative values")
                self.assertTrue((ds.first_fractures <= ds.fractures).all())
                # Morphometric-only sites are named silent_<name> by the site registry.
                clinical_sites = [s for s in ds["site"].values.tolist() if not s.startswith("silent_")]
                clinical = ds.fractures.sel(site=clinical_sites).sum("site")
                first_clinical = ds.first_fractures.sel(site=clinical_sites).sum("site")
                # A first clinical fracture at any site is also the first at its own site.
                self.assertTrue((ds.first_any_fracture <= first_clinical).all())
                self.assertTrue((first_clinical <= clinical).all())
                self.assertTrue((ds.deaths_after_fracture <= ds.deaths).all())
                # A women's cohort of AGENTS agents entering at 50.
                start = ds.population.isel(year=0)
                self.assertEqual(int(start.sum()), AGENTS)
                self.assertEqual(int(start.sel(sex="male").sum()), 0)
                self.assertEqual(int(start.sel(age_band="50-54").sum()), AGENTS)
                self.assertTrue((ds.first_fractures.sum("year").sum("age_band") <= AGENTS).all())
                self.assertLessEqual(float(ds.person_years.sum()), AGENTS * YEARS + 1e-6)
                self.assertGreater(float(ds.person_years.sum()), 0)
                self.assertGreater(int(ds.fractures.sum()), 0, "no fractures at all in 10^4 person-years")
                np.testing.assert_allclose(ds.fractures_scaled, ds.fractures * per_agent)
                py = ds.person_years.broadcast_like(ds.fractures)
                expected = (ds.fractures / py * 1e5).where(py > 0)
                np.testing.assert_allclose(ds.incidence_per_100k, expected, equal_nan=True)

    def test_same_seed_gives_identical_datasets(self):
        again = os.path.join(self.tmp, "again.h5")
        run_osteosim(again)
        try:
            for name in self.strategies:
                with self.open_group(name) as first, \
                        xr.open_dataset(again, group=f"strategies/{name}", engine="h5netcdf") as second:
                    for variable in first.data_vars:
                        self.assertEqual(first[variable].values.tobytes(),
                                         second[variable].values.tobytes(), f"{name}/{variable}")
        finally:
            os.remove(again)

    def test_ncdump_reads_the_header(self):
        ncdump = shutil.which("ncdump") or ("/usr/bin/ncdump" if os.path.exists("/usr/bin/ncdump") else None)
        if ncdump is None:
            self.skipTest("ncdump not installed")
        done = subprocess.run([ncdump, "-h", self.path], capture_output=True, text=True, timeout=60)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("fractures(year, sex, age_band, site)", done.stdout)
        self.assertTrue(re.search(r':format = "osteosim-results"', done.stdout), done.stdout[:500])

    def test_summary_prints(self):
        done = subprocess.run([BINARY, "summary", self.path], capture_output=True, text=True, timeout=60)
        self.assertEqual(done.returncode, 0, done.stderr)
        for name in self.strategies:
            self.assertIn(f"Strategy '{name}'", done.stdout)
        self.assertIn("hip", done.stdout)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: test_reader.py OSTEOSIM_BINARY SOURCE_DIR")
    BINARY, SOURCE_DIR = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0]], verbosity=2)
