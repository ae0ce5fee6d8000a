"""The Python reader python/osteosim gives back exactly what the file holds.

Run by ctest as:  /usr/bin/python3 test_python_reader.py OSTEOSIM_BINARY SOURCE_DIR
It runs two small results with that binary: the screening-policies scenario for both sexes
(six strategies, event histories of a few agents) and a small cost-effectiveness run with
a PSA. It compares the reader with plain h5py, checks that foreign files are refused with
their name in the message, executes examples/osteosim-reader.ipynb (needs
jupyter-nbconvert and python3-ipykernel, as test_examples.py) and README's reader snippet.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import zlib

import h5py
import numpy as np
import xarray as xr
import yaml

from notebook_check import executed_outputs

BINARY = None
SOURCE_DIR = None
osteosim = None  # imported in main, from SOURCE_DIR/python


def run(command, **kwargs):
    """Run a command headless (Agg figures) with the reader importable via PYTHONPATH."""
    env = {**os.environ, "MPLBACKEND": "Agg", "PYDEVD_DISABLE_FILE_VALIDATION": "1",
           "PYTHONPATH": os.path.join(SOURCE_DIR, "python"), **kwargs.pop("env", {})}
    return subprocess.run(command, capture_output=True, text=True, timeout=600, env=env, **kwargs)


def simulate(out, scenario, *options):
    done = run([BINARY, "run", scenario, "-o", out, "--quiet", *options])
    assert done.returncode == 0, f"osteosim run {scenario} failed:\n{done.stderr}"


def creation_order(group):
    """Child names of an HDF5 group by creation order, independently of h5py's iteration."""
    names = []
    group.id.links.iterate(names.append, idx_type=h5py.h5.INDEX_CRT_ORDER)
    return [name.decode() for name in names]


def stored(dataset):
    """A dataset's values as h5py reads them, strings decoded, for comparison with xarray."""
    values = dataset[()]
    if isinstance(values, bytes):
        return values.decode()
    if values.dtype.kind in "OS":
        return np.array([v.decode() if isinstance(v, bytes) else v for v in values.ravel()],
                        dtype=object).reshape(values.shape)
    return values



def reseal(path):
    """Seal a file again as osteosim does (docs/outputs.md, "Integrity"): 512 bytes holding
    the length and CRC-32 of the rest; a file edited on purpose then passes the seal."""
    body = open(path, "rb").read()[osteosim.reader.SEAL_BYTES:]
    text = f"osteosim-seal 1\nbytes {len(body)}\ncrc32 {zlib.crc32(body):08x}\n".encode()
    with open(path, "r+b") as f:
        f.write(text.ljust(osteosim.reader.SEAL_BYTES, b"\0"))


class PythonReader(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="osteosim_python_reader_")
        cls.policies = os.path.join(cls.tmp, "policies.h5")
        simulate(cls.policies, os.path.join(SOURCE_DIR, "scenarios", "us-women-screening-policies.yaml"),
                 "--agents", "3000", "--set", "years=20", "--set", "population.sex=both",
                 "--microdata", "20")
        shutil.copy(os.path.join(SOURCE_DIR, "scenarios", "us-women-screening-cea.yaml"), cls.tmp)
        small = os.path.join(cls.tmp, "cea-small.yaml")
        with open(small, "w") as f:
            f.write("schema_version: 1\nname: cea-small\nextends: us-women-screening-cea\n"
                    "psa: {draws: 10, agents_per_draw: 500}\n")
        cls.cea = os.path.join(cls.tmp, "cea.h5")
        simulate(cls.cea, small, "--agents", "2000", "--set", "years=10")
        cls.ds = osteosim.open_result(cls.policies)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_strategy_dimension_holds_every_strategy_in_file_order(self):
        with h5py.File(self.policies, "r") as f:
            in_file = creation_order(f["strategies"])
        scenario = yaml.safe_load(osteosim.read_config(self.policies))["scenario"]
        self.assertEqual(in_file, [s["name"] for s in scenario["strategies"]])
        self.assertEqual(len(in_file), 6)
        self.assertEqual(list(self.ds.strategy.values), in_file)
        self.assertEqual(osteosim.strategies(self.policies), in_file)
        self.assertEqual(self.ds.fractures.dims[0], "strategy")

    def test_every_variable_equals_what_h5py_reads_from_each_group(self):
        with h5py.File(self.policies, "r") as f:
            for name in creation_order(f["strategies"]):
                group = f["strategies"][name]
                one = self.ds.sel(strategy=name)
                variables = [k for k, v in group.items() if isinstance(v, h5py.Dataset)]
                self.assertIn("fractures", variables)
                self.assertIn("person_years", variables)
                for variable in variables:
                    with self.subTest(strategy=name, variable=variable):
                        self.assertIn(variable, self.ds.variables)
                        expected = stored(group[variable])
                        np.testing.assert_array_equal(one[variable].values, expected)
                        self.assertEqual(one[variable].dims, netcdf_dims(group[variable]))
                        for key in ["long_name", "units"]:
                            if key in group[variable].attrs:
                                self.assertEqual(one[variable].attrs.get(key),
                                                 group[variable].attrs[key].decode()
                                                 if isinstance(group[variable].attrs[key], bytes)
                                                 else group[variable].attrs[key], key)
                self.assertEqual(int(one.blocks), int(group.attrs["blocks"]))
                self.assertGreater(int(group["fractures"][()].sum()), 0)

    def test_numeric_age_coordinate(self):
        age = self.ds.coords["age"]
        self.assertEqual(age.dims, ("age_band",))
        self.assertTrue(np.issubdtype(age.dtype, np.integer))
        self.assertEqual(list(age.values), list(range(50, 101, 5)))
        self.assertIn("age", self.ds.fractures.coords)
        self.assertNotIn("strategy", age.dims)

    def test_root_attributes_are_the_dataset_attributes(self):
        with h5py.File(self.policies, "r") as f:
            expected = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in f.attrs.items()}
        self.assertEqual(self.ds.attrs, expected)
        for key in ["model", "scenario", "seed", "persons_per_agent", "format", "format_version"]:
            self.assertIn(key, self.ds.attrs)
        self.assertEqual(self.ds.attrs["scenario"], "us-women-screening-policies")
        self.assertEqual(self.ds.person_years.attrs.get("units"), "years")

    def test_foreign_files_raise_an_error_naming_the_file(self):
        no_attributes = os.path.join(self.tmp, "plain.h5")
        with h5py.File(no_attributes, "w") as f:
            f.create_dataset("x", data=[1, 2, 3])
        newer = os.path.join(self.tmp, "newer.h5")
        shutil.copy(self.cea, newer)
        with h5py.File(newer, "a") as f:
            f.attrs["format_version"] = np.int32(99)
        reseal(newer)  # so that the version check, not the seal, refuses it
        other_format = os.path.join(self.tmp, "other-format.h5")  # right shape, someone else's file
        shutil.copy(self.cea, other_format)
        with h5py.File(other_format, "a") as f:
            f.attrs["format"] = "not-osteosim"
        reseal(other_format)
        edited = os.path.join(self.tmp, "edited.h5")  # changed after osteosim wrote it
        shutil.copy(self.cea, edited)
        with h5py.File(edited, "a") as f:
            f["strategies/no-screening/fractures"][0, 0, 0, 0] = -5
        data = bytearray(open(self.cea, "rb").read())
        flipped = os.path.join(self.tmp, "flipped.h5")  # 4 KB of damage: h5py might crash on it
        middle = len(data) // 2
        data[middle:middle + 4096] = bytes(b ^ 0x5A for b in data[middle:middle + 4096])
        open(flipped, "wb").write(data)
        truncated = os.path.join(self.tmp, "truncated.h5")
        open(truncated, "wb").write(open(self.cea, "rb").read()[:-100])
        readme = os.path.join(SOURCE_DIR, "README.md")
        reasons = {readme: "no osteosim seal", no_attributes: "no osteosim seal",
                   newer: "format_version 99", other_format: "root attribute 'format'",
                   edited: "do not match the seal", flipped: "do not match the seal",
                   truncated: "do not match the seal"}
        for bad, reason in reasons.items():
            for reader in [osteosim.open_result, osteosim.read_config, osteosim.strategies,
                           lambda p: osteosim.open_analysis(p, "cea"),
                           lambda p: osteosim.open_events(p, "no-screening")]:
                with self.subTest(file=bad, reader=reader):
                    with self.assertRaises(ValueError) as caught:
                        reader(bad)
                    self.assertIsInstance(caught.exception, osteosim.NotAResultFile)
                    self.assertIn(bad, str(caught.exception))
                    self.assertIn(reason, str(caught.exception))
        with self.assertRaisesRegex(FileNotFoundError, "missing.h5"):
            osteosim.open_result(os.path.join(self.tmp, "missing.h5"))

    def test_analysis_groups_as_stored(self):
        self.assertEqual(osteosim.analyses(self.cea), ["cea", "psa", "one_way", "evppi"])
        for name in osteosim.analyses(self.cea):
            with self.subTest(analysis=name):
                ours = osteosim.open_analysis(self.cea, name)
                with xr.open_dataset(self.cea, group=f"analysis/{name}", engine="h5netcdf") as plain:
                    xr.testing.assert_identical(ours, plain.load())
        cea = osteosim.open_analysis(self.cea, "cea")
        self.assertEqual(list(cea.strategy.values), osteosim.strategies(self.cea))
        self.assertIn("currency", cea.attrs)
        with self.assertRaisesRegex(KeyError, "policies.h5.*psa"):
            osteosim.open_analysis(self.policies, "psa")

    def test_config_is_the_resolved_scenario_text(self):
        text = osteosim.read_config(self.cea)
        with h5py.File(self.cea, "r") as f:
            self.assertEqual(text, f["config/scenario_yaml"][()].decode())
        self.assertEqual(yaml.safe_load(text)["scenario"]["name"], "cea-small")

    def test_event_histories_where_they_exist(self):
        with h5py.File(self.policies, "r") as f:
            for name in ["no-screening", "combination"]:
                for table, reader in [("events", osteosim.open_events), ("baseline", osteosim.open_baseline)]:
                    group = f["strategies"][name][table]
                    ours = reader(self.policies, name)
                    for variable in group:
                        np.testing.assert_array_equal(ours[variable].values, stored(group[variable]))
        self.assertEqual(sorted(set(osteosim.open_events(self.policies, "uspstf").agent.values)),
                         list(range(20)))
        with self.assertRaisesRegex(KeyError, "cea.h5.*no events.*microdata"):
            osteosim.open_events(self.cea, "no-screening")
        with self.assertRaisesRegex(KeyError, "nobody"):
            osteosim.open_events(self.policies, "nobody")

    def test_notebook_executes(self):
        notebook = os.path.join(SOURCE_DIR, "examples", "osteosim-reader.ipynb")
        status, stderr, outputs, images = executed_outputs(notebook, self.policies,
                                                           os.path.join(self.tmp, "notebook"))
        self.assertEqual(status, 0, stderr[-3000:])
        self.assertFalse([o for o in outputs if o["output_type"] == "error"])
        self.assertGreaterEqual(len(images), 2, "the notebook drew fewer than two figures")
        text = json.dumps(outputs)
        for expected in ["clinical_vertebral", "male", "combination", "fractures_averted", "dominance"]:
            self.assertIn(expected, text)

    def test_readme_reader_snippet_runs(self):
        # README's block that imports osteosim, as pasted at the repository root with
        # PYTHONPATH=python, next to a multi-strategy result under the name it uses.
        with open(os.path.join(SOURCE_DIR, "README.md")) as f:
            blocks = re.findall(r"```python\n(.*?)```", f.read(), flags=re.DOTALL)
        snippets = [b for b in blocks if "import osteosim" in b]
        self.assertEqual(len(snippets), 1, "README should show one osteosim reader block")
        self.assertNotEqual(blocks.index(snippets[0]), 0, "test_examples.py runs the first block")
        workdir = os.path.join(self.tmp, "readme")
        os.makedirs(os.path.join(workdir, "results"))
        shutil.copy(self.policies, os.path.join(workdir, "results", "us-cohort-50.h5"))
        done = run([sys.executable, "-c", snippets[0]], cwd=workdir)
        self.assertEqual(done.returncode, 0, done.stderr)
        for expected in ["hip", "combination", "female"]:
            self.assertIn(expected, done.stdout)


def netcdf_dims(dataset):
    """Dimension names of a dataset: itself for a dimension scale, else its attached scales."""
    if h5py.h5ds.is_scale(dataset.id):
        return (os.path.basename(dataset.name),)
    return tuple(os.path.basename(dataset.dims[axis][0].name) for axis in range(dataset.ndim))


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: test_python_reader.py OSTEOSIM_BINARY SOURCE_DIR")
    BINARY, SOURCE_DIR = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    sys.path.insert(0, os.path.join(SOURCE_DIR, "python"))
    import osteosim  # noqa: E402,F811  (the reader under test, from this source tree)
    unittest.main(argv=[sys.argv[0]], verbosity=2)
