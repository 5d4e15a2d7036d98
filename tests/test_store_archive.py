"""Export and import: a round trip keeps everything; a bad archive changes nothing."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import stat
import zipfile
from datetime import date
from pathlib import Path

import pytest

from interviewer.errors import UserError
from interviewer.history import Store
from tests.test_store_helpers import Clock, record


def _populate(store: Store, clock: Clock) -> list[str]:
    sids = []
    for n, (qid, overall) in enumerate([("q-bias", 45), ("q-design", 80), ("q-star", 30)]):
        sid = store.begin_session(format="mixed", mode="study" if n % 2 else "real", persona="tough",
                                  settings={"keep_audio": True}, question_ids=[qid])
        record(store, sid, qid, overall=overall, covered=["a"], missed=["b"], audio_s=0.3)
        record(store, sid, qid, overall=50, covered=["b"], missed=[], kind="follow_up", targets="b", audio_s=0.2)
        store.finish_session(sid, {"overall": overall})
        clock.advance(days=1)
        sids.append(sid)
    return sids


def _comparable(report: dict) -> dict:
    """A report with machine-specific paths replaced by file contents."""
    out = json.loads(json.dumps(report))
    for a in out["turns"]:
        a.pop("id")
        if a["audio_path"]:
            a["audio_path"] = hashlib.sha256(Path(a["audio_path"]).read_bytes()).hexdigest()
    for r in out["recordings"]:
        r["path"] = hashlib.sha256(Path(r["path"]).read_bytes()).hexdigest()
    for r in out["partial_recordings"]:
        r["path"] = None
    out.pop("live")
    return out


def _snapshot(store: Store) -> tuple:
    tables = {t: store.conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
              for t in ("sessions", "answers", "recordings", "key_point_results", "review_items")}
    files = sorted((p.relative_to(store.root).as_posix(), p.read_bytes()) for p in store.root.rglob("*")
                   if p.is_file() and not p.name.startswith("history.sqlite3") and p.parent.name != "locks")
    return tables, files


@pytest.fixture
def source(tmp_path):
    clock = Clock(date(2025, 1, 6))
    store = Store.open(tmp_path / "source" / "history.sqlite3", clock=clock)
    sids = _populate(store, clock)
    yield store, sids
    store.close()


@pytest.fixture
def target(tmp_path):
    store = Store.open(tmp_path / "target" / "history.sqlite3", clock=Clock(date(2025, 2, 1)))
    yield store
    store.close()


@pytest.fixture
def archive(source, tmp_path) -> Path:
    store, _ = source
    return store.export_all(tmp_path / "history.zip")


def test_export_all_import_round_trip(source, target, archive):
    store, sids = source
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
    assert "manifest.json" in names and sum(n.endswith(".wav") for n in names) == 6

    result = target.import_archive(archive)
    assert sorted(result["imported"]) == sorted(sids) and result["skipped"] == []
    assert [s["id"] for s in target.sessions()] == [s["id"] for s in store.sessions()]
    for sid in sids:
        assert _comparable(target.session(sid)) == _comparable(store.session(sid))
        for a in target.session(sid)["turns"]:
            assert Path(a["audio_path"]).parent == target.audio_dir / sid
            if os.name != "nt":
                assert stat.S_IMODE(Path(a["audio_path"]).stat().st_mode) == 0o600
    # the schedule is rebuilt from the imported answers: the same as the source's
    items = "SELECT * FROM review_items ORDER BY kind, question_id, key_point_id"
    assert target.conn.execute(items).fetchall() == store.conn.execute(items).fetchall()
    assert target.progress(today=date(2025, 1, 9)) == store.progress(today=date(2025, 1, 9))

    # importing again changes nothing
    before = _snapshot(target)
    assert target.import_archive(archive) == {"imported": [], "skipped": sids}
    assert _snapshot(target) == before


def test_export_session_folder_and_import_it(source, target, tmp_path):
    store, sids = source
    folder = store.export_session(sids[1], tmp_path / "one")
    assert folder == tmp_path / "one"
    doc = json.loads((folder / "session.json").read_text())
    assert doc["session"]["id"] == sids[1] and len(doc["answers"]) == 2
    assert sorted(p.name for p in (folder / "audio").iterdir()) == sorted(
        Path(a["audio"]).name for a in doc["answers"])
    # a non-empty folder gets a sub-folder rather than mixing files
    again = store.export_session(sids[1], tmp_path / "one")
    assert again == folder / f"interview-{sids[1]}" and (again / "session.json").exists()

    assert target.import_archive(folder) == {"imported": [sids[1]], "skipped": []}
    assert _comparable(target.session(sids[1])) == _comparable(store.session(sids[1]))


def _rewrite(archive: Path, out: Path, change) -> Path:
    """Copy an archive, letting `change(name, data) -> (name, data) | None` alter entries."""
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            result = change(info.filename, src.read(info))
            if result is not None:
                dst.writestr(result[0], result[1])
    return out


def _with_manifest(archive: Path, out: Path, edit_doc=None, extra: dict | None = None, edit_manifest=None) -> Path:
    """Rebuild an archive with consistent checksums after editing session documents."""
    with zipfile.ZipFile(archive) as src:
        entries = {i.filename: src.read(i) for i in src.infolist()}
    manifest = json.loads(entries.pop("manifest.json"))
    if edit_doc:
        for name in list(entries):
            if name.endswith("session.json"):
                doc = json.loads(entries[name])
                edit_doc(doc)
                entries[name] = json.dumps(doc).encode()
    entries.update(extra or {})
    manifest["files"] = {n: {"size": len(d), "sha256": hashlib.sha256(d).hexdigest()} for n, d in entries.items()}
    if edit_manifest:
        edit_manifest(manifest)
    with zipfile.ZipFile(out, "w") as dst:
        for n, d in entries.items():
            dst.writestr(n, d)
        dst.writestr("manifest.json", json.dumps(manifest))
    return out


def _first_wav(name: str, _seen: set = set()) -> bool:  # noqa: B006 - reset per test by the fixture below
    if name.endswith(".wav") and not _seen:
        _seen.add(name)
        return True
    return name in _seen


@pytest.fixture(autouse=True)
def _reset_first_wav():
    _first_wav.__defaults__[0].clear()
    yield
    _first_wav.__defaults__[0].clear()


BAD_ARCHIVES = {
    "truncated": lambda a, out: out.write_bytes(a.read_bytes()[: len(a.read_bytes()) // 2]) and out,
    "not a zip": lambda a, out: out.write_bytes(b"PK\x03\x04 definitely not a zip" * 50) and out,
    "flipped audio byte": lambda a, out: _rewrite(
        a, out, lambda n, d: (n, d[:100] + bytes([d[100] ^ 0xFF]) + d[101:]) if _first_wav(n) else (n, d)),
    "path traversal": lambda a, out: _rewrite(
        a, out, lambda n, d: ("sessions/../../../evil.wav", d) if _first_wav(n) else (n, d)),
    "absolute path": lambda a, out: _rewrite(
        a, out, lambda n, d: ("/tmp/interviewer-evil.wav", d) if _first_wav(n) else (n, d)),
    "extra file": lambda a, out: _rewrite(
        a, out, lambda n, d: (n, d)) and _append(out, "sessions/evil.sh", b"rm -rf ~"),
    "missing audio": lambda a, out: _with_manifest(a, out, edit_manifest=None, extra=None)
    and _drop(out, _first_wav),
    "wrong archive version": lambda a, out: _with_manifest(a, out, edit_manifest=lambda m: m.update(version=99)),
    "bad session mode": lambda a, out: _with_manifest(
        a, out, edit_doc=lambda d: d["session"].update(mode="sneaky")),
    "audio ref escapes": lambda a, out: _with_manifest(
        a, out, edit_doc=lambda d: d["answers"][0].update(audio="audio/../../x.wav")),
    "answers not a list": lambda a, out: _with_manifest(a, out, edit_doc=lambda d: d.update(answers={"a": 1})),
    "score not a number": lambda a, out: _with_manifest(
        a, out, edit_doc=lambda d: d["answers"][0]["analysis"]["scores"].update(overall="high")),
    "bad crc in the raw zip": lambda a, out: _flip_raw(a, out),
    "symlink entry": lambda a, out: _rewrite(a, out, lambda n, d: (_symlink_info(n), d) if _first_wav(n) else (n, d)),
    "audio not a wav": lambda a, out: _with_manifest(
        a, out, edit_doc=None, extra=None) and _replace_wavs(out, b"RIFFnot really a wave file"),
}


def _flip_raw(archive: Path, out: Path) -> Path:
    """Corrupt a stored WAV's bytes inside the zip itself: only the CRC can tell."""
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        info = next(i for i in zf.infolist() if i.filename.endswith(".wav"))
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + 200] ^= 0xFF
    out.write_bytes(bytes(data))
    return out


def _symlink_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (0o120777 << 16)
    return info


def _append(path: Path, name: str, data: bytes) -> Path:
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr(name, data)
    return path


def _drop(path: Path, pred) -> Path:
    with zipfile.ZipFile(path) as zf:
        entries = {i.filename: zf.read(i) for i in zf.infolist()}
    dropped = next(n for n in entries if pred(n))
    entries.pop(dropped)
    manifest = json.loads(entries.pop("manifest.json"))
    manifest["files"].pop(dropped)
    with zipfile.ZipFile(path, "w") as zf:
        for n, d in entries.items():
            zf.writestr(n, d)
        zf.writestr("manifest.json", json.dumps(manifest))
    return path


def _replace_wavs(path: Path, data: bytes) -> Path:
    with zipfile.ZipFile(path) as zf:
        entries = {i.filename: zf.read(i) for i in zf.infolist()}
    manifest = json.loads(entries.pop("manifest.json"))
    for n in entries:
        if n.endswith(".wav"):
            entries[n] = data
            manifest["files"][n] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    with zipfile.ZipFile(path, "w") as zf:
        for n, d in entries.items():
            zf.writestr(n, d)
        zf.writestr("manifest.json", json.dumps(manifest))
    return path


@pytest.mark.parametrize("kind", list(BAD_ARCHIVES))
def test_bad_archive_is_refused_and_nothing_changes(kind, source, target, archive, tmp_path):
    # the target already has a session of its own, which must survive untouched
    own = target.begin_session(format="mixed", settings={})
    record(target, own, "q-bias", overall=20, missed=["x"], audio_s=0.1)
    target.finish_session(own, {})
    before = _snapshot(target)
    bad = BAD_ARCHIVES[kind](archive, tmp_path / "bad.zip")
    assert bad

    with pytest.raises(UserError) as err:
        target.import_archive(bad)
    print(f"\n{kind}: {err.value.problem}")
    assert "Nothing was changed" in str(err.value)
    assert _snapshot(target) == before
    assert not list(target.root.glob(".import-*"))  # staging cleaned up
    assert not (tmp_path / "evil.wav").exists() and not Path("/tmp/interviewer-evil.wav").exists()
    # and a good archive still imports afterwards
    assert len(target.import_archive(archive)["imported"]) == 3


def test_failure_while_moving_files_rolls_everything_back(source, target, archive, monkeypatch):
    before = _snapshot(target)
    import interviewer.history.archive as archive_mod

    real_replace = archive_mod.os.replace
    calls = {"n": 0}

    def flaky_replace(src, dst):
        calls["n"] += 1
        if calls["n"] == 4:
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(archive_mod.os, "replace", flaky_replace)
    with pytest.raises(OSError):
        target.import_archive(archive)
    assert _snapshot(target) == before
    assert not any(p.is_file() for p in target.audio_dir.rglob("*"))


def test_import_of_a_missing_path_is_a_user_error(target, tmp_path):
    with pytest.raises(UserError, match="Nothing to import"):
        target.import_archive(tmp_path / "nope.zip")


def test_folder_with_a_symlinked_audio_file_is_refused(source, target, tmp_path):
    store, sids = source
    folder = store.export_session(sids[0], tmp_path / "one")
    wav = next((folder / "audio").iterdir())
    secret = tmp_path / "secret.wav"
    shutil.copyfile(wav, secret)
    wav.unlink()
    wav.symlink_to(secret)
    with pytest.raises(UserError, match="link"):
        target.import_archive(folder)
    assert target.sessions() == []


def test_database_untouched_is_checked_with_a_separate_connection(source, target, tmp_path, archive):
    bad = BAD_ARCHIVES["flipped audio byte"](archive, tmp_path / "bad.zip")
    with pytest.raises(UserError):
        target.import_archive(bad)
    other = sqlite3.connect(target.path)
    assert other.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == 0
    other.close()
