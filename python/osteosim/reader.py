"""Open osteosim result files as xarray Datasets.

The writer stores each strategy as its own netCDF-4 group with identical dimensions
(docs/outputs.md). Comparing strategies is the usual question, so open_result() stacks
them along a `strategy` dimension; the other groups (/analysis/*, /config, event
histories) are read as they are stored. Every reader checks the root attributes first,
so a wrong file fails with a message naming it instead of a KeyError deep in xarray.
"""
import contextlib
import os
import zlib

import h5py
import pandas as pd
import xarray as xr

FORMAT = "osteosim-results"
# Versions whose layout this reader knows; a newer writer bumps format_version exactly
# when an older reader would misread the file (docs/outputs.md), so refuse those.
SUPPORTED_FORMAT_VERSIONS = (1,)
ENGINE = "h5netcdf"


class NotAResultFile(ValueError):
    """The path exists but is not an osteosim result file this reader can read."""

    def __init__(self, path, reason):
        super().__init__(f"{path}: {reason}")
        self.path = path


def _text(value):
    """HDF5 strings come back as bytes or str depending on how they were written."""
    return value.decode() if isinstance(value, bytes) else value


SEAL_BYTES = 512
_SEAL_MAGIC = b"osteosim-seal 1\n"


def check_seal(path):
    """Raise NotAResultFile unless the file's bytes are those osteosim wrote.

    The first 512 bytes of a result file (an HDF5 user block, which h5py skips) hold the
    length and CRC-32 of the rest (docs/outputs.md, "Integrity"). Checking them before h5py
    parses the file keeps a truncated or damaged file from crashing libhdf5 (and the
    notebook's kernel with it), and refuses a file changed after osteosim wrote it.
    """
    with open(path, "rb") as f:
        block = f.read(SEAL_BYTES)
        if not block.startswith(_SEAL_MAGIC):
            raise NotAResultFile(path, "not an osteosim result file (no osteosim seal in its "
                                       "first 512 bytes)")
        crc, length = 0, 0
        for chunk in iter(lambda: f.read(1 << 20), b""):
            crc, length = zlib.crc32(chunk, crc), length + len(chunk)
    expected = f"{_SEAL_MAGIC.decode()}bytes {length}\ncrc32 {crc:08x}\n".encode()
    if block != expected.ljust(SEAL_BYTES, b"\0"):
        raise NotAResultFile(path, "damaged, truncated or changed after osteosim wrote it (its "
                                   "bytes do not match the seal in its first 512 bytes)")


@contextlib.contextmanager
def _checked(path):
    """Open `path` with h5py after checking it is an osteosim result; yields the File.

    Raises FileNotFoundError for a missing path and NotAResultFile (naming the path)
    for anything that is not sealed by osteosim (check_seal), not HDF5, lacks the format
    attributes or has a newer version.
    """
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise FileNotFoundError(2, "no such result file", path)
    check_seal(path)
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        raise NotAResultFile(path, f"not an osteosim result file (not readable as HDF5: {e})") from e
    with f:
        found = _text(f.attrs.get("format"))
        if found != FORMAT:
            raise NotAResultFile(path, f"not an osteosim result file (root attribute 'format' is "
                                       f"{found!r}, expected {FORMAT!r})")
        version = f.attrs.get("format_version")
        if version is None or int(version) not in SUPPORTED_FORMAT_VERSIONS:
            raise NotAResultFile(path, f"osteosim result format_version {version} is not one this "
                                       f"reader knows {SUPPORTED_FORMAT_VERSIONS}; update python/osteosim")
        if "strategies" not in f:
            raise NotAResultFile(path, "osteosim result file without a /strategies group (damaged?)")
        yield f


def root_attributes(f):
    """The root attributes (model, scenario, seed, units of the run...) as plain values."""
    return {key: _text(value) for key, value in f.attrs.items()}


def strategies(path):
    """Strategy names in file order (the scenario's order; the writer tracks creation order)."""
    with _checked(path) as f:
        return list(f["strategies"])


def analyses(path):
    """Names of the /analysis groups the file holds (e.g. ['cea', 'psa', 'one_way'])."""
    with _checked(path) as f:
        return list(f["analysis"]) if "analysis" in f else []


def _strategy_attributes(groups):
    """Group attributes other than the name (e.g. blocks) as variables over strategy.

    They may differ between strategies, so they cannot be Dataset attrs once stacked;
    data variables rather than coordinates, so they do not follow every DataArray around.
    Only attributes every group has are kept.
    """
    shared = set.intersection(*(set(ds.attrs) for ds in groups)) - {"strategy"}
    origin = {"description": "attribute of each /strategies/<strategy> group"}
    return {key: ("strategy", [ds.attrs[key] for ds in groups], origin) for key in sorted(shared)}


def open_result(path):
    """Every strategy of a result file as one Dataset with a leading `strategy` dimension.

    Variables and coordinates are those of each /strategies/<name> group (including the
    numeric `age` coordinate over age_band), stacked in file order; the root attributes
    become the Dataset's attrs. Strategies must share their coordinates exactly (they do:
    all strategies of a run share agents, years and labels), otherwise xarray raises.
    """
    path = os.fspath(path)
    with _checked(path) as f:
        names = list(f["strategies"])
        attrs = root_attributes(f)
    groups = [xr.load_dataset(path, group=f"strategies/{name}", engine=ENGINE) for name in names]
    extra = _strategy_attributes(groups)
    ds = xr.concat(groups, dim=pd.Index(names, name="strategy"), data_vars="all",
                   coords="minimal", compat="equals", join="exact",
                   combine_attrs="drop_conflicts")  # keeps each variable's units and long_name
    ds = ds.assign(extra)
    ds.attrs = attrs
    ds.encoding["source"] = path
    return ds


def open_analysis(path, name):
    """One /analysis/<name> group (cea, psa, one_way) as stored, with its attributes."""
    path = os.fspath(path)
    available = analyses(path)
    if name not in available:
        raise KeyError(f"{path}: no /analysis/{name} group; the file has {available}")
    return xr.load_dataset(path, group=f"analysis/{name}", engine=ENGINE)


def read_config(path):
    """The resolved scenario and model (YAML text) the run used, from /config/scenario_yaml."""
    with _checked(path) as f:
        if "config/scenario_yaml" not in f:
            raise KeyError(f"{path}: no /config/scenario_yaml")
        return _text(f["config/scenario_yaml"][()])


def _microdata_group(path, strategy, table):
    """Path of /strategies/<strategy>/<table>, with errors that say what is missing and why."""
    path = os.fspath(path)
    with _checked(path) as f:
        names = list(f["strategies"])
        if strategy not in names:
            raise KeyError(f"{path}: no strategy {strategy!r}; the file has {names}")
        if table not in f["strategies"][strategy]:
            raise KeyError(f"{path}: strategy {strategy!r} has no {table} (event histories are "
                           f"written only with microdata_agents: N or --microdata N)")
    return f"strategies/{strategy}/{table}"


def open_events(path, strategy):
    """The event histories of the sampled agents of one strategy (dimension `row`).

    `.to_dataframe()` gives the long table; agent ids join with open_baseline().
    """
    return xr.load_dataset(path, group=_microdata_group(path, strategy, "events"), engine=ENGINE)


def open_baseline(path, strategy):
    """The sampled agents' characteristics at entry for one strategy (dimension `agent`)."""
    return xr.load_dataset(path, group=_microdata_group(path, strategy, "baseline"), engine=ENGINE)
