"""The official Label Studio labeling templates, read from the `label-studio` package, the oracle the template tests
check against.

The package ships them as `label_studio/annotation_templates/<group>/<template>/`: `config.yml` (the config as the
template gallery shows it, under `config:`), sometimes a `config.xml` whose comment holds a sample task with an
annotation, and sometimes an `example.json` task. A template's slug is `<group>__<template>`.

Where they are read from, first found wins:
1. `label_studio` importable here (its version must be LS_VERSION: the tests count its 69 templates);
2. the virtual environment tests/test_label_studio_server.py installs the server into (under CACHE);
3. CACHE/templates, filled once from the package's wheel (`pip download --no-deps`, then only the templates folder
   is unpacked: ~75 MB to download, nothing installed);
4. offline, a flat copy in ../shared/data/label-studio/templates (`<slug>.xml`, samples in `template-samples/`).
With none of these, `source()` is None and the template tests skip with `missing_reason()`.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from helpers import SHARED_DATA, file_lock

LS_VERSION = "1.23.2"
CACHE = Path(os.environ.get("NBLABEL_LS_CACHE") or Path.home() / ".cache" / "nblabel-ls-venv") / LS_VERSION
_IN_WHEEL = "label_studio/annotation_templates/"
_why_not: list[str] = []


class Source:
    """One place the templates are read from: the package's folder tree, or the flat copy in ../shared."""

    def __init__(self, where: Path, packaged: bool) -> None:
        self.where, self.packaged = where, packaged
        if packaged:
            dirs = {f"{d.parent.name}__{d.name}": d for d in where.glob("*/*") if (d / "config.yml").is_file()}
        else:
            dirs = {f.stem: f for f in where.glob("*.xml")}
        # sorted as the file names `<slug>.xml` sort, the order the template tests have always used
        self._dirs = dict(sorted(dirs.items(), key=lambda kv: kv[0] + ".xml"))
        self._configs: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"Label Studio templates in {self.where}"

    @property
    def slugs(self) -> list[str]:
        return list(self._dirs)

    def has(self, slug: str) -> bool:
        return slug in self._dirs

    def config(self, slug: str) -> str:
        """The config as Label Studio offers it (its sample comment included)."""
        if slug not in self._configs:
            if self.packaged:
                import yaml

                text = yaml.safe_load((self._dirs[slug] / "config.yml").read_text(encoding="utf-8"))["config"]
            else:
                text = self._dirs[slug].read_text(encoding="utf-8")
            self._configs[slug] = text
        return self._configs[slug]

    def samples(self, slug: str) -> list:
        """The sample tasks that ship with a template, parsed, in this order: `example.json`, the JSON in
        `config.xml`'s comments, the JSON in the config's own comments. Unparseable ones are left out."""
        if self.packaged:
            d = self._dirs[slug]
            found = [_json_file(d / "example.json")] if (d / "example.json").is_file() else []
            if (d / "config.xml").is_file():
                found += comment_json((d / "config.xml").read_text(encoding="utf-8"))
        else:
            found = [_json_file(f) for f in sorted((self.where.parent / "template-samples").glob(f"{slug}.*"))]
        return [s for s in found if s is not None] + comment_json(self.config(slug))

    def editor_sample(self, slug: str) -> dict | None:
        """The sample task with its annotation, as `config.xml`'s comment gives it (None: the template has none)."""
        if not self.packaged:
            f = self.where.parent / "template-samples" / f"{slug}.sample.json"
            return _json_file(f) if f.is_file() else None
        xml = self._dirs[slug] / "config.xml"
        found = comment_json(xml.read_text(encoding="utf-8")) if xml.is_file() else []
        return found[0] if found else None


def comment_json(text: str) -> list:
    """Every XML comment of `text` that holds JSON (from its first `{` or `[`), parsed."""
    found = []
    for m in re.finditer(r"<!--(.*?)-->", text, re.S):
        body = m.group(1).strip()
        start = min([i for i in (body.find("{"), body.find("[")) if i >= 0], default=-1)
        if start >= 0:
            with contextlib.suppress(ValueError):
                found.append(json.loads(body[start:]))
    return found


def _json_file(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return None


@functools.lru_cache(maxsize=1)
def source() -> Source | None:
    """Where the templates are, found (or fetched) once per session; None when nowhere."""
    for find in (_importable, _server_venv, _wheel_cache):
        where = find()
        if where is not None:
            return Source(where, packaged=True)
    flat = SHARED_DATA / "label-studio" / "templates"
    if flat.is_dir():
        return Source(flat, packaged=False)
    _why_not.append(f"no copy in {flat}")
    return None


def missing_reason() -> str | None:
    if source() is not None:
        return None
    return f"Label Studio {LS_VERSION} templates not available: " + "; ".join(_why_not)


def slugs() -> list[str]:
    src = source()
    return src.slugs if src is not None else []


def _importable() -> Path | None:
    spec = importlib.util.find_spec("label_studio")
    if spec is None or not spec.submodule_search_locations:
        return None
    try:
        version = importlib.metadata.version("label-studio")
    except importlib.metadata.PackageNotFoundError:
        return None
    where = Path(next(iter(spec.submodule_search_locations))) / "annotation_templates"
    if version != LS_VERSION:
        _why_not.append(f"the installed label-studio is {version}, not {LS_VERSION}")
        return None
    return where if where.is_dir() else None


def _server_venv() -> Path | None:
    venv = CACHE / "venv"
    if not (venv / ".nblabel-complete").exists():
        return None
    return next(iter(sorted(venv.glob("lib/python*/site-packages/label_studio/annotation_templates"))), None)


def _wheel_cache() -> Path | None:
    target = CACHE / "templates"
    done = target / ".complete"
    if done.exists():
        return target
    if os.environ.get("NBLABEL_OFFLINE"):
        _why_not.append("NBLABEL_OFFLINE is set, so the wheel is not downloaded")
        return None
    with file_lock(CACHE / ".templates.lock"):  # one fetcher at a time
        if done.exists():
            return target
        tmp = Path(tempfile.mkdtemp(prefix="ls-wheel-", dir=CACHE))
        try:
            proc = subprocess.run(
                [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps",
                 "--only-binary", ":all:", "--dest", str(tmp), f"label-studio=={LS_VERSION}"],
                capture_output=True, text=True, timeout=900)
            wheels = sorted(tmp.glob("label_studio-*.whl"))
            if proc.returncode != 0 or not wheels:
                _why_not.append(f"downloading the label-studio {LS_VERSION} wheel failed: "
                                f"{(proc.stdout + proc.stderr).strip()[-300:]}")
                return None
            unpacked = tmp / "unpacked"
            with zipfile.ZipFile(wheels[0]) as whl:
                whl.extractall(unpacked, [n for n in whl.namelist() if n.startswith(_IN_WHEEL)])
            shutil.rmtree(target, ignore_errors=True)
            os.replace(unpacked / _IN_WHEEL, target)
            done.write_text(LS_VERSION)
            return target
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
