"""A real marimo server (`marimo edit` or `marimo run`) on 127.0.0.1, for headless Chromium tests.

Rules this file follows (as jupyter_harness.py does for Jupyter):
- the server is `sys.executable -m marimo`, so its kernel is this interpreter, the one nblabel is installed in;
- random port on 127.0.0.1, `--headless --no-token`; marimo's state and cache live in a temp home (XDG_*
  variables), and a `.marimo.toml` there (marimo reads the first one above the working folder) is the user config:
  no user setting (keymap, autorun) leaks in, and the edit app runs the notebook on open (`auto_instantiate`);
- notebooks are written as marimo's own file format (`@app.cell` functions) from plain cell sources;
- wait on conditions, never on sleeps.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_harness import free_port


def marimo_available() -> str | None:
    """None when marimo is importable, else why the marimo tests are skipped."""
    try:
        import marimo  # noqa: F401
    except ImportError:
        return "marimo is not installed (pip install -e '.[test]')"
    return None


def write_notebook(path: Path, cells: list[str]) -> Path:
    """A marimo notebook of `cells` (sources). Each cell's inputs and outputs are left to marimo: it reads them
    from the code when it loads the file, so the generated functions take no arguments."""
    parts = ["import marimo", "", "app = marimo.App()", ""]
    for src in cells:
        body = textwrap.indent(src.strip("\n"), "    ")
        parts += ["", "@app.cell", "def _():", body, "    return", ""]
    parts += ["", 'if __name__ == "__main__":', "    app.run()", ""]
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


@dataclass
class MarimoServer:
    """`marimo edit <root>` (a folder: open any notebook by `?file=`) or `marimo run <notebook>`."""

    mode: str  # "edit" or "run"
    target: Path  # a folder for edit, a notebook file for run
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def home(self) -> Path:
        return (self.target if self.target.is_dir() else self.target.parent).parent

    @property
    def log_path(self) -> Path:
        return self.home / f"marimo-{self.mode}-{self.port}.log"

    def url(self, notebook: str | None = None) -> str:
        """Page URL; in edit mode `notebook` is a file name inside the served folder."""
        return f"{self.base}/?file={notebook}" if notebook else f"{self.base}/"

    def start(self, timeout: float = 60.0) -> "MarimoServer":
        (self.home / ".marimo.toml").write_text("[runtime]\nauto_instantiate = true\n", encoding="utf-8")
        env = dict(os.environ)
        for var in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"):
            d = self.home / var.lower()
            d.mkdir(parents=True, exist_ok=True)
            env[var] = str(d)
        env["MARIMO_SKIP_UPDATE_CHECK"] = "1"
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
        cmd = [sys.executable, "-m", "marimo", self.mode, str(self.target), "--headless", "--no-token",
               "--host", "127.0.0.1", "--port", str(self.port)]
        if self.mode == "edit":
            cmd.append("--skip-update-check")
        self._log = open(self.log_path, "w")
        cwd = self.target if self.target.is_dir() else self.target.parent
        self.proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"marimo {self.mode} exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.base}/health", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                pass
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"marimo {self.mode} did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if getattr(self, "_log", None):
            self._log.close()

    def log_tail(self, n: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""


# ---------------------------------------------------------------------------------------------------------------------
# In-page helpers for the edit app. marimo renders an anywidget inside the open shadow root of a
# `marimo-anywidget` element; Playwright's CSS locators pierce open shadow roots, page scripts must walk them.

def run_cell(page, index: int) -> None:
    """Re-run cell `index` with its own run button (edit mode)."""
    page.locator("[data-testid=cell-tray]").nth(index).locator("[data-testid=run-button]").first.click()


def cell_count(page) -> int:
    return page.locator("[data-testid=cell-tray]").count()
