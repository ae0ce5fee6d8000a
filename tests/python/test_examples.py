"""The examples run on a small result: scripts/plot, the Jupyter notebook, the R script,
and netCDF tools (ncdump, xarray) read every group.

Run by ctest as:  /usr/bin/python3 test_examples.py OSTEOSIM_BINARY SOURCE_DIR
Needs what scripts/setup installs: jupyter-nbconvert, python3-ipykernel, r-cran-hdf5r,
netcdf-bin. A missing tool is a failure, not a skip, so the examples cannot rot unseen.
"""
import importlib.machinery
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import h5py
import xarray as xr

from notebook_check import executed_outputs

BINARY = None
SOURCE_DIR = None


def run(command, **kwargs):
    # Agg: figures go to files without a display; the notebook overrides it to show them.
    env = {**os.environ, "MPLBACKEND": "Agg", "PYDEVD_DISABLE_FILE_VALIDATION": "1", **kwargs.pop("env", {})}
    return subprocess.run(command, capture_output=True, text=True, timeout=600, env=env, **kwargs)


def tool(name):
    path = shutil.which(name) or (f"/usr/bin/{name}" if os.path.exists(f"/usr/bin/{name}") else None)
    if path is None:
        raise AssertionError(f"'{name}' is not installed; run scripts/setup")
    return path


class ExamplesRunOnASmallResult(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="osteosim_examples_")
        cls.h5 = os.path.join(cls.tmp, "small.h5")
        scenario = os.path.join(SOURCE_DIR, "scenarios", "us-cohort-50-both-sexes.yaml")
        done = run([BINARY, "run", scenario, "--agents", "5000", "--set", "years=20", "-o", cls.h5, "--quiet"])
        assert done.returncode == 0, done.stderr

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def assert_pngs(self, directory, names):
        for name in names:
            path = os.path.join(directory, name)
            self.assertTrue(os.path.isfile(path), f"{name} not written")
            with open(path, "rb") as f:
                self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n", name)
            self.assertGreater(os.path.getsize(path), 10_000, f"{name} looks empty")

    def readme_python_blocks(self):
        with open(os.path.join(SOURCE_DIR, "README.md")) as f:
            return re.findall(r"```python\n(.*?)```", f.read(), flags=re.DOTALL)

    def test_readme_python_snippet_runs_on_a_result(self):
        # The README's first Python block, as a reader pastes it, in a directory holding
        # the file scripts/run-example writes (here a small run of the same scenario).
        blocks = self.readme_python_blocks()
        self.assertTrue(blocks, "README has no python block")
        workdir = os.path.join(self.tmp, "readme")
        os.makedirs(os.path.join(workdir, "results"))
        shutil.copy(self.h5, os.path.join(workdir, "results", "us-cohort-50.h5"))
        done = run([sys.executable, "-c", blocks[0]], cwd=workdir)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("hip", done.stdout)

    def test_plot_script(self):
        out = os.path.join(self.tmp, "plots")
        os.mkdir(out)
        done = run([sys.executable, os.path.join(SOURCE_DIR, "scripts", "plot"), self.h5, "-o", out])
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assert_pngs(out, [f"small-{kind}.png" for kind in ["incidence-by-age", "cumulative-risk", "by-year"]])
        for bad in [os.path.join(self.tmp, "none.h5"), os.path.join(SOURCE_DIR, "README.md")]:
            done = run([sys.executable, os.path.join(SOURCE_DIR, "scripts", "plot"), bad, "-o", out])
            self.assertEqual(done.returncode, 2, done.stderr)
            self.assertIn(os.path.basename(bad), done.stderr)

    def test_plot_draws_ce_plane_and_ceac_from_a_cea_result(self):
        # A small cost-effectiveness run (few PSA draws) of the shipped CEA scenario.
        shutil.copy(os.path.join(SOURCE_DIR, "scenarios", "us-women-screening-cea.yaml"), self.tmp)
        small = os.path.join(self.tmp, "cea-small.yaml")
        with open(small, "w") as f:
            f.write("schema_version: 1\nname: cea-small\nextends: us-women-screening-cea\n"
                    "psa: {draws: 10, agents_per_draw: 500}\n")
        h5 = os.path.join(self.tmp, "cea.h5")
        done = run([BINARY, "run", small, "--agents", "2000", "--set", "years=10", "-o", h5, "--quiet"])
        self.assertEqual(done.returncode, 0, done.stderr)
        out = os.path.join(self.tmp, "cea-plots")
        os.mkdir(out)
        done = run([sys.executable, os.path.join(SOURCE_DIR, "scripts", "plot"), h5, "-o", out])
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assert_pngs(out, ["cea-ce-plane.png", "cea-ceac.png"])

    def test_plot_makes_its_output_directory_and_skips_the_ce_plane_of_one_strategy(self):
        # The small result has one strategy: a CE plane would be empty.
        out = os.path.join(self.tmp, "not", "yet", "there")
        done = run([sys.executable, os.path.join(SOURCE_DIR, "scripts", "plot"), self.h5, "-o", out])
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assert_pngs(out, ["small-incidence-by-age.png"])
        self.assertFalse(os.path.exists(os.path.join(out, "small-ce-plane.png")))
        self.assertIn("one strategy", done.stdout)
        a_file = os.path.join(self.tmp, "a-file")
        open(a_file, "w").close()
        done = run([sys.executable, os.path.join(SOURCE_DIR, "scripts", "plot"), self.h5, "-o", a_file])
        self.assertEqual(done.returncode, 2, done.stderr)
        self.assertIn("a-file", done.stderr)

    def test_plot_lines_stay_distinct_beyond_four_strategies(self):
        plot = importlib.machinery.SourceFileLoader("plot", os.path.join(SOURCE_DIR, "scripts", "plot"))
        module = importlib.util.module_from_spec(importlib.util.spec_from_loader(plot.name, plot))
        plot.exec_module(module)
        with xr.open_dataset(self.h5, group="strategies/natural-history", engine="h5netcdf") as ds:
            ds = ds.load()
        groups = {f"strategy-{i}": ds for i in range(12)}
        fig, ax = module.plt.subplots()
        module.lines(ax, groups, lambda d, sex: (d.year.values, d.deaths.sel(sex=sex).sum("age_band").values))
        styles = [(tuple(line.get_color()), line.get_linestyle()) for line in ax.lines]
        self.assertEqual(len(styles), 24)  # 12 strategies x 2 sexes
        self.assertEqual(len(set(styles)), len(styles))

    def test_notebook_executes(self):
        notebook = os.path.join(SOURCE_DIR, "examples", "osteosim-results.ipynb")
        status, stderr, outputs, images = executed_outputs(notebook, self.h5, os.path.join(self.tmp, "notebook"))
        self.assertEqual(status, 0, stderr[-3000:])
        self.assertFalse([o for o in outputs if o["output_type"] == "error"])
        self.assertGreaterEqual(len(images), 2, "the notebook drew fewer than two figures")
        self.assertIn("clinical_vertebral", json.dumps(outputs))

    def test_r_example(self):
        out = os.path.join(self.tmp, "r")
        os.mkdir(out)
        done = run([tool("Rscript"), os.path.join(SOURCE_DIR, "examples", "osteosim-results.R"), self.h5, out])
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("cumulative risk of a first fracture", done.stdout)
        self.assertRegex(done.stdout, r"female\s+\d+\.\d")
        self.assert_pngs(out, ["natural-history-incidence-by-age-R.png", "natural-history-by-year-R.png"])

    def test_netcdf_tools_read_every_group(self):
        groups = []
        with h5py.File(self.h5, "r") as f:
            f.visititems(lambda name, obj: groups.append(name) if isinstance(obj, h5py.Group) else None)
        self.assertIn("strategies/natural-history", groups)
        done = run([tool("ncdump"), "-h", self.h5])
        self.assertEqual(done.returncode, 0, done.stderr)
        for name in groups:
            self.assertIn(f"group: {name.split('/')[-1]} {{", done.stdout, name)
            with xr.open_dataset(self.h5, group=name, engine="h5netcdf") as ds:
                for variable in ds.data_vars.values():
                    self.assertTrue(variable.attrs.get("long_name"), f"{name}/{variable.name}")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: test_examples.py OSTEOSIM_BINARY SOURCE_DIR")
    BINARY, SOURCE_DIR = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0]], verbosity=2)
