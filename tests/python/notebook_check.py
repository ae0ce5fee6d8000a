"""Runs a Jupyter notebook headless on a result file, as the example tests do.

Not a test itself (no test_ prefix): test_examples.py and test_python_reader.py import it.
"""
import json
import os
import shutil
import subprocess


def executed_outputs(notebook, result, out_dir, env=None):
    """Executes `notebook` with OSTEOSIM_RESULT=`result` (and the variables of `env`) into
    `out_dir` and returns (return code, stderr, outputs of its code cells, PNG images drawn)."""
    jupyter = shutil.which("jupyter") or "/usr/bin/jupyter"
    if not os.path.exists(jupyter):
        raise AssertionError("'jupyter' is not installed; run scripts/setup")
    env = {**os.environ, "OSTEOSIM_RESULT": result, "PYDEVD_DISABLE_FILE_VALIDATION": "1",
           "MPLBACKEND": "module://matplotlib_inline.backend_inline", **(env or {})}
    done = subprocess.run([jupyter, "nbconvert", "--to", "notebook", "--execute", "--output-dir",
                           out_dir, notebook], capture_output=True, text=True, timeout=600, env=env)
    if done.returncode != 0:
        return done.returncode, done.stderr, [], []
    with open(os.path.join(out_dir, os.path.basename(notebook))) as f:
        cells = json.load(f)["cells"]
    outputs = [o for c in cells if c["cell_type"] == "code" for o in c["outputs"]]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    return done.returncode, done.stderr, outputs, images
