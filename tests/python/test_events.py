"""Event histories (microdata_agents): the table agrees with the tallies, keeps common
random numbers across strategies, loads in one line, and exports.

Run by ctest as:  /usr/bin/python3 test_events.py OSTEOSIM_BINARY SOURCE_DIR
"""
import importlib.machinery
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import numpy as np
import pandas as pd
import xarray as xr

BINARY = None
SOURCE_DIR = None
AGENTS = 5000
YEARS = 20
INTERVENTIONS = {"screened", "dxa", "treatment_start", "treatment_stop", "adverse_event",
                 "programme_start"}


def osteosim(*args):
    return subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=600)


def analysis_module():
    path = os.path.join(SOURCE_DIR, "scripts", "event-analysis")
    loader = importlib.machinery.SourceFileLoader("event_analysis", path)
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(loader.name, loader))
    loader.exec_module(module)
    return module


class EventHistories(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="osteosim_events_")
        cls.h5 = os.path.join(cls.tmp, "out.h5")
        scenario = os.path.join(SOURCE_DIR, "scenarios", "us-women-screening-policies.yaml")
        # Every agent sampled: the event table must then reproduce the tallies exactly.
        done = osteosim("run", scenario, "-o", cls.h5, "--agents", str(AGENTS), "--microdata",
                        str(AGENTS), "--set", f"years={YEARS}", "--set", "time_step_months=3",
                        "--threads", "2", "--quiet")
        assert done.returncode == 0, done.stderr
        cls.analysis = analysis_module()
        import h5py
        with h5py.File(cls.h5, "r") as f:
            cls.strategies = list(f["strategies"])

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def events(self, strategy):
        # The one line the README shows.
        return xr.open_dataset(self.h5, group=f"strategies/{strategy}/events",
                               engine="h5netcdf").to_dataframe()

    def test_one_line_dataframe_and_no_leftover_spool(self):
        df = self.events(self.strategies[0])
        self.assertEqual(list(df.columns), ["agent", "time_years", "age_years", "event", "site", "value"])
        self.assertEqual(df.event.dtype, object)
        self.assertIn("fracture", set(df.event))
        self.assertEqual((df.event == "entry").sum(), AGENTS)
        # Rows in agent order, and in time order within an agent.
        self.assertTrue(df.agent.is_monotonic_increasing)
        self.assertTrue((df.groupby("agent").time_years.diff().dropna() >= 0).all())
        self.assertEqual(sorted(os.listdir(self.tmp)), ["out.h5"])

    def test_event_table_reproduces_the_tallies_exactly(self):
        for strategy in self.strategies:
            events, _ = self.analysis.load(self.h5, strategy)
            self.assertEqual(self.analysis.cross_check(self.h5, strategy, events, YEARS), [], strategy)

    def test_a_sample_agrees_with_a_run_of_just_those_agents(self):
        # The first N of a larger run are the same people with the same random numbers as
        # a run of N agents, so a partial sample's events recount that run's tallies.
        sampled, alone = os.path.join(self.tmp, "sampled.h5"), os.path.join(self.tmp, "alone.h5")
        scenario = os.path.join(SOURCE_DIR, "scenarios", "us-women-screening-policies.yaml")
        common = ["--set", "years=8", "--set", "time_step_months=3", "--quiet"]
        for out, extra in [(sampled, ["--agents", "9000", "--microdata", "5000"]),
                           (alone, ["--agents", "5000"])]:
            done = osteosim("run", scenario, "-o", out, *extra, *common)
            self.assertEqual(done.returncode, 0, done.stderr)
        for strategy in self.strategies:
            events, baseline = self.analysis.load(sampled, strategy)
            self.assertEqual(len(baseline), 5000)
            self.assertEqual(self.analysis.cross_check(alone, strategy, events, 8), [], strategy)
        os.remove(sampled)
        os.remove(alone)

    def test_conditional_questions_give_finite_answers(self):
        events, _ = self.analysis.load(self.h5, self.strategies[0])
        n, incidence = self.analysis.second_fracture_incidence(events, YEARS)
        self.assertGreater(n, 0)
        self.assertTrue(0 < incidence[1.0] <= incidence[2.0] <= incidence[5.0] < 1)
        hips, survival = self.analysis.survival_after_hip_fracture(events, YEARS)
        self.assertGreater(hips, 0)
        self.assertTrue(1 >= survival[0.5] >= survival[1.0] > 0)
        women, rate = self.analysis.incidence_after_vertebral(events, YEARS)
        self.assertGreater(women, 0)
        self.assertTrue(0 < rate < 1000)

    def test_cross_check_can_fail(self):
        events, _ = self.analysis.load(self.h5, self.strategies[0])
        first_fracture = events.index[events.event == "fracture"][0]
        damaged = events.drop(index=first_fracture)
        self.assertIn("fractures", self.analysis.cross_check(self.h5, self.strategies[0], damaged, YEARS))

    def test_identical_across_strategies_until_the_first_intervention(self):
        reference = self.events(self.strategies[0])
        self.assertFalse(reference.event.isin(INTERVENTIONS).any(), "first strategy intervenes")
        compared = 0
        for strategy in self.strategies[1:]:
            other = self.events(strategy)
            first = other[other.event.isin(INTERVENTIONS)].groupby("agent").time_years.min()
            def before(df):
                limit = df.agent.map(first).fillna(np.inf)
                return df[df.time_years < limit].reset_index(drop=True)
            a, b = before(reference), before(other)
            pd.testing.assert_frame_equal(a, b, check_exact=True, obj=strategy)
            compared += len(a)
            # A strategy that reached nobody in this horizon must change nothing at all; one
            # that did must change something after its first intervention, or the comparison
            # above could not have failed.
            intervened = not first.empty
            self.assertEqual(reference.reset_index(drop=True).equals(other.reset_index(drop=True)),
                             not intervened, strategy)
        self.assertGreater(compared, 0)

    def test_baseline_is_the_same_people_in_every_strategy(self):
        tables = [xr.open_dataset(self.h5, group=f"strategies/{s}/baseline", engine="h5netcdf").to_dataframe()
                  for s in self.strategies]
        self.assertEqual(len(tables[0]), AGENTS)
        for table in tables[1:]:
            pd.testing.assert_frame_equal(tables[0], table, check_exact=True)

    def test_export_events(self):
        csv = os.path.join(self.tmp, "events.csv")
        done = osteosim("export", self.h5, "--events", "--csv", csv)
        self.assertEqual(done.returncode, 0, done.stderr)
        table = pd.read_csv(csv, keep_default_na=False, na_values={"value": ["NaN"]},
                            float_precision="round_trip")
        os.remove(csv)
        self.assertEqual(list(table.columns),
                         ["strategy", "agent", "time_years", "age_years", "event", "site", "value"])
        self.assertEqual(len(table), sum(len(self.events(s)) for s in self.strategies))
        ours = table[table.strategy == self.strategies[0]].reset_index(drop=True)
        np.testing.assert_array_equal(ours.time_years, self.events(self.strategies[0]).time_years)

    def test_bad_input_exits_2(self):
        scenario = os.path.join(SOURCE_DIR, "scenarios", "us-cohort-50-both-sexes.yaml")
        done = osteosim("check", scenario, "--microdata", "-5")
        self.assertEqual(done.returncode, 2, done.stderr)
        self.assertIn("microdata_agents", done.stderr)
        done = osteosim("export", self.h5, "--events", "--csv", os.path.join(self.tmp, "x.csv"))
        self.assertEqual(done.returncode, 0)
        os.remove(os.path.join(self.tmp, "x.csv"))
        plain = os.path.join(self.tmp, "plain.h5")
        self.assertEqual(osteosim("run", scenario, "-o", plain, "--agents", "500", "--set", "years=2",
                                  "--quiet").returncode, 0)
        done = osteosim("export", plain, "--events", "--csv", os.path.join(self.tmp, "y.csv"))
        os.remove(plain)
        self.assertEqual(done.returncode, 2)
        self.assertIn("no event histories", done.stderr)


if __name__ == "__main__":
    BINARY, SOURCE_DIR = sys.argv[1], sys.argv[2]
    unittest.main(argv=sys.argv[:1])
