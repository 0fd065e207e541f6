"""The streamed JSON array writer: the bytes of one dump, a chunk of items alive at a time, no half-written file
left by a failure (nblabel/formats/_stream.py)."""

from __future__ import annotations

import errno
import json
import os
import stat
import weakref

import pytest

from nblabel.formats import _stream
from nblabel.formats._jsonio import dumps_compact
from nblabel.formats._stream import write_json_array


class Item(dict):
    """A dict that can be watched with a weak reference (plain dicts cannot)."""


def items(n: int) -> list[dict]:
    return [{"id": i, "data": {"text": f"a/b é 😀 {i}", "url": "http://x/y"}, "annotations": [], "n": i / 3}
            for i in range(n)]


@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 5, 7])
def test_bytes_are_those_of_one_dump_at_every_chunk_boundary(tmp_path, n):
    path = tmp_path / "out.json"
    write_json_array(iter(items(n)), str(path), chunk=2)
    assert path.read_bytes() == dumps_compact(items(n))
    assert json.loads(path.read_bytes()) == items(n)


def test_default_chunk_over_many_items(tmp_path):
    path = tmp_path / "out.json"
    many = items(_stream.CHUNK * 3 + 17)
    write_json_array(many, str(path))
    assert path.read_bytes() == dumps_compact(many)


def test_only_a_few_chunks_of_items_are_alive_while_writing(tmp_path):
    alive: list[weakref.ref] = []
    most = 0

    def made(n):
        nonlocal most
        for i in range(n):
            most = max(most, sum(r() is not None for r in alive))
            item = Item(id=i, text="x" * 50)
            alive.append(weakref.ref(item))
            yield item
            del item

    write_json_array(made(400), str(tmp_path / "out.json"), chunk=10)
    assert len(alive) == 400
    assert 0 < most <= 10  # one chunk: a dumped chunk is dropped before the next is gathered
    assert json.loads((tmp_path / "out.json").read_bytes())[-1] == {"id": 399, "text": "x" * 50}


def test_a_failure_while_building_leaves_no_half_written_file(tmp_path):
    path = tmp_path / "out.json"
    path.write_bytes(b"[old]")

    def broken():
        yield from items(5)
        raise ValueError("bad row")

    with pytest.raises(ValueError, match="bad row"):
        write_json_array(broken(), str(path), chunk=2)
    assert os.listdir(tmp_path) == []


def test_a_value_json_cannot_hold_fails_cleanly(tmp_path):
    path = tmp_path / "out.json"
    with pytest.raises(TypeError, match="JSON serializable|cannot write"):
        write_json_array([{"a": 1}, {"b": object()}], str(path), chunk=1)
    assert os.listdir(tmp_path) == []


def test_a_full_disk_mid_export_leaves_no_half_written_file(tmp_path, monkeypatch):
    real_open = open

    class Full:
        def __init__(self, fh):
            self.fh, self.written = fh, 0

        def write(self, data):
            if self.written:
                raise OSError(errno.ENOSPC, "No space left on device")
            self.written += len(data)
            return self.fh.write(data)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def close(self):
            self.fh.close()

    monkeypatch.setattr(_stream, "open", lambda *a, **k: Full(real_open(*a, **k)), raising=False)
    path = tmp_path / "out.json"
    with pytest.raises(OSError, match="No space left"):
        write_json_array(iter(items(50)), str(path), chunk=2)
    assert os.listdir(tmp_path) == []


def test_a_symlink_is_written_through_and_the_file_keeps_its_mode_and_links(tmp_path):
    real = tmp_path / "real.json"
    real.write_bytes(b"[]")
    os.chmod(real, 0o640)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    hard = tmp_path / "hard.json"
    os.link(real, hard)
    write_json_array(items(3), str(link))
    assert link.is_symlink()
    assert real.read_bytes() == hard.read_bytes() == dumps_compact(items(3))
    assert stat.S_IMODE(real.stat().st_mode) == 0o640


def test_a_folder_as_target_fails_at_once(tmp_path):
    folder = tmp_path / "out.json"
    folder.mkdir()
    made = []

    def watched():
        made.append(1)
        yield {"a": 1}

    with pytest.raises(IsADirectoryError):
        write_json_array(watched(), str(folder))
    assert made == [] and os.listdir(tmp_path) == ["out.json"] and folder.is_dir()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write a read-only file")
def test_a_read_only_file_is_an_error_and_stays(tmp_path):
    path = tmp_path / "out.json"
    path.write_bytes(b"[old]")
    os.chmod(path, 0o444)
    with pytest.raises(PermissionError):
        write_json_array(items(2), str(path))
    assert path.read_bytes() == b"[old]"
