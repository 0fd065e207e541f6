"""The nblabel package of another git revision, importable beside the working tree's, for before/after benches.

`baseline("main")` extracts that revision's `nblabel/` into a temporary folder as the package `nblabel_base`
(the package imports itself relatively, so the new name holds; the built JS bundle is this tree's) and returns
it; None when git cannot.
"""

from __future__ import annotations

import importlib
import io
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def baseline(ref: str):
    """The `nblabel` package as of git revision `ref`, imported as `nblabel_base` (None if it cannot be had)."""
    try:
        blob = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "nblabel"], check=True,
                              capture_output=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"baseline {ref!r} not available ({exc}): no before/after comparison")
        return None
    folder = Path(tempfile.mkdtemp(prefix="nblabel-base-"))
    with tarfile.open(fileobj=io.BytesIO(blob)) as tar:
        tar.extractall(folder, filter="data")
    (folder / "nblabel").rename(folder / "nblabel_base")
    static = folder / "nblabel_base" / "static"
    for built in (ROOT / "nblabel" / "static").iterdir():  # the bundle is built, not committed: borrow ours
        if not (static / built.name).exists() and built.is_file():
            static.mkdir(exist_ok=True)
            (static / built.name).symlink_to(built)
    sys.path.insert(0, str(folder))
    return importlib.import_module("nblabel_base")


def alternate(fns: dict, repeat: int) -> dict:
    """Run each callable of `fns` `repeat` times, taking turns (so all see the same machine load).

    Returns name -> (wall times, CPU times, last result).
    """
    import time
    out = {name: ([], [], None) for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            t, c = time.perf_counter(), time.process_time()
            res = fn()
            wall, cpu, _ = out[name]
            wall.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
            out[name] = (wall, cpu, res)
    return out


def line(label: str, wall: list, cpu: list) -> str:
    """`label: best … worst … (CPU best … worst …)` in seconds."""
    return (f"{label}: best {min(wall):.3f} s, worst {max(wall):.3f} s "
            f"(CPU best {min(cpu):.3f} s, worst {max(cpu):.3f} s)")
