"""`osteosim export OUT.h5 --csv FILE`: a long table that pandas reads, matching the file.

Run by ctest as:  /usr/bin/python3 test_export.py OSTEOSIM_BINARY SOURCE_DIR
Every variable with standard dimensions must appear, and per measure its values must sum
(and, cell by cell, equal) what xarray reads from the HDF5 file.
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
COLUMNS = ["strategy", "psa_draw", "year", "sex", "age_band", "site", "measure", "value"]
STANDARD_DIMS = {"psa_draw", "year", "sex", "age_band", "site"}


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
        self.assertTrue((self.table.psa_draw == 0).all())

    def test_every_standard_variable_is_exported_and_sums_match(self):
        for name in self.strategies:
            rows = self.table[self.table.strategy == name]
            with self.group(name) as ds:
                expected = [v for v in ds.data_vars if set(ds[v].dims) <= STANDARD_DIMS]
                self.assertGreaterEqual(len(expected), 10)
                self.assertEqual(sorted(rows.measure.unique()), sorted(expected))
                for variable in expected:
                    with self.subTest(strategy=name, variable=variable):
                        part = rows[rows.measure == variable]
                        data = ds[variable]
                        self.assertEqual(len(part), data.size)
                        np.testing.assert_allclose(part.value.sum(), float(data.sum()), rtol=1e-12)
                        self.assertEqual(int(part.value.isna().sum()), int(data.isnull().sum()))
                        if "site" not in data.dims:
                            self.assertTrue((part.site == "").all())

    def test_cells_land_on_their_labels(self):
        name = self.strategies[0]
        with self.group(name) as ds:
            rows = self.table[(self.table.strategy == name) & (self.table.measure == "fractures")]
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


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: test_export.py OSTEOSIM_BINARY SOURCE_DIR")
    BINARY, SOURCE_DIR = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0]], verbosity=2)
