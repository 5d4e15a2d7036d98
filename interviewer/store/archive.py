"""Export a session as a folder, the whole history as one zip; import either, validated.

An archive is a zip:

    manifest.json                     {"format": "interviewer-history", "version": 1,
                                       "sessions": [ids], "files": {name: {size, sha256}}}
    sessions/<id>/session.json        the same document `export_session` writes
    sessions/<id>/audio/<name>.wav

Import trusts nothing it reads. Every member name must match that layout exactly (no
absolute paths, no `..`, no backslashes, no links, no extra files); sizes, SHA-256 and
CRCs must agree with the manifest; every session.json is checked field by field; every
WAV must open. Only then are files staged in the data dir, rows inserted in one
transaction, and the staged files moved into place before the commit. Any failure rolls
all of it back: the history is exactly as it was. Sessions already present (same id) are
skipped, so importing the same archive twice is harmless.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
import wave
import zipfile
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UserError
from .db import KINDS, MODES, _dumps, insert_answer
from .recording import wav_duration

if TYPE_CHECKING:
    from .db import Store

ARCHIVE_FORMAT = "interviewer-history"
SESSION_FORMAT = "interviewer-session"
FORMAT_VERSION = 1
SESSION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$")
AUDIO_REF = re.compile(r"^audio/[A-Za-z0-9][A-Za-z0-9_.-]{0,119}\.wav$")
MEMBER = re.compile(r"^(manifest\.json|sessions/([A-Za-z0-9][A-Za-z0-9_-]{0,79})/(session\.json|audio/[A-Za-z0-9][A-Za-z0-9_.-]{0,119}\.wav))$")
DIRECTORY = re.compile(r"^sessions/(?:[A-Za-z0-9][A-Za-z0-9_-]{0,79}/(?:audio/)?)?$")
MAX_MEMBERS = 200_000
MAX_JSON_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 64 * 1024**3
MAX_RATIO = 200  # compressed-to-real size: more looks like a zip bomb (WAV barely compresses)
RECORDING_STATUSES = ("complete", "recovered", "missing")


class ArchiveError(UserError):
    """An archive or export folder that cannot be imported."""

    def __init__(self, source: Path, problem: str) -> None:
        super().__init__(f"Cannot import {source}: {problem}. Nothing was changed.",
                         "Use an archive made by `interviewer history export-all` (or a folder made by "
                         "`interviewer history export`), unmodified.")


# -- export ----------------------------------------------------------------------------------


def session_document(store: "Store", sid: str) -> tuple[dict, dict[str, Path]]:
    """The portable form of a session, and the audio files it refers to (ref -> path)."""
    report = store.session(sid)
    files: dict[str, Path] = {}

    def ref_for(path_str: str | None) -> str | None:
        if not path_str:
            return None
        path = Path(path_str)
        if not path.is_file():
            return None
        for ref, p in files.items():
            if p == path:
                return ref
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", path.stem).strip("._")[:100] or "audio"
        ref = f"audio/{name}.wav"
        n = 2
        while ref in files:
            ref = f"audio/{name}-{n}.wav"
            n += 1
        files[ref] = path
        return ref

    answers = []
    for a in report["turns"]:
        answers.append({
            "created_at": a["created_at"], "question": a["question"], "turn": a["turn"],
            "transcript": a["transcript"], "analysis": a["analysis"], "timings": a["timings"],
            "audio": ref_for(a["audio_path"]),
        })
    recordings = []
    for r in report["recordings"]:
        if r["status"] == "recording":
            continue  # still being written by a live session
        recordings.append({"turn_key": r["turn_key"], "audio": ref_for(r["path"]), "status": r["status"],
                           "started_at": r["started_at"], "duration_s": r["duration_s"]})
    doc = {
        "format": SESSION_FORMAT, "version": FORMAT_VERSION,
        "session": {k: report[k] for k in ("id", "started_at", "finished_at", "format", "mode", "persona",
                                           "settings", "question_ids", "summary")},
        "answers": answers, "recordings": recordings,
    }
    return doc, files


def export_session(store: "Store", sid: str, folder: Path) -> Path:
    """Write `session.json` and `audio/` into `folder` (into `folder/interview-<id>` if
    `folder` already holds something). Returns the folder written."""
    doc, files = session_document(store, sid)
    if folder.exists() and any(folder.iterdir()):
        folder = folder / f"interview-{sid}"
        if folder.exists():
            raise UserError(f"{folder} already exists", "Choose another folder or remove that one.")
    folder.mkdir(parents=True, exist_ok=True)
    for ref, path in files.items():
        dest = folder / ref
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest)
    (folder / "session.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False), encoding="utf-8")
    return folder


def export_all(store: "Store", archive_path: Path) -> Path:
    """Every session into one zip, written to a temp name and renamed (never half a file)."""
    if archive_path.suffix.lower() != ".zip":
        archive_path = archive_path.with_name(archive_path.name + ".zip")
    archive_path.parent.mkdir(parents=True, exist_ok=True)
    sids = [s["id"] for s in reversed(store.sessions(limit=None))]  # oldest first
    fd, tmp_name = tempfile.mkstemp(prefix=".export-", suffix=".zip", dir=archive_path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    manifest = {"format": ARCHIVE_FORMAT, "version": FORMAT_VERSION,
                "created_at": store.now().isoformat(timespec="seconds"), "sessions": sids, "files": {}}
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for sid in sids:
                doc, files = session_document(store, sid)
                data = json.dumps(doc, indent=1, ensure_ascii=False).encode("utf-8")
                name = f"sessions/{sid}/session.json"
                zf.writestr(name, data)
                manifest["files"][name] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                for ref, path in files.items():
                    name = f"sessions/{sid}/{ref}"
                    digest, size = _hash_file(path)
                    zf.write(path, name, compress_type=zipfile.ZIP_STORED)
                    manifest["files"][name] = {"size": size, "sha256": digest}
            zf.writestr("manifest.json", json.dumps(manifest, indent=1))
        os.replace(tmp, archive_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return archive_path


def _hash_file(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
            size += len(block)
    return h.hexdigest(), size


# -- validation ------------------------------------------------------------------------------


def _check(cond: bool, source: Path, problem: str) -> None:
    if not cond:
        raise ArchiveError(source, problem)


def _is_time(value) -> bool:
    if not isinstance(value, str) or len(value) > 40:
        return False
    try:
        datetime.fromisoformat(value)
        return True
    except ValueError:
        return False


def _short_str(value, limit: int = 500) -> bool:
    return isinstance(value, str) and len(value) <= limit


def validate_session_doc(doc, source: Path, where: str) -> dict:
    """Field-by-field check of a session.json; returns it unchanged if valid."""
    def need(cond: bool, what: str) -> None:
        _check(cond, source, f"{where}: {what}")

    need(isinstance(doc, dict), "is not a JSON object")
    need(doc.get("format") == SESSION_FORMAT, f"format is {doc.get('format')!r}, expected {SESSION_FORMAT!r}")
    need(doc.get("version") == FORMAT_VERSION, f"version {doc.get('version')!r} is not supported "
                                               f"(this app reads version {FORMAT_VERSION})")
    s = doc.get("session")
    need(isinstance(s, dict), "'session' is missing")
    need(isinstance(s.get("id"), str) and bool(SESSION_ID.match(s["id"])), "session.id is missing or malformed")
    need(_is_time(s.get("started_at")), "session.started_at is not an ISO date-time")
    need(s.get("finished_at") is None or _is_time(s["finished_at"]), "session.finished_at is not an ISO date-time")
    need(_short_str(s.get("format"), 200) and bool(s["format"]), "session.format must be a short string")
    need(s.get("mode") in MODES, f"session.mode must be one of {MODES}")
    need(s.get("persona") is None or _short_str(s["persona"], 200), "session.persona must be a short string")
    need(isinstance(s.get("settings", {}), dict), "session.settings must be an object")
    qids = s.get("question_ids", [])
    need(isinstance(qids, list) and all(_short_str(q, 200) for q in qids), "session.question_ids must be strings")
    need(s.get("summary") is None or isinstance(s["summary"], dict), "session.summary must be an object")
    answers = doc.get("answers")
    need(isinstance(answers, list), "'answers' must be a list")
    for n, a in enumerate(answers):
        at = f"answers[{n}]"
        need(isinstance(a, dict), f"{at} is not an object")
        need(_is_time(a.get("created_at")), f"{at}.created_at is not an ISO date-time")
        q = a.get("question")
        need(isinstance(q, dict) and _short_str(q.get("id"), 200) and bool(q["id"])
             and _short_str(q.get("category"), 100) and bool(q["category"]), f"{at}.question needs id and category")
        need(q.get("prompt") is None or _short_str(q["prompt"], 20_000), f"{at}.question.prompt must be a string")
        need(isinstance(q.get("tags", []), list) and all(_short_str(t, 200) for t in q.get("tags", [])),
             f"{at}.question.tags must be strings")
        turn = a.get("turn")
        need(isinstance(turn, dict) and turn.get("kind") in KINDS, f"{at}.turn.kind must be one of {KINDS}")
        need(isinstance(turn.get("index", 0), int) and not isinstance(turn.get("index", 0), bool),
             f"{at}.turn.index must be an integer")
        for key in ("transcript", "analysis", "timings"):
            need(isinstance(a.get(key, {}), dict), f"{at}.{key} must be an object")
        analysis = a.get("analysis", {})
        scores = analysis.get("scores", {})
        need(isinstance(scores, dict) and all(v is None or (isinstance(v, (int, float)) and not isinstance(v, bool))
                                              for v in scores.values()), f"{at}.analysis.scores must be numbers")
        kps = analysis.get("key_points", {})
        need(isinstance(kps, dict) and all(isinstance(kps.get(k, []), list) for k in ("covered", "missed")),
             f"{at}.analysis.key_points must hold covered and missed lists")
        need(a.get("audio") is None or (isinstance(a["audio"], str) and bool(AUDIO_REF.match(a["audio"]))),
             f"{at}.audio is not a file under audio/")
    recs = doc.get("recordings", [])
    need(isinstance(recs, list), "'recordings' must be a list")
    for n, r in enumerate(recs):
        at = f"recordings[{n}]"
        need(isinstance(r, dict) and _short_str(r.get("turn_key"), 200), f"{at}.turn_key must be a string")
        need(r.get("status") in RECORDING_STATUSES, f"{at}.status must be one of {RECORDING_STATUSES}")
        need(r.get("audio") is None or (isinstance(r["audio"], str) and bool(AUDIO_REF.match(r["audio"]))),
             f"{at}.audio is not a file under audio/")
        need(_is_time(r.get("started_at")), f"{at}.started_at is not an ISO date-time")
        d = r.get("duration_s")
        need(d is None or (isinstance(d, (int, float)) and not isinstance(d, bool)), f"{at}.duration_s must be a number")
    return doc


def _audio_refs(doc: dict) -> set[str]:
    refs = {a["audio"] for a in doc["answers"] if a.get("audio")}
    refs |= {r["audio"] for r in doc.get("recordings", []) if r.get("audio")}
    return refs


def _parse_json(data: bytes, source: Path, where: str):
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ArchiveError(source, f"{where} is not valid JSON ({exc.__class__.__name__})") from None


def _check_wav(path: Path, source: Path, where: str) -> None:
    try:
        with wave.open(str(path), "rb") as wf:
            ok = wf.getnchannels() in (1, 2) and wf.getsampwidth() in (1, 2, 4) and wf.getframerate() > 0
    except (wave.Error, EOFError, OSError) as exc:
        raise ArchiveError(source, f"{where} is not a readable WAV file ({exc})") from None
    _check(ok, source, f"{where} is not a PCM WAV file")


class _Staged:
    """Sessions read, validated and with their audio copied into a private staging folder."""

    def __init__(self, store: "Store") -> None:
        from ..paths import _private_dir

        self.dir = Path(tempfile.mkdtemp(prefix=".import-", dir=_private_dir(store.root)))
        self.sessions: list[tuple[dict, dict[str, Path]]] = []  # (doc, ref -> staged file)

    def cleanup(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def _read_zip(path: Path, staged: _Staged) -> None:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ArchiveError(path, f"not a readable zip archive ({exc})") from None
    with zf:
        infos = zf.infolist()
        _check(0 < len(infos) <= MAX_MEMBERS, path, f"holds {len(infos)} entries")
        names: dict[str, zipfile.ZipInfo] = {}
        total = 0
        for info in infos:
            name = info.filename
            if info.file_size == 0 and DIRECTORY.match(name):
                continue  # a directory entry some zip tools add
            _check(bool(MEMBER.match(name)), path, f"unexpected entry {name!r} (only manifest.json and "
                                                   "sessions/<id>/session.json|audio/<name>.wav are allowed)")
            _check(name not in names, path, f"entry {name!r} appears twice")
            mode = info.external_attr >> 16
            _check(not stat.S_ISLNK(mode), path, f"entry {name!r} is a symbolic link")
            _check(not info.flag_bits & 0x1, path, f"entry {name!r} is encrypted")
            _check(info.compress_size == 0 or info.file_size / max(1, info.compress_size) <= MAX_RATIO
                   or info.file_size < 1 << 20, path, f"entry {name!r} expands suspiciously (zip bomb?)")
            total += info.file_size
            names[name] = info
        _check(total <= MAX_TOTAL_BYTES, path, "expands to more than 64 GB")
        _check("manifest.json" in names, path, "manifest.json is missing")

        def read_small(name: str) -> bytes:
            info = names[name]
            _check(info.file_size <= MAX_JSON_BYTES, path, f"{name} is too large")
            try:
                with zf.open(info) as f:
                    data = f.read(MAX_JSON_BYTES + 1)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
                raise ArchiveError(path, f"{name} is corrupt ({exc})") from None
            _check(len(data) == info.file_size, path, f"{name} has the wrong size")
            return data

        manifest = _parse_json(read_small("manifest.json"), path, "manifest.json")
        _check(isinstance(manifest, dict) and manifest.get("format") == ARCHIVE_FORMAT, path,
               "manifest.json is not an interviewer history manifest")
        _check(manifest.get("version") == FORMAT_VERSION, path,
               f"archive version {manifest.get('version')!r} is not supported (this app reads {FORMAT_VERSION})")
        sids, files = manifest.get("sessions"), manifest.get("files")
        _check(isinstance(sids, list) and all(isinstance(s, str) and SESSION_ID.match(s) for s in sids)
               and len(set(sids)) == len(sids), path, "manifest.json: 'sessions' must be a list of distinct ids")
        _check(isinstance(files, dict) and all(isinstance(v, dict) and isinstance(v.get("size"), int)
                                                and isinstance(v.get("sha256"), str) for v in files.values()),
               path, "manifest.json: 'files' must map names to {size, sha256}")
        members = set(names) - {"manifest.json"}
        _check(set(files) == members, path, "the files in the archive do not match its manifest "
               f"(missing: {sorted(set(files) - members)[:3]}, unlisted: {sorted(members - set(files))[:3]})")
        in_dirs = {MEMBER.match(n).group(2) for n in members}
        _check(in_dirs == set(sids), path, "the session folders do not match the manifest's session list")

        for sid in sids:
            prefix = f"sessions/{sid}/"
            doc_name = prefix + "session.json"
            _check(doc_name in names, path, f"{doc_name} is missing")
            data = read_small(doc_name)
            _check(hashlib.sha256(data).hexdigest() == files[doc_name]["sha256"], path,
                   f"{doc_name} does not match its checksum")
            doc = validate_session_doc(_parse_json(data, path, doc_name), path, doc_name)
            _check(doc["session"]["id"] == sid, path, f"{doc_name} holds session {doc['session']['id']!r}")
            refs = _audio_refs(doc)
            present = {n[len(prefix):] for n in members if n.startswith(prefix + "audio/")}
            _check(refs <= present, path, f"{prefix}: audio files are missing: {sorted(refs - present)[:3]}")
            _check(present <= refs, path, f"{prefix}: audio files nobody refers to: {sorted(present - refs)[:3]}")
            staged_files = {}
            for ref in sorted(refs):
                name = prefix + ref
                info = names[name]
                dest = staged.dir / sid / ref
                dest.parent.mkdir(parents=True, exist_ok=True)
                h = hashlib.sha256()
                size = 0
                try:
                    with zf.open(info) as src, open(dest, "wb") as out:
                        for block in iter(lambda: src.read(1 << 20), b""):
                            size += len(block)
                            _check(size <= info.file_size, path, f"{name} is larger than declared")
                            h.update(block)
                            out.write(block)
                except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:  # CRC errors land here
                    raise ArchiveError(path, f"{name} is corrupt ({exc})") from None
                dest.chmod(0o600)
                _check(size == files[name]["size"] and h.hexdigest() == files[name]["sha256"], path,
                       f"{name} does not match its checksum")
                _check_wav(dest, path, name)
                staged_files[ref] = dest
            staged.sessions.append((doc, staged_files))


def _read_folder(path: Path, staged: _Staged) -> None:
    doc_path = path / "session.json"
    _check(doc_path.is_file() and not doc_path.is_symlink(), path, "session.json is missing")
    _check(doc_path.stat().st_size <= MAX_JSON_BYTES, path, "session.json is too large")
    doc = validate_session_doc(_parse_json(doc_path.read_bytes(), path, "session.json"), path, "session.json")
    sid = doc["session"]["id"]
    staged_files = {}
    for ref in sorted(_audio_refs(doc)):
        src = path / ref
        _check(src.is_file() and not src.is_symlink(), path, f"{ref} is missing (or is a link)")
        dest = staged.dir / sid / ref
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
        dest.chmod(0o600)
        _check_wav(dest, path, ref)
        staged_files[ref] = dest
    staged.sessions.append((doc, staged_files))


# -- import ----------------------------------------------------------------------------------


def import_archive(store: "Store", path: Path) -> dict:
    """Import a zip from `export_all` or a folder from `export_session`.

    Returns {"imported": [ids], "skipped": [ids already present]}. Raises ArchiveError (a
    UserError) and changes nothing if anything is wrong.
    """
    if not path.exists():
        raise UserError(f"Nothing to import at {path}", "Pass the path of an exported archive (.zip) or folder.")
    staged = _Staged(store)
    moved: list[Path] = []
    made_dirs: list[Path] = []
    try:
        if path.is_dir():
            _read_folder(path, staged)
        else:
            _read_zip(path, staged)
        imported, skipped = [], []
        from .. import practice

        with store._tx() as conn:
            for doc, files in staged.sessions:
                s = doc["session"]
                sid = s["id"]
                if conn.execute("SELECT 1 FROM sessions WHERE id = ?", (sid,)).fetchone():
                    skipped.append(sid)
                    continue
                folder = store.audio_dir / sid
                _check(not folder.exists() or not any(folder.iterdir()), path,
                       f"the data dir already has audio for session {sid} ({folder})")
                conn.execute(
                    "INSERT INTO sessions (id, started_at, finished_at, format, mode, persona, settings_json, "
                    "question_ids_json, summary_json) VALUES (?,?,?,?,?,?,?,?,?)",
                    (sid, s["started_at"], s["finished_at"], s["format"], s["mode"], s["persona"],
                     _dumps(s.get("settings", {})), _dumps(s.get("question_ids", [])),
                     None if s.get("summary") is None else _dumps(s["summary"])))
                rel = {ref: f"audio/{sid}/{ref[len('audio/'):]}" for ref in files}
                for a in doc["answers"]:
                    insert_answer(conn, sid, a["created_at"], a["question"], a["turn"], a.get("transcript", {}),
                                  a.get("analysis", {}), rel.get(a.get("audio")), a.get("timings", {}))
                for r in doc.get("recordings", []):
                    target = rel.get(r.get("audio"))
                    if target is None:
                        continue
                    conn.execute(
                        "INSERT OR IGNORE INTO recordings (session_id, turn_key, path, status, started_at, duration_s) "
                        "VALUES (?,?,?,?,?,?)", (sid, r["turn_key"], target, r["status"], r["started_at"],
                                                 r.get("duration_s") or wav_duration(files[r["audio"]])))
                if files:
                    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
                    made_dirs.append(folder)
                    for ref, staged_file in files.items():
                        dest = store.root / rel[ref]
                        os.replace(staged_file, dest)
                        moved.append(dest)
                imported.append(sid)
            practice.rebuild_schedule(conn)
    except BaseException:
        for p in moved:
            p.unlink(missing_ok=True)
        for d in made_dirs:
            try:
                d.rmdir()
            except OSError:
                pass
        raise
    finally:
        staged.cleanup()
    return {"imported": imported, "skipped": skipped}
