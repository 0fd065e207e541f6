"""A real JupyterLab / Notebook 7 server and a headless Debian Chromium, driven from Python Playwright.

Rules this file follows:
- the server is `sys.executable -m jupyter <app>` so its kernel is this interpreter, the one nblabel is installed in;
  a kernelspec written into an isolated JUPYTER_DATA_DIR pins that (no user/system kernels leak in);
- random port and token on 127.0.0.1; isolated config, data, runtime and settings dirs; `--allow-root` (CI runs as
  root);
- `expose_app_in_browser` so tests drive the app through `window.jupyterapp` commands, not brittle UI clicks;
- wait on conditions, never on sleeps.

Named `jupyter_harness` (not `jupyter_server`): pytest puts `tests/` on `sys.path`, and a module called
`jupyter_server` there would shadow the real package for anything imported in the test process.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

CHROMIUM = os.environ.get("NBLABEL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]

# JupyterLab user settings written before start: no news/update toasts over the page, no autosave races.
_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class JupyterServer:
    """One `jupyter lab` or `jupyter notebook` process serving `root`."""

    app: str  # "lab" or "notebook"
    root: Path
    port: int = field(default_factory=free_port)
    token: str = field(default_factory=lambda: secrets.token_hex(16))
    proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.root.parent / f"{self.app}-server.log"

    def url(self, notebook: str, workspace: str | None = None) -> str:
        """Browser URL that opens `notebook` (relative to root). `workspace` isolates JupyterLab layouts per test."""
        if self.app == "lab":
            ws = f"workspaces/{workspace}/" if workspace else ""
            return f"{self.base}/lab/{ws}tree/{notebook}?token={self.token}"
        return f"{self.base}/notebooks/{notebook}?token={self.token}"

    def start(self, timeout: float = 90.0) -> "JupyterServer":
        home = self.root.parent
        self.root.mkdir(parents=True, exist_ok=True)
        dirs = {k: home / k.lower() for k in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR",
                                              "JUPYTERLAB_SETTINGS_DIR", "JUPYTERLAB_WORKSPACES_DIR")}
        for d in dirs.values():
            d.mkdir(parents=True, exist_ok=True)
        kernel_dir = dirs["JUPYTER_DATA_DIR"] / "kernels" / "python3"
        kernel_dir.mkdir(parents=True, exist_ok=True)
        (kernel_dir / "kernel.json").write_text(json.dumps({
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Python 3 (nblabel tests)", "language": "python",
            "metadata": {"debugger": False}}))
        for name, value in _SETTINGS.items():
            plugin, file = name.rsplit("/", 1)
            path = dirs["JUPYTERLAB_SETTINGS_DIR"] / plugin / file
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(value))
        env = {**os.environ, **{k: str(v) for k, v in dirs.items()}}
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
        env.pop("JUPYTER_PATH", None)
        env["JUPYTER_PREFER_ENV_PATH"] = "0"  # our kernelspec (JUPYTER_DATA_DIR) before the venv's
        env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
        cmd = [sys.executable, "-m", "jupyter", self.app, "--no-browser", "--allow-root",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
               f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
               "--KernelSpecManager.ensure_native_kernel=False"]
        if self.app == "lab":
            cmd += ["--LabApp.expose_app_in_browser=True",
                    f"--LabApp.workspaces_dir={dirs['JUPYTERLAB_WORKSPACES_DIR']}",
                    f"--LabApp.user_settings_dir={dirs['JUPYTERLAB_SETTINGS_DIR']}"]
        else:
            cmd += ["--JupyterNotebookApp.expose_app_in_browser=True",
                    f"--JupyterNotebookApp.user_settings_dir={dirs['JUPYTERLAB_SETTINGS_DIR']}",
                    f"--JupyterNotebookApp.workspaces_dir={dirs['JUPYTERLAB_WORKSPACES_DIR']}"]
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen(cmd, cwd=self.root, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyter {self.app} exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.base}/api/status?token={self.token}", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                pass
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"jupyter {self.app} did not answer within {timeout:.0f} s:\n{self.log_tail()}")

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

    def write_notebook(self, name: str, cells: list[str]) -> str:
        """Write a notebook of code cells into the server root; return its path relative to root."""
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(src) for src in cells]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, self.root / name)
        return name

    def shutdown_kernels(self) -> None:
        """Stop every kernel (keeps a long session's memory flat); errors are ignored."""
        try:
            req = urllib.request.Request(f"{self.base}/api/kernels?token={self.token}")
            with urllib.request.urlopen(req, timeout=5) as r:
                kernels = json.load(r)
            for k in kernels:
                urllib.request.urlopen(urllib.request.Request(
                    f"{self.base}/api/kernels/{k['id']}?token={self.token}", method="DELETE"), timeout=10)
        except OSError:
            pass


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def chromium_available() -> bool:
    return Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is not None


# ---------------------------------------------------------------------------------------------------------------------
# In-page helpers. Both apps expose `window.jupyterapp`; the notebook panel is `shell.currentWidget` in both.

_READY = """async () => {
  const p = window.jupyterapp.shell.currentWidget;
  await p.context.ready; await p.sessionContext.ready;
  const k = p.sessionContext.session?.kernel;
  if (!k) throw new Error('no kernel');
  if (k.connectionStatus !== 'connected') await new Promise(r => {
    const f = (_, s) => { if (s === 'connected') { k.connectionStatusChanged.disconnect(f); r(); } };
    k.connectionStatusChanged.connect(f);
  });
  return p.sessionContext.session.kernel.id;
}"""

_RUN_CELLS = """async (indices) => {
  const app = window.jupyterapp, p = app.shell.currentWidget, nb = p.content;
  for (const i of indices) {
    nb.activeCellIndex = i;
    const ok = await app.commands.execute('notebook:run-cell');
    if (ok === false) throw new Error('cell ' + i + ' failed to run');
  }
}"""

_CELL_OUTPUT = """(i) => {
  const cell = window.jupyterapp.shell.currentWidget.content.model.cells.get(i);
  return cell.toJSON().outputs || [];
}"""

_EXEC = """async (code) => {
  const k = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  const fut = k.requestExecute({code, silent: false, store_history: false});
  let out = '', err = null;
  fut.onIOPub = (msg) => {
    const t = msg.header.msg_type;
    if (t === 'stream') out += msg.content.text;
    else if (t === 'execute_result') out += msg.content.data['text/plain'] || '';
    else if (t === 'error')
      err = msg.content.ename + ': ' + msg.content.evalue + '\\n' + msg.content.traceback.join('\\n');
  };
  await fut.done;
  return {out, err};
}"""

CELLS_SNAPSHOT = """() => {
  const cells = window.jupyterapp.shell.currentWidget.content.model.cells;
  const out = [];
  for (let i = 0; i < cells.length; i++) {
    const c = cells.get(i);
    out.push({id: c.id, type: c.type, source: c.sharedModel.getSource()});
  }
  return out;
}"""


def open_notebook(page, server: JupyterServer, name: str, workspace: str | None = None) -> str:
    """Open `name` and wait for its kernel; returns the kernel id."""
    page.goto(server.url(name, workspace))
    page.wait_for_function("() => window.jupyterapp?.shell?.currentWidget?.sessionContext", timeout=60_000)
    return page.evaluate(_READY)


def wait_kernel(page) -> str:
    page.wait_for_function("() => window.jupyterapp?.shell?.currentWidget?.sessionContext", timeout=60_000)
    return page.evaluate(_READY)


def run_cells(page, *indices: int) -> None:
    """Run the given cells in order through `notebook:run-cell`; each call resolves when its cell finished."""
    page.evaluate(_RUN_CELLS, list(indices))


def cell_outputs(page, index: int) -> list[dict]:
    return page.evaluate(_CELL_OUTPUT, index)


def cell_text(page, index: int) -> str:
    """stdout/execute_result text of a cell; raises AssertionError with the traceback if the cell errored."""
    parts = []
    for o in cell_outputs(page, index):
        if o.get("output_type") == "error":
            trace = "\n".join(o.get("traceback", []))
            raise AssertionError(f"cell {index} raised {o['ename']}: {o['evalue']}\n{trace}")
        if o.get("output_type") == "stream":
            t = o["text"]
            parts.append("".join(t) if isinstance(t, list) else t)
        elif o.get("output_type") == "execute_result":
            t = o["data"].get("text/plain", "")
            parts.append("".join(t) if isinstance(t, list) else t)
    return "".join(parts)


def py(page, code: str) -> str:
    """Run `code` in the notebook's kernel without touching the notebook; return its stdout. Raises on error."""
    res = page.evaluate(_EXEC, code)
    if res["err"]:
        raise AssertionError(f"kernel error running {code!r}:\n{res['err']}")
    return res["out"]


def cells_snapshot(page) -> list[dict]:
    return page.evaluate(CELLS_SNAPSHOT)


def set_theme(page, theme: str) -> None:
    """`"JupyterLab Light"` or `"JupyterLab Dark"`; resolves when the theme's CSS is loaded."""
    page.evaluate("""async (theme) => {
      const app = window.jupyterapp;
      await app.commands.execute('apputils:change-theme', {theme});
      for (let i = 0; i < 100; i++) {
        if (document.body.dataset.jpThemeName === theme) return;
        await new Promise(r => setTimeout(r, 100));
      }
      throw new Error('theme did not change to ' + theme);
    }""", theme)
    page.wait_for_timeout(300)  # let the stylesheet swap paint (screenshots only)


# A document-level listener records every keydown and keyup that reaches it: what a host listening on the page
# (marimo's shortcuts, VS Code's webview key forwarding, JupyterLab's command keys) would see.
RECORD_KEYS = """() => {
  window.__keysSeen = [];
  for (const type of ['keydown', 'keyup'])
    document.addEventListener(type, (e) => window.__keysSeen.push(type + ':' + e.key));
}"""
KEYS_SEEN = "() => window.__keysSeen.splice(0)"
