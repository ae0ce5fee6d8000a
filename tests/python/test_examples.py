"""The examples run on a small result: scripts/plot, the Jupyter notebooks, the R scripts
(the natural history and the CEA, with the PSA in the layouts of dampack, BCEA and hesim),
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
import numpy as np
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
        # A small cost-effectiveness run (few PSA draws) of the shipped CEA scenario. Twenty
        # years, not ten: in ten the strategy that wins the one-way comparison (ost-from-60,
        # which starts at 60) has not begun and no parameter moves the tornado.
        shutil.copy(os.path.join(SOURCE_DIR, "scenarios", "us-women-screening-cea.yaml"), cls.tmp)
        cls.cea_h5 = cls.cea_run("cea", "psa: {draws: 10, agents_per_draw: 500}\n", "20")

    @classmethod
    def cea_run(cls, name, extra, years):
        """A result of a scenario extending us-women-screening-cea by the YAML text extra."""
        scenario = os.path.join(cls.tmp, f"{name}-small.yaml")
        with open(scenario, "w") as f:
            f.write(f"schema_version: 1\nname: {name}-small\nextends: us-women-screening-cea\n{extra}")
        h5 = os.path.join(cls.tmp, f"{name}.h5")
        done = run([BINARY, "run", scenario, "--agents", "2000", "--set", f"years={years}", "-o", h5, "--quiet"])
        assert done.returncode == 0, done.stderr
        return h5

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

    def plot(self, h5, out):
        return run([sys.executable, os.path.join(SOURCE_DIR, "scripts", "plot"), h5, "-o", out])

    def plot_module(self):
        """scripts/plot as a module, to call its drawing functions on an Axes."""
        plot = importlib.machinery.SourceFileLoader("plot", os.path.join(SOURCE_DIR, "scripts", "plot"))
        module = importlib.util.module_from_spec(importlib.util.spec_from_loader(plot.name, plot))
        plot.exec_module(module)
        return module

    def cea(self, h5=None):
        return xr.load_dataset(h5 or self.cea_h5, group="analysis/cea", engine="h5netcdf")

    def test_plot_draws_every_cea_figure_from_a_cea_result(self):
        out = os.path.join(self.tmp, "cea-plots")
        done = self.plot(self.cea_h5, out)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assert_pngs(out, [f"cea-{kind}.png" for kind in ["ce-plane", "ceac", "evpi", "tornado"]])

    def test_ce_plane_frontier_joins_the_frontier_strategies_and_wtp_line_has_the_threshold_slope(self):
        module = self.plot_module()
        with h5py.File(self.cea_h5, "r") as f:
            g = f["analysis/cea"]
            names = [s.decode() for s in g["strategy"][()]]
            cost, qaly = g["cost"][()], g["qaly"][()]
            status = [s.decode() for s in g["dominance"][()]]
            thresholds = list(g["threshold"][()])
            currency = g.attrs["currency"]
            currency = currency.decode() if isinstance(currency, bytes) else currency
        frontier = sorted((k for k in range(len(names)) if status[k] == "frontier"), key=lambda k: cost[k])
        self.assertGreaterEqual(len(frontier), 2, "the test result should have a frontier to draw")
        expected = [(qaly[k] - qaly[0], cost[k] - cost[0]) for k in frontier]
        fig, ax = module.plt.subplots()
        module.draw_ce_plane(ax, self.cea(), None)
        lines = {line.get_gid(): line for line in ax.lines if line.get_gid()}
        np.testing.assert_allclose(lines["frontier"].get_xydata(), expected)
        (x0, y0), (x1, y1) = lines["wtp"].get_xydata()
        self.assertAlmostEqual((y1 - y0) / (x1 - x0), thresholds[len(thresholds) // 2], delta=1e-6)
        self.assertIn(currency, ax.get_ylabel())
        module.plt.close(fig)

    def test_tornado_is_the_comparison_the_summary_prints(self):
        module = self.plot_module()
        cea = self.cea()
        one_way = xr.load_dataset(self.cea_h5, group="analysis/one_way", engine="h5netcdf")
        best, base, bars = module.tornado_bars(one_way, module.reference_threshold(cea))
        done = run([BINARY, "summary", self.cea_h5])
        self.assertEqual(done.returncode, 0, done.stderr)
        text = done.stdout[done.stdout.index("One-way sensitivity"):]
        self.assertIn(f"of '{best}' vs '{cea.strategy.values[0]}'", text)
        self.assertIn(f"base case {base:.1f} ", text)
        rows = re.findall(r"^    (\S+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+[\d.]+$", text, flags=re.MULTILINE)
        self.assertTrue(rows, text)
        self.assertEqual([r[0] for r in rows], [b[0] for b in bars])
        for (_, low, high), (_, plot_low, plot_high) in zip(rows, bars):
            self.assertAlmostEqual(float(low), plot_low, delta=0.051)
            self.assertAlmostEqual(float(high), plot_high, delta=0.051)

    def nine_strategies(self):
        """A made-up CEA result of nine strategies (more than the tab10 habit of eight)."""
        names = [f"strategy-{i}" for i in range(9)]
        wtp = np.arange(0, 101, 10) * 1000.0
        ceac = np.full((len(wtp), 9), 1 / 9)
        return xr.Dataset(
            {"cost": ("strategy", np.arange(9) * 10.0), "qaly": ("strategy", np.arange(9) * 1e-3),
             "dominance": ("strategy", ["frontier"] * 9), "ceac": (("wtp", "strategy"), ceac),
             "ceaf": ("wtp", [names[0]] * len(wtp)), "evpi": ("wtp", wtp / 1e4)},
            coords={"strategy": names, "wtp": wtp, "threshold": [50e3, 100e3]}, attrs={"currency": "EUR"})

    def test_nine_strategies_get_nine_colour_and_marker_pairs(self):
        module = self.plot_module()
        cea = self.nine_strategies()
        fig, (plane, ceac) = module.plt.subplots(1, 2)
        module.draw_ce_plane(plane, cea, None)
        points = [c for c in plane.collections if not c.get_label().startswith("_")]
        pairs = {(tuple(c.get_facecolor()[0]), c.get_paths()[0].vertices.tobytes()) for c in points}
        self.assertEqual(len(points), 9)
        self.assertEqual(len(pairs), 9)
        module.draw_ceac(ceac, cea)
        curves = [line for line in ceac.lines if line.get_label().startswith("strategy-")]
        self.assertEqual(len(curves), 9)
        self.assertEqual(len({line.get_color() for line in curves}), 9)  # colour alone differs
        self.assertEqual(len({line.get_marker() for line in curves}), 9)  # and marker alone
        self.assertIn("EUR", ceac.get_xlabel())
        self.assertEqual(len({module.strategy_style(i, 20) for i in range(20)}), 20)
        module.plt.close(fig)

    def test_evpi_with_evppi_in_whatever_layout_or_none(self):
        module = self.plot_module()
        cea = self.cea()
        parameters = ["a", "b", "c"]
        evppi = xr.DataArray(np.outer(cea.wtp.values, [3e-4, 1e-4, 0.0]), dims=("wtp", "parameter"),
                             coords={"wtp": cea.wtp.values, "parameter": parameters}, name="evppi")
        layouts = {
            "group-wtp-first": (evppi.to_dataset(), "analysis/evppi"),
            "other-dim-name": (evppi.rename({"wtp": "willingness"}).drop_vars("willingness")
                               .rename("value").to_dataset(), "analysis/evppi"),
            "one-dimensional": (evppi.isel(parameter=0).to_dataset(), "analysis/evppi"),
        }
        def without_evppi(name):
            # A copy of the CEA result without the writer's own /analysis/evppi.
            h5 = os.path.join(self.tmp, f"evppi-{name}.h5")
            shutil.copy(self.cea_h5, h5)
            with h5py.File(h5, "a") as f:
                del f["analysis/evppi"]
            return h5

        for name, (ds, group) in layouts.items():
            with self.subTest(layout=name):
                h5 = without_evppi(name)
                ds.to_netcdf(h5, mode="a", group=group, engine="h5netcdf")
                fig, ax = module.plt.subplots()
                module.draw_evpi(ax, cea, module.evppi_curves(h5, cea))
                curves = [line for line in ax.lines if line.get_gid() == "evppi"]
                if name == "one-dimensional":
                    self.assertEqual(curves, [])  # unreadable: EVPI alone, no failure
                else:
                    # parameter c never matters: left out; a before b (higher)
                    self.assertEqual([line.get_label() for line in curves], ["EVPPI a", "EVPPI b"])
                    np.testing.assert_allclose(curves[0].get_ydata(), cea.wtp.values * 3e-4)
                module.plt.close(fig)
                done = self.plot(h5, os.path.join(self.tmp, f"evppi-{name}"))
                self.assertEqual(done.returncode, 0, done.stderr)
                self.assert_pngs(os.path.join(self.tmp, f"evppi-{name}"), [f"evppi-{name}-evpi.png"])
        # The writer's own layout (/analysis/evppi: evppi over wtp x parameter) is read.
        real = module.evppi_curves(self.cea_h5, cea)
        with h5py.File(self.cea_h5, "r") as f:
            self.assertEqual(real.sizes["parameter"], len(f["analysis/evppi/parameter"]))
        fig, ax = module.plt.subplots()
        self.assertIsNone(module.evppi_curves(without_evppi("none"), cea))
        module.draw_evpi(ax, cea, None)
        thresholds = [line.get_xdata()[0] for line in ax.lines if line.get_gid() == "threshold"]
        self.assertEqual(thresholds, list(cea.threshold.values / 1000))
        module.plt.close(fig)

    def test_a_one_strategy_cea_result_draws_no_cea_figure(self):
        h5 = self.cea_run("cea-one", "psa: {draws: 4, agents_per_draw: 300}\nstrategies:\n  - name: no-screening\n", "5")
        with h5py.File(h5, "r") as f:
            self.assertEqual(len(f["analysis/cea/strategy"]), 1)
        out = os.path.join(self.tmp, "cea-one-plots")
        done = self.plot(h5, out)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("one strategy", done.stdout)
        self.assert_pngs(out, ["cea-one-by-year.png"])
        for kind in ["ce-plane", "ceac", "evpi", "tornado"]:
            self.assertFalse(os.path.exists(os.path.join(out, f"cea-one-{kind}.png")), kind)

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
        module = self.plot_module()
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

    def assert_psa_layouts(self, directory, rtol):
        """The PSA tables an example wrote for dampack, BCEA and hesim have their documented
        shapes and the values of /analysis/psa (per draw, and so the mean per strategy)."""
        import pandas as pd
        with h5py.File(self.cea_h5, "r") as f:
            psa = f["analysis/psa"]
            strategies = [s.decode() for s in psa["strategy"][()]]
            parameters = [s.decode() for s in psa["parameter"][()]]
            cost, qaly, values = psa["cost"][()], psa["qaly"][()], psa["parameter_value"][()]
            cea = f["analysis/cea"]
            currency = cea.attrs["currency"]
            currency = currency.decode() if isinstance(currency, bytes) else currency
            dr_costs, dr_qalys = cea.attrs["discount_rate_costs"], cea.attrs["discount_rate_effects"]
        draws = cost.shape[0]
        read = lambda name: pd.read_csv(os.path.join(directory, f"psa-{name}.csv"), float_precision="round_trip")
        # dampack make_psa_obj / BCEA bcea: one row per draw, one column per strategy, in order
        for name, stored in [("cost", cost), ("qaly", qaly)]:
            table = read(name)
            self.assertEqual(list(table.columns), strategies, name)
            self.assertEqual(table.shape, (draws, len(strategies)), name)
            np.testing.assert_allclose(table.to_numpy(), stored, rtol=rtol, atol=0, err_msg=name)
        table = read("parameters")
        self.assertEqual(list(table.columns), parameters)
        np.testing.assert_allclose(table.to_numpy(), values, rtol=rtol, atol=0)
        ids = read("strategies")
        self.assertEqual(list(ids.strategy), strategies)
        self.assertEqual(list(ids.strategy_id), list(range(1, len(strategies) + 1)))
        self.assertEqual(set(ids.currency), {currency})
        # hesim's ce object: long tables, one row per (sample, strategy), one group
        costs, qalys = read("hesim-costs"), read("hesim-qalys")
        self.assertEqual(list(costs.columns), ["category", "dr", "sample", "strategy_id", "grp_id", "costs"])
        self.assertEqual(list(qalys.columns), ["dr", "sample", "strategy_id", "grp_id", "qalys"])
        for table, stored, dr, value in [(costs, cost, dr_costs, "costs"), (qalys, qaly, dr_qalys, "qalys")]:
            self.assertEqual(len(table), draws * len(strategies))
            self.assertEqual(len(table.drop_duplicates(["sample", "strategy_id"])), len(table))
            self.assertEqual(set(table.grp_id), {1})
            np.testing.assert_allclose(table.dr, dr)
            wide = table.pivot(index="sample", columns="strategy_id", values=value)
            self.assertEqual(list(wide.index), list(range(1, draws + 1)))
            np.testing.assert_allclose(wide.to_numpy(), stored, rtol=rtol, atol=0, err_msg=value)
            # summed in another order than numpy's pairwise sum: a few ulps
            np.testing.assert_allclose(table.groupby("strategy_id")[value].mean(), stored.mean(axis=0),
                                       rtol=max(rtol, 1e-13), err_msg=value)

    def test_cea_r_example(self):
        out = os.path.join(self.tmp, "r-cea")
        done = run([tool("Rscript"), os.path.join(SOURCE_DIR, "examples", "osteosim-cea.R"), self.cea_h5, out])
        self.assertEqual(done.returncode, 0, done.stderr)
        with h5py.File(self.cea_h5, "r") as f:
            currency = f["analysis/cea"].attrs["currency"]
            currency = currency.decode() if isinstance(currency, bytes) else currency
            strategies = [s.decode() for s in f["analysis/cea/strategy"][()]]
        self.assertIn(f"costs in {currency}", done.stdout)
        self.assertIn(f"ICER in {currency} per QALY", done.stdout)
        for strategy in strategies:
            self.assertIn(strategy, done.stdout)
        # the CEAC recomputed from the PSA draws is the file's, to the last digit
        self.assertRegex(done.stdout, r"largest difference from /analysis/cea/ceac: 0\)")
        self.assert_pngs(out, ["ceac-R.png"])
        # R's write.csv keeps 15 significant digits
        self.assert_psa_layouts(out, rtol=1e-14)

    def test_cea_r_example_without_a_psa_prints_the_tables_and_writes_no_psa(self):
        h5 = self.cea_run("cea-nopsa", "psa: {draws: 0}\n", "5")
        out = os.path.join(self.tmp, "r-cea-nopsa")
        done = run([tool("Rscript"), os.path.join(SOURCE_DIR, "examples", "osteosim-cea.R"), h5, out])
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("Incremental cost-effectiveness", done.stdout)
        self.assertIn("no PSA in this file", done.stdout)
        self.assertEqual(os.listdir(out), [])

    def test_cea_examples_speak_the_files_currency(self):
        # A copy of the US model priced in GBP (as tests/cli/currency.sh makes it): both CEA
        # examples must say GBP and never USD, in their output and in the CSV they write.
        root = os.path.join(self.tmp, "gbp")
        shutil.copytree(os.path.join(SOURCE_DIR, "models", "us-2025"), os.path.join(root, "models", "gbtest-2025"))
        for name, old, new in [("model.yaml", "name: us-2025", "name: gbtest-2025"),
                               ("economics.yaml", "currency: USD", "currency: GBP")]:
            path = os.path.join(root, "models", "gbtest-2025", name)
            with open(path) as f:
                text = f.read()
            self.assertIn(f"\n{old}\n", text, f"no line '{old}' in {name} to change")
            with open(path, "w") as f:
                f.write(text.replace(f"\n{old}\n", f"\n{new}\n"))
        os.makedirs(os.path.join(root, "scenarios"))
        scenario = os.path.join(root, "scenarios", "cea-gbp.yaml")
        with open(os.path.join(SOURCE_DIR, "scenarios", "us-women-screening-cea.yaml")) as f:
            text = f.read()
        text = re.sub(r"^model: us-2025$", "model: gbtest-2025", text, flags=re.MULTILINE)
        text = re.sub(r"^psa: .*$", "psa: {draws: 4, agents_per_draw: 300}", text, flags=re.MULTILINE)
        with open(scenario, "w") as f:
            f.write(text)
        h5 = os.path.join(root, "cea-gbp.h5")
        done = run([BINARY, "run", scenario, "--agents", "1000", "--set", "years=5", "-o", h5, "--quiet"])
        self.assertEqual(done.returncode, 0, done.stderr)
        done = run([tool("Rscript"), os.path.join(SOURCE_DIR, "examples", "osteosim-cea.R"), h5,
                    os.path.join(root, "r")])
        self.assertEqual(done.returncode, 0, done.stderr)
        status, stderr, outputs, _ = executed_outputs(
            os.path.join(SOURCE_DIR, "examples", "osteosim-cea.ipynb"), h5, os.path.join(root, "notebook"),
            env={"OSTEOSIM_OUTPUT_DIR": os.path.join(root, "csv")})
        self.assertEqual(status, 0, stderr[-3000:])
        for name, text in [("R", done.stdout), ("notebook", json.dumps(outputs))]:
            self.assertIn("costs in GBP", text, name)
            self.assertNotIn("USD", text, name)
        for directory in ["r", "csv"]:
            with open(os.path.join(root, directory, "psa-strategies.csv")) as f:
                self.assertIn("GBP", f.read(), directory)

    def test_cea_notebook_executes(self):
        notebook = os.path.join(SOURCE_DIR, "examples", "osteosim-cea.ipynb")
        csv = os.path.join(self.tmp, "notebook-cea-csv")
        status, stderr, outputs, images = executed_outputs(
            notebook, self.cea_h5, os.path.join(self.tmp, "notebook-cea"), env={"OSTEOSIM_OUTPUT_DIR": csv})
        self.assertEqual(status, 0, stderr[-3000:])
        self.assertFalse([o for o in outputs if o["output_type"] == "error"])
        self.assertEqual(len(images), 1, "the notebook should draw the CEAC")
        text = json.dumps(outputs)
        # the CEAC recomputed from the PSA draws is the file's, to the last digit
        self.assertTrue("largest difference from /analysis/cea/ceac: 0.0" in text,
                        "the notebook's CEAC differs from /analysis/cea/ceac")
        self.assertTrue("dominance" in text, "no incremental table")
        # pandas writes the shortest repr that reads back to the same double
        self.assert_psa_layouts(csv, rtol=0)

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
