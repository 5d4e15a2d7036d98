"""Export a session as a folder, the whole history as one zip; import either, validated.

An archive is a zip:

    manifest.json                     {"format": "interviewer-history", "version": 1,
                                       "sessions": [ids], "files": {name: {size, sha256}}}
    sessions/<id>/session.json        the same document `export_session` writes
    sessions/<id>/audio/<name>.wav

Import trusts nothing it reads. Every member name must match that layout exactly (no
absolute paths, no `..`, no backslashes, no links, no extra files); sizes, SHA-256 and
CRCs must agree with the manifest; every session.json is checked field by field; every
WAV must open and claim a plausible sample rate. What the archive may expand to is
bounded before a byte is extracted: entries in all and per session, the size of each
entry and of the whole against what it takes compressed (a zip bomb), and the whole
against the free space on the disk. Only then are files staged in the data dir, rows
inserted in one transaction, and the staged files moved into place before the commit.
Any failure rolls all of it back: the history is exactly as it was. Sessions already
present (same id) are skipped, so importing the same archive twice is harmless.

A kill -9 or power cut cannot leave half an import either. The staging folder
(`.import-*`) is locked while its import runs, and before the first file is moved a
journal in it lists every move. `recover_imports`, run whenever the store opens, looks
at each unlocked staging folder: if the journal's sessions were committed it finishes
the moves, if not it takes the moved files back out; then it removes the folder.
"""

from __future__ import annotations

import filecmp
import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
import time
import wave
import zipfile
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UserError, os_error
from . import recording
from .rows import KINDS, MODES, _dumps, insert_answer
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
MAX_MEMBERS = 100_000
MAX_FILES_PER_SESSION = 2_000  # a long session records a few dozen answers
MAX_JSON_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 64 * 1024**3
# Expanded-to-compressed size. Our exports store WAVs uncompressed and deflate JSON about
# tenfold, so a real archive sits near 1 (or near 10 without audio). Silence deflates a
# thousandfold: that is what a zip bomb is made of. Checked for every entry from RATIO_FROM
# bytes (a small entry can have any ratio and cost nothing), and for the archive as a whole
# once it expands past TOTAL_RATIO_FROM (many small entries add up).
MAX_RATIO = 200
RATIO_FROM = 64 * 1024
MAX_TOTAL_RATIO = 50
TOTAL_RATIO_FROM = 16 * 1024 * 1024
DISK_RESERVE = 64 * 1024 * 1024  # left free after an import, for the database and the next answers
RECORDING_STATUSES = ("complete", "recovered", "missing")
JOURNAL = "journal.json"
LOCK = "lock"


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
    try:
        if folder.is_dir() and any(folder.iterdir()):
            folder = folder / f"interview-{sid}"
            if folder.exists():
                raise UserError(f"{folder} already exists", "Choose another folder or remove that one.")
        # Answers and recordings are as private outside the data dir as inside it: folders
        # 0700 and files 0600 whatever the umask (as export_all's zip is).
        _private_tree(folder)
        for ref, path in files.items():
            dest = folder / ref
            _private_tree(dest.parent)
            _private_copy(path, dest)
        _private_write(folder / "session.json", json.dumps(doc, indent=2, ensure_ascii=False).encode("utf-8"))
    except OSError as exc:
        raise os_error(exc, f"export session {sid} to {folder}") from None
    return folder


def _private_tree(folder: Path) -> None:
    """Create `folder` (and missing parents) mode 0700."""
    missing = []
    p = folder
    while not p.exists():
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        d.mkdir(mode=0o700)
        d.chmod(0o700)  # mkdir's mode is filtered by the umask


def _private_write(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(path, 0o600)


def _private_copy(src: Path, dest: Path) -> None:
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out, open(src, "rb") as f:
        shutil.copyfileobj(f, out, 1 << 20)
    os.chmod(dest, 0o600)


def export_all(store: "Store", archive_path: Path) -> Path:
    """Every session into one zip, written to a temp name and renamed (never half a file)."""
    if archive_path.suffix.lower() != ".zip":
        archive_path = archive_path.with_name(archive_path.name + ".zip")
    try:
        archive_path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".export-", suffix=".zip", dir=archive_path.parent)
        os.close(fd)
    except OSError as exc:
        raise os_error(exc, f"write the archive {archive_path}") from None
    try:
        return _write_archive(store, archive_path, Path(tmp_name))
    except OSError as exc:
        raise os_error(exc, f"write the archive {archive_path}") from None


def _write_archive(store: "Store", archive_path: Path, tmp: Path) -> Path:
    sids = [s["id"] for s in reversed(store.sessions(limit=None))]  # oldest first
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
    from ..audio import MAX_RATE, MIN_RATE

    try:
        with wave.open(str(path), "rb") as wf:
            ok = wf.getnchannels() in (1, 2) and wf.getsampwidth() in (1, 2, 4)
            rate = wf.getframerate()
    except (wave.Error, EOFError, OSError) as exc:
        raise ArchiveError(source, f"{where} is not a readable WAV file ({exc})") from None
    _check(ok, source, f"{where} is not a PCM WAV file")
    _check(MIN_RATE <= rate <= MAX_RATE, source, f"{where} claims a sample rate of {rate:,} Hz "
           f"(real recordings are {MIN_RATE // 1000}-{MAX_RATE // 1000} kHz)")


def _check_expansion(source: Path, staging: Path, total: int, compressed: int | None) -> None:
    """What the import will write, against what it may: the archive's own size (a bomb) and
    the free space on the disk that holds the history."""
    mb = lambda n: f"{n / 1e6:,.0f} MB"  # noqa: E731
    _check(total <= MAX_TOTAL_BYTES, source, f"expands to {mb(total)}, more than the {mb(MAX_TOTAL_BYTES)} "
           "an import may write")
    if compressed is not None and total > TOTAL_RATIO_FROM:
        _check(total <= MAX_TOTAL_RATIO * max(1, compressed), source,
               f"expands from {mb(compressed)} to {mb(total)} ({total / max(1, compressed):,.0f} times): "
               "a zip bomb, not an export")
    free = shutil.disk_usage(staging).free
    _check(total + DISK_RESERVE <= free, source,
           f"needs {mb(total)} of disk space and only {mb(free)} is free where the history is "
           f"(keeping {mb(DISK_RESERVE)} spare)")


class _Staged:
    """Sessions read, validated and with their audio copied into a private staging folder,
    locked (flock) while this import runs so recovery in another process leaves it alone."""

    def __init__(self, store: "Store") -> None:
        from ..paths import _private_dir

        self.dir = Path(tempfile.mkdtemp(prefix=".import-", dir=_private_dir(store.root)))
        self._lock_fd = os.open(self.dir / LOCK, os.O_RDWR | os.O_CREAT, 0o600)
        recording.try_lock(self._lock_fd)
        self.sessions: list[tuple[dict, dict[str, Path]]] = []  # (doc, ref -> staged file)

    def write_journal(self, moves: dict[str, list[tuple[str, str]]]) -> None:
        """Before the first move: which staged file goes where, per session id (paths relative
        to the staging folder and the store root). Written whole and fsynced, then renamed."""
        tmp = self.dir / (JOURNAL + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"moves": moves}, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.dir / JOURNAL)
        _fsync_dir(self.dir)

    def cleanup(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
        os.close(self._lock_fd)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return  # Windows cannot open a folder; its renames are durable enough for this
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _read_zip(path: Path, staged: _Staged) -> None:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ArchiveError(path, f"not a readable zip archive ({exc})") from None
    with zf:
        infos = zf.infolist()
        _check(0 < len(infos) <= MAX_MEMBERS, path, f"holds {len(infos):,} entries (at most {MAX_MEMBERS:,})")
        names: dict[str, zipfile.ZipInfo] = {}
        total = compressed = 0
        per_session: dict[str, int] = {}
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
            _check(info.file_size < RATIO_FROM or info.file_size <= MAX_RATIO * max(1, info.compress_size), path,
                   f"entry {name!r} expands {info.file_size / max(1, info.compress_size):,.0f} times "
                   "(a zip bomb, not an export)")
            sid = MEMBER.match(name).group(2)
            if sid:
                per_session[sid] = per_session.get(sid, 0) + 1
                _check(per_session[sid] <= MAX_FILES_PER_SESSION + 1, path,
                       f"session {sid} holds more than {MAX_FILES_PER_SESSION:,} files")
            total += info.file_size
            compressed += info.compress_size
            names[name] = info
        _check_expansion(path, staged.dir, total, compressed)
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
    refs = sorted(_audio_refs(doc))
    _check(len(refs) <= MAX_FILES_PER_SESSION, path, f"session {sid} holds more than {MAX_FILES_PER_SESSION:,} files")
    for ref in refs:
        _check((path / ref).is_file() and not (path / ref).is_symlink(), path, f"{ref} is missing (or is a link)")
    _check_expansion(path, staged.dir, sum((path / ref).stat().st_size for ref in refs), None)
    staged_files = {}
    for ref in refs:
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
        from .schedule import rebuild_schedule

        with store._tx() as conn:
            moves: dict[str, list[tuple[str, str]]] = {}
            for doc, files in staged.sessions:
                s = doc["session"]
                sid = s["id"]
                if conn.execute("SELECT 1 FROM sessions WHERE id = ?", (sid,)).fetchone():
                    skipped.append(sid)
                    continue
                folder = store.audio_dir / sid
                _check(_only_leftovers(folder, files), path,
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
                    moves[sid] = [(f.relative_to(staged.dir).as_posix(), rel[ref]) for ref, f in files.items()]
                imported.append(sid)
            if moves:
                staged.write_journal(moves)  # from here on a crash is finished or undone on the next open
            for sid, pairs in moves.items():
                folder = store.audio_dir / sid
                if not folder.exists():
                    folder.mkdir(mode=0o700, parents=True)
                    made_dirs.append(folder)
                for staged_rel, dest_rel in pairs:
                    dest = store.root / dest_rel
                    os.replace(staged.dir / staged_rel, dest)
                    moved.append(dest)
            rebuild_schedule(conn)
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


def _only_leftovers(folder: Path, files: dict[str, Path]) -> bool:
    """Whether the session's audio folder is absent, empty, or holds only files identical to
    the ones being imported: what an import cut off by a crash (before this version's
    journal) left behind, which must not block every later import of the same archive."""
    if not folder.exists():
        return True
    staged = {ref[len("audio/"):]: f for ref, f in files.items()}
    for p in folder.iterdir():
        if not (p.is_file() and not p.is_symlink() and p.name in staged
                and filecmp.cmp(p, staged[p.name], shallow=False)):
            return False
    return True


# -- crash recovery --------------------------------------------------------------------------


def recover_imports(store: "Store") -> list[dict]:
    """Finish or undo the imports a crash cut off, and remove their staging folders.

    A staging folder still locked belongs to an import running in another process: left
    alone. With a journal, each listed session is looked up (under the write lock, which
    imports hold while they move files): committed, its remaining files are moved into
    place; not committed, the files it had moved are taken out again. Without a journal
    nothing had been moved yet. Returns what was done, per session.
    """
    done: list[dict] = []
    for staging in sorted(store.root.glob(".import-*")):
        if not staging.is_dir() or recording.is_locked_elsewhere(staging / LOCK):
            continue
        if recording.fcntl is None and time.time() - staging.stat().st_mtime < 6 * 3600:
            continue  # no flock to ask (Windows): only a folder hours old is surely abandoned
        moves = _read_journal(staging)
        if moves:
            with store._tx() as conn:
                for sid, pairs in moves.items():
                    committed = conn.execute("SELECT 1 FROM sessions WHERE id = ?", (sid,)).fetchone() is not None
                    for staged_rel, dest_rel in pairs:
                        src, dest = staging / staged_rel, store.root / dest_rel
                        if committed and src.exists() and not dest.exists():
                            dest.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                            os.replace(src, dest)
                        elif not committed and dest.exists() and not src.exists():
                            dest.unlink()  # moved by the import that never committed
                    if not committed:
                        try:
                            (store.audio_dir / sid).rmdir()
                        except OSError:
                            pass  # not empty: it held files of its own before
                    done.append({"session_id": sid, "action": "finished" if committed else "undone"})
        shutil.rmtree(staging, ignore_errors=True)
    return done


def _read_journal(staging: Path) -> dict[str, list[tuple[str, str]]]:
    """The journal's moves; {} when there is none (or half of one: written before any move)."""
    try:
        data = json.loads((staging / JOURNAL).read_text(encoding="utf-8"))
        moves = data["moves"]
        checked = {}
        for sid, pairs in moves.items():
            _check(bool(SESSION_ID.match(sid)), staging, "bad journal")
            checked[sid] = [(str(a), str(b)) for a, b in pairs]
            for a, b in checked[sid]:  # our own file, but still: never leave the data dir
                _check(not Path(a).is_absolute() and ".." not in Path(a).parts and ".." not in Path(b).parts
                       and b.startswith(f"audio/{sid}/"),
                       staging, "bad journal")
        return checked
    except (OSError, ValueError, KeyError, TypeError, AttributeError, UserError):
        return {}
