"""`osteosim export OUT.h5 --csv FILE`: a long table that pandas reads, matching the file;
`--csv-dir DIR`: every group of the file, one CSV each.

Run by ctest as:  /usr/bin/python3 test_export.py OSTEOSIM_BINARY SOURCE_DIR
Every variable of every strategy group must appear, and per measure its values must sum
(and, cell by cell, equal) what xarray reads from the HDF5 file; with --csv-dir, every
variable of every group of a cost-effectiveness result with PSA draws and event histories.
"""
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import unittest

import h5py
import numpy as np
import pandas as pd
import xarray as xr

BINARY = None
SOURCE_DIR = None
COLUMNS = ["strategy", "year", "sex", "age_band", "site", "drug", "programme", "outcome",
           "category", "measure", "value"]


def osteosim(*args):
    return subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=600)


class ExportWritesATidyTable(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="osteosim_export_")
        cls.h5 = os.path.join(cls.tmp, "out.h5")
        cls.csv = os.path.join(cls.tmp, "out.csv")
        scenario = os.path.join(SOURCE_DIR, "scenarios", "us-cohort-50-both-sexes.yaml")
        done = osteosim("run", scenario, "-o", cls.h5, "--agents", "3000", "--set", "years=6", "--quiet")
        assert done.returncode == 0, done.stderr
        done = osteosim("export", cls.h5, "--csv", cls.csv)
        assert done.returncode == 0, done.stderr
        cls.table = pd.read_csv(cls.csv, keep_default_na=False, na_values={"value": ["NaN"]})
        with h5py.File(cls.h5, "r") as f:
            cls.strategies = list(f["strategies"])

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def group(self, name):
        return xr.open_dataset(self.h5, group=f"strategies/{name}", engine="h5netcdf")

    def test_columns_and_no_leftovers(self):
        self.assertEqual(list(self.table.columns), COLUMNS)
        self.assertEqual(sorted(os.listdir(self.tmp)), ["out.csv", "out.h5"])

    def test_every_variable_is_exported_and_sums_match(self):
        for name in self.strategies:
            rows = self.table[self.table.strategy == name]
            with self.group(name) as ds:
                # Every variable but the numeric age, a coordinate of age_band.
                expected = [v for v in ds.data_vars if v != "age"]
                self.assertGreaterEqual(len(expected), 30)
                self.assertEqual(sorted(rows.measure.unique()), sorted(expected))
                for variable in expected:
                    with self.subTest(strategy=name, variable=variable):
                        part = rows[rows.measure == variable]
                        data = ds[variable]
                        self.assertEqual(len(part), data.size)
                        np.testing.assert_allclose(part.value.sum(), float(data.sum()), rtol=1e-12)
                        self.assertEqual(int(part.value.isna().sum()), int(data.isnull().sum()))
                        for dim in set(COLUMNS[1:-2]) - set(data.dims):
                            self.assertTrue((part[dim] == "").all(), dim)

    def test_cells_land_on_their_labels(self):
        name = self.strategies[0]
        with self.group(name) as ds:
            rows = self.table[(self.table.strategy == name) & (self.table.measure == "fractures")]
            # Variables without a year leave it empty, so the column is read as text.
            rows = rows.assign(year=rows.year.astype(int))
            cube = rows.set_index(["year", "sex", "age_band", "site"]).value.to_xarray()
            cube = cube.reindex_like(ds.fractures)
            np.testing.assert_array_equal(cube.values, ds.fractures.values)
            self.assertGreater(int(ds.fractures.sum()), 0)

    def test_existing_file_needs_force(self):
        before = pathlib.Path(self.csv).read_bytes()
        done = osteosim("export", self.h5, "--csv", self.csv)
        self.assertEqual(done.returncode, 2, done.stderr)
        self.assertIn("--force", done.stderr)
        self.assertEqual(pathlib.Path(self.csv).read_bytes(), before)
        again = osteosim("export", self.h5, "--csv", self.csv, "--force", "--quiet")
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertEqual(pathlib.Path(self.csv).read_bytes(), before)

    def test_bad_input_exits_2_naming_the_file(self):
        target = os.path.join(self.tmp, "bad.csv")
        text_file = os.path.join(SOURCE_DIR, "README.md")
        for args, needle in [((os.path.join(self.tmp, "none.h5"), "--csv", target), "none.h5"),
                             ((text_file, "--csv", target), "README.md"),
                             ((self.h5,), "--csv"),
                             # A file run without --microdata has no event histories.
                             ((self.h5, "--csv", target, "--events"), "no event histories"),
                             ((self.h5, self.h5, "--csv", target), "exactly one")]:
            with self.subTest(args=args):
                done = osteosim("export", *args)
                self.assertEqual(done.returncode, 2, done.stderr)
                self.assertIn(needle, done.stderr)
                self.assertFalse(os.path.exists(target))


def walk_variables(h5_path):
    """{group path: [variable names]} of every group: the datasets that are neither
    dimension scales nor named by a CF `coordinates` attribute."""
    found = {}
    with h5py.File(h5_path, "r") as f:
        def visit(name, item):
            if not isinstance(item, h5py.Group):
                return
            datasets = {k: v for k, v in item.items() if isinstance(v, h5py.Dataset)}
            auxiliary = set()
            for v in datasets.values():
                coordinates = v.attrs.get("coordinates")
                if coordinates is not None:
                    text = coordinates.decode() if isinstance(coordinates, bytes) else coordinates
                    auxiliary.update(text.split())
            variables = [k for k, v in datasets.items()
                         if v.attrs.get("CLASS") != b"DIMENSION_SCALE" and k not in auxiliary]
            if variables:
                found[name] = variables
        f.visititems(visit)
    return found


class ExportDirectoryWritesEveryGroup(unittest.TestCase):
    """A small cost-effectiveness run with PSA draws, one-way runs and event histories."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="osteosim_export_dir_")
        shutil.copy(os.path.join(SOURCE_DIR, "scenarios", "us-women-screening-cea.yaml"), cls.tmp)
        scenario = os.path.join(cls.tmp, "cea-small.yaml")
        with open(scenario, "w") as f:
            f.write("schema_version: 1\nname: cea-small\nextends: us-women-screening-cea\n"
                    "psa: {draws: 4, agents_per_draw: 300}\n")
        cls.h5 = os.path.join(cls.tmp, "cea.h5")
        done = osteosim("run", scenario, "-o", cls.h5, "--agents", "1000", "--set", "years=5",
                        "--microdata", "20", "--quiet")
        assert done.returncode == 0, done.stderr
        cls.dir = os.path.join(cls.tmp, "tables")
        done = osteosim("export", cls.h5, "--csv-dir", cls.dir)
        assert done.returncode == 0, done.stderr
        cls.stderr = done.stderr

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def read(self, name):
        return pd.read_csv(os.path.join(self.dir, name), keep_default_na=False,
                           na_values={"value": ["NaN"]})

    def test_every_variable_of_every_group_is_in_a_table(self):
        groups = walk_variables(self.h5)
        self.assertIn("analysis/psa", groups)
        self.assertIn("strategies/uspstf/events", groups)
        strategies = self.read("strategies.csv")
        events = self.read("events.csv")
        baseline = self.read("baseline.csv")
        for group, variables in groups.items():
            parts = group.split("/")
            for variable in variables:
                with self.subTest(group=group, variable=variable):
                    if parts[0] == "analysis":
                        table = self.read(f"analysis_{parts[1]}.csv")
                        self.assertIn(variable, set(table.measure))
                    elif parts[0] == "config":
                        self.assertIn(variable, {"input_files", "input_sha256", "scenario_yaml"})
                    elif len(parts) == 2:
                        self.assertIn(variable, set(strategies.measure[strategies.strategy == parts[1]]))
                    elif parts[2] == "events":
                        self.assertIn(variable, set(events.columns) | {"row"})
                    else:
                        self.assertIn(variable, set(baseline.columns))
        self.assertNotIn("left out", self.stderr)

    def test_psa_table_has_each_draw_and_matches_the_file(self):
        table = self.read("analysis_psa.csv")
        self.assertEqual(sorted(set(table.psa_draw[table.psa_draw != ""].astype(int))), [0, 1, 2, 3])
        with h5py.File(self.h5, "r") as f:
            cost = f["analysis/psa/cost"][()]
        part = table[table.measure == "cost"]
        self.assertEqual(len(part), cost.size)
        np.testing.assert_allclose(part.value.astype(float).sum(), cost.sum(), rtol=1e-12)

    def test_psa_noise_shares_are_the_anova_of_the_draws(self):
        # O'Hagan et al. 2007: mean squared MC SE over the between-draw variance of the
        # incremental outcome, recomputed here from the file's own per-draw numbers.
        with h5py.File(self.h5, "r") as f:
            psa = f["analysis/psa"]
            for outcome, se_name in [("qaly", "incremental_qaly_se"), ("cost", "incremental_cost_se")]:
                values, se = psa[outcome][()], psa[se_name][()]
                shares = psa[f"incremental_{outcome}_noise_share"][()]
                self.assertTrue(np.isnan(shares[0]))
                for s in range(1, values.shape[1]):
                    total = np.var(values[:, s] - values[:, 0], ddof=1)
                    expected = min(1.0, np.mean(se[:, s] ** 2) / total) if total > 0 else np.nan
                    np.testing.assert_allclose(shares[s], expected, rtol=1e-12, equal_nan=True,
                                               err_msg=f"{outcome}, strategy {s}")

    def test_config_files_hold_the_inputs_and_the_scenario(self):
        inputs = pd.read_csv(os.path.join(self.dir, "config_input_files.csv"))
        self.assertIn("cea-small.yaml", {os.path.basename(path) for path in inputs.file})
        self.assertTrue((inputs.sha256.str.len() == 64).all())
        with open(os.path.join(self.dir, "config_scenario.yaml")) as f, h5py.File(self.h5, "r") as h:
            self.assertEqual(f.read(), h["config/scenario_yaml"][()].decode())

    def test_existing_tables_need_force(self):
        done = osteosim("export", self.h5, "--csv-dir", self.dir)
        self.assertEqual(done.returncode, 2, done.stderr)
        self.assertIn("--force", done.stderr)
        done = osteosim("export", self.h5, "--csv-dir", self.dir, "--force", "--quiet")
        self.assertEqual(done.returncode, 0, done.stderr)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: test_export.py OSTEOSIM_BINARY SOURCE_DIR")
    BINARY, SOURCE_DIR = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0]], verbosity=2)
