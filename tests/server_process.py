"""A test server as a child process: started, polled until its health URL answers, stopped, its log shown.

Rule: a server that exits or does not answer in time fails the test with the end of its own log, never hangs it.
"""

from __future__ import annotations

import subprocess
import time
import urllib.request
from pathlib import Path


def wait_ready(proc: subprocess.Popen, url: str, what: str, log_path: Path, timeout: float) -> None:
    """Poll `url` until it answers 200; raise with the log's tail if `proc` exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}:\n{log_tail(log_path)}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.25)
    stop(proc, None)
    raise RuntimeError(f"{what} did not answer within {timeout:.0f} s:\n{log_tail(log_path)}")


def stop(proc: subprocess.Popen | None, log) -> None:
    """Terminate (then kill) `proc` and close its log file."""
    if proc and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
    if log is not None:
        log.close()


def log_tail(log_path: Path, n: int = 60) -> str:
    """The last `n` lines of a server's log."""
    try:
        return "\n".join(log_path.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return ""
