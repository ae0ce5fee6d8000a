"""A small reader of osteosim result files (HDF5 laid out as netCDF-4).

Everything here is built on Debian's python3-h5py, python3-xarray and python3-h5netcdf;
there is nothing to install: put this folder's parent (`python/`) on sys.path or
PYTHONPATH. The file layout is documented in docs/outputs.md.

    import osteosim
    ds = osteosim.open_result("OUT.h5")     # every strategy, one Dataset, dim "strategy"
    cea = osteosim.open_analysis("OUT.h5", "cea")
    yaml_text = osteosim.read_config("OUT.h5")
    events = osteosim.open_events("OUT.h5", "no-screening")
"""
from .reader import (
    FORMAT,
    SUPPORTED_FORMAT_VERSIONS,
    NotAResultFile,
    analyses,
    check_seal,
    open_analysis,
    open_baseline,
    open_events,
    open_result,
    read_config,
    strategies,
)

__all__ = [
    "FORMAT",
    "SUPPORTED_FORMAT_VERSIONS",
    "NotAResultFile",
    "analyses",
    "check_seal",
    "open_analysis",
    "open_baseline",
    "open_events",
    "open_result",
    "read_config",
    "strategies",
]
