"""The `Store`: sessions, answers, recordings and progress in one SQLite file.

See the package docstring (`interviewer/history/__init__.py`) for the API and its guarantees.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import random
import re
import secrets
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path

from ..errors import UserError
from . import recording
from .rows import KINDS, MODES, _dumps, _number, insert_answer, insert_key_point_results  # noqa: F401  (the store's own rows)
from .schema import SCHEMA_VERSION, apply_migrations, key_point_id_label

log = logging.getLogger(__name__)

DB_NAME = "history.sqlite3"
SCORE_KEYS = ("clarity", "pacing", "depth", "structure", "overall")
_DURABILITY = {"full": "FULL", "normal": "NORMAL", "off": "OFF"}
_SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]+")


def default_path(settings=None) -> Path:
    """`settings.data_dir` if the user chose one, else the app's data dir."""
    from ..paths import data_dir

    custom = getattr(settings, "data_dir", None) if settings is not None else None
    if custom:
        root = Path(custom).expanduser()
        if root.exists() and not root.is_dir():
            from ..config import settings_path

            raise UserError(f"The data_dir in the settings, {root}, is a file, not a folder",
                            f"Point data_dir in {settings_path()} at a folder (or remove it to use the default).")
        try:
            return _ensure_dir(root) / DB_NAME
        except OSError as exc:
            raise db_error(exc, root / DB_NAME, "create the data folder (data_dir in the settings)") from None
    try:
        return data_dir() / DB_NAME
    except OSError as exc:
        raise db_error(exc, None, "create the data folder") from None


class DatabaseUnavailable(UserError):
    """The history database cannot be used, for the reason in `kind`: damaged, readonly,
    full, busy, io, cantopen or other."""

    def __init__(self, kind: str, problem: str, fix: str) -> None:
        super().__init__(problem, fix)
        self.kind = kind


# Failures that leave a database readable: worth retrying read-only for reading commands.
WRITE_KINDS = ("readonly", "full", "io", "cantopen")


def _error_kind(exc: BaseException, folder: Path | None) -> str:
    if isinstance(exc, OSError):
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return "readonly"
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return "full"
        return "io"
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc).lower()
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in text or "not a database" in text:
        return "damaged"
    if name.startswith(("SQLITE_READONLY", "SQLITE_PERM", "SQLITE_AUTH")) or "readonly" in text:
        return "readonly"
    if name.startswith("SQLITE_FULL") or "disk is full" in text:
        return "full"
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
        return "busy"
    if name.startswith("SQLITE_CANTOPEN") or "unable to open" in text:
        return "readonly" if folder is not None and not os.access(folder, os.W_OK) else "cantopen"
    if name.startswith("SQLITE_IOERR") or "disk i/o" in text:
        return "io"
    return "other"


def db_error(exc: BaseException, db_path: Path | None, doing: str = "") -> DatabaseUnavailable:
    """What went wrong with the history database, named by its real cause, and a fix that
    never puts the user's history at risk (no 'start a new one' for a busy or read-only file)."""
    folder = db_path.parent if db_path is not None else None
    kind = _error_kind(exc, folder)
    what = f"The history database {db_path}" if db_path is not None else "The history database"
    detail = (exc.strerror or str(exc)) if isinstance(exc, OSError) else str(exc)
    doing = f" (while trying to {doing})" if doing else ""
    if kind == "damaged":
        backups = sorted(folder.glob(f"{DB_NAME}.v*.bak")) if folder is not None else []
        restore = f"copy the backup {backups[-1]} over it" if backups else \
            "move it aside and import your last export (`interviewer history import FILE.zip`)"
        audio = folder / "audio" if folder is not None else "the audio folder"
        return DatabaseUnavailable(kind, f"{what} is damaged ({detail}){doing}",
                                   f"Nothing was changed or deleted. Keep a copy of the file, then {restore}. "
                                   f"The recordings in {audio} are kept either way.")
    if kind == "readonly":
        return DatabaseUnavailable(kind, f"{what} cannot be written: {folder or 'its folder'} is read-only (or not "
                                   f"yours){doing}: {detail}",
                                   "Make that folder writable (its permissions, or a disk mounted read-only), or set "
                                   "data_dir in the settings to a writable folder. Reading the history still works.")
    if kind == "full":
        return DatabaseUnavailable(kind, f"The disk that holds {folder or 'the history'} is full{doing}: {detail}",
                                   "Free some space on that disk, then try again. Nothing was lost.")
    if kind == "busy":
        return DatabaseUnavailable(kind, f"{what} is busy: another window or command of the app has held it for "
                                   f"more than 10 seconds{doing}",
                                   "Wait for it to finish (an import can take a while) or close the other window, "
                                   "then try again.")
    if kind == "io":
        return DatabaseUnavailable(kind, f"The disk reported an error with the history database"
                                   f"{'' if db_path is None else ' ' + str(db_path)}{doing}: {detail}",
                                   "Check the disk (free space, connection, `dmesg`), then try again; the history "
                                   "file has not been changed.")
    if kind == "cantopen":
        return DatabaseUnavailable(kind, f"{what} cannot be opened{doing}: {detail}",
                                   "Check that its folder exists and is yours, or set data_dir in the settings to "
                                   "another folder.")
    return DatabaseUnavailable(kind, f"{what} could not be used{doing}: {detail}",
                               "Try again; if it keeps happening, please report it with the log file.")


def _ensure_dir(path: Path) -> Path:
    """Create a folder readable by the user alone. An existing folder the user chose (say,
    their Documents) keeps its mode: what the store puts inside is private anyway."""
    if not path.is_dir():
        from ..paths import _private_dir

        _private_dir(path)
    return path


def _now() -> datetime:
    return datetime.now().astimezone()


def _iso(value: date | datetime | str | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return value.isoformat()


def _day(value: date | datetime | str | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    return value.isoformat() if isinstance(value, date) else str(value)[:10]


def _as_dict(value) -> dict:
    """Dicts pass through; pydantic models and dataclass-like objects with to_dict are converted."""
    if value is None:
        return {}
    if isinstance(value, dict):
        return value
    for method in ("to_dict", "model_dump"):
        if hasattr(value, method):
            return getattr(value, method)()
    raise TypeError(f"expected a dict, got {type(value).__name__}")


def _loads(text: str | None, default):
    """A JSON column, or `default` when it is missing, not JSON, or not of the default's type
    (a list where an object belongs): rows are read even when another program wrote garbage."""
    if not text or not isinstance(text, (str, bytes)):
        return default
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):  # bad JSON, bad UTF-8 in a blob
        return default
    return value if isinstance(value, type(default) if default is not None else dict) else default


def _text(value) -> str | None:
    """A TEXT column as text, whatever SQLite's dynamic typing let another program store."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def _is_day(text: str | None) -> bool:
    try:
        date.fromisoformat(text)
        return True
    except (TypeError, ValueError):
        return False


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _lenient_text(data: bytes) -> str:
    """TEXT as SQLite hands it over. Bytes that are not UTF-8 (another program wrote them)
    become U+FFFD instead of an error that would hide every other row of the history."""
    return data.decode("utf-8", errors="replace")


def _has_data(db_path: Path) -> bool:
    try:
        return db_path.stat().st_size > 0
    except OSError:
        return False


def _wal_has_data(db_path: Path) -> bool:
    try:
        return db_path.with_name(db_path.name + "-wal").stat().st_size > 0
    except OSError:
        return False


def _refuse_emptied_database(db_path: Path) -> None:
    """A history.sqlite3 of 0 bytes is a new database to SQLite. Beside recordings or backups
    it is a history that was cut off (a crash, a full disk, another program): starting over
    on top of it would orphan every recording, so refuse and say how to get it back."""
    if not db_path.exists() or _has_data(db_path) or _wal_has_data(db_path):
        return
    folder = db_path.parent
    audio = folder / "audio"
    try:
        sessions = [d for d in audio.iterdir() if d.is_dir() and any(d.iterdir())] if audio.is_dir() else []
    except OSError:
        sessions = []
    backups = sorted(folder.glob(f"{DB_NAME}.v*.bak"))
    if not sessions and not backups:
        return  # a fresh data dir (or one a first start created a moment ago)
    found = f"{len(sessions)} session folder(s) of recordings in {audio}" if sessions else f"the backup {backups[-1]}"
    restore = f"copy {backups[-1]} over it" if backups else \
        "move it aside and import your last export (`interviewer history import FILE.zip`)"
    raise DatabaseUnavailable(
        "damaged", f"The history database {db_path} is empty (0 bytes), but {found} are beside it: the history it "
                   "held was lost (a crash, a full disk, or another program truncated it)",
        f"Nothing was changed. To get it back, {restore}. The recordings are kept either way.")


def _connect(db_path: Path, durability: str) -> sqlite3.Connection:
    """A read-write connection, the schema migrated; DatabaseUnavailable naming the cause."""
    try:
        _ensure_dir(db_path.parent)
    except OSError as exc:
        raise db_error(exc, db_path, "create its folder") from None
    _refuse_emptied_database(db_path)
    if not db_path.exists():
        try:
            os.close(os.open(db_path, os.O_WRONLY | os.O_CREAT, 0o600))  # private before SQLite touches it
        except OSError as exc:
            raise db_error(exc, db_path, "create it") from None
    try:
        conn = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False, timeout=10)
    except sqlite3.Error as exc:
        raise db_error(exc, db_path) from None
    conn.text_factory = _lenient_text
    try:
        _set_up(conn, db_path, durability)
    except sqlite3.Error as exc:
        conn.close()
        raise db_error(exc, db_path) from None
    except OSError as exc:  # the backup copy made before a migration
        conn.close()
        raise db_error(exc, db_path, "back it up before upgrading it") from None
    except BaseException:
        conn.close()
        raise
    return conn


def _set_up(conn: sqlite3.Connection, db_path: Path, durability: str, patience_s: float = 10.0) -> None:
    """WAL mode, pragmas, migrations. On a fresh file, still in rollback-journal mode, two
    processes that both hold a shared lock and both want the exclusive one to switch to WAL
    would deadlock: SQLite answers one of them SQLITE_BUSY at once, without waiting on the
    busy timeout. That one backs off and tries again (every step here is idempotent)."""
    deadline = time.monotonic() + patience_s
    while True:
        try:
            conn.execute("PRAGMA busy_timeout = 10000")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute(f"PRAGMA synchronous = {_DURABILITY[durability]}")
            conn.execute("PRAGMA foreign_keys = ON")
            apply_migrations(conn, db_path)
            return
        except sqlite3.OperationalError as exc:
            if _error_kind(exc, None) != "busy" or time.monotonic() > deadline:
                raise
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            time.sleep(random.uniform(0.02, 0.2))


def _connect_readonly(db_path: Path) -> sqlite3.Connection:
    """A read-only connection to a database this process cannot write. A WAL database needs
    its shared-memory file, which a read-only or full disk may not let SQLite create: then it
    is opened as immutable (no locking: fine for a disk nobody can write either)."""
    from urllib.parse import quote

    uri = f"file:{quote(db_path.resolve().as_posix())}?mode=ro"
    last: BaseException | None = None
    for suffix in ("", "&immutable=1"):
        try:
            conn = sqlite3.connect(uri + suffix, uri=True, isolation_level=None, check_same_thread=False, timeout=10)
        except sqlite3.Error as exc:
            last = exc
            continue
        conn.text_factory = _lenient_text
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            conn.execute("SELECT COUNT(*) FROM sessions").fetchone()
        except sqlite3.Error as exc:
            conn.close()
            last = exc
            continue
        if version != SCHEMA_VERSION:
            conn.close()
            raise DatabaseUnavailable(
                "readonly", f"The history database {db_path} needs an upgrade (schema {version} to {SCHEMA_VERSION}) "
                            "and cannot be written here",
                "Open it once where it can be written (a writable disk), then it reads anywhere.")
        return conn
    raise db_error(last, db_path) from None


class Store:
    """History of interview sessions. Thread-safe: one connection guarded by a lock."""

    def __init__(self, conn: sqlite3.Connection, path: Path, keep_audio: bool | None,
                 clock: Callable[[], datetime]) -> None:
        self.conn = conn
        self.path = path
        self.root = path.parent
        self.audio_dir = self.root / "audio"
        self.keep_audio = keep_audio
        self.clock = clock
        self._lock = threading.RLock()
        self._session_locks: dict[str, int] = {}
        self._keep_audio_by_session: dict[str, bool] = {}
        self.recovered: list[dict] = []  # recordings repaired when this store was opened
        self.imports_recovered: list[dict] = []  # imports finished or undone when it was opened
        self.readonly: DatabaseUnavailable | None = None  # why it was opened read-only, if it was

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path | None = None, *, settings=None, keep_audio: bool | None = None,
             clock: Callable[[], datetime] | None = None, durability: str = "full", recover: bool = True,
             readonly_ok: bool = False) -> "Store":
        """Open (creating, migrating and recovering as needed) the history database.

        `keep_audio` None means: ask `settings.keep_audio` if settings are given, else each
        session's own settings dict. `durability` "full" fsyncs every commit (the default:
        an answer survives a power cut); "off" is for benchmarks and throwaway databases.
        `readonly_ok`: when the database cannot be written (a read-only or full disk), open
        it read-only rather than fail (`store.readonly` then says why); for commands that
        only read. Any failure is a DatabaseUnavailable naming the real cause.
        """
        db_path = Path(path).expanduser() if path is not None else default_path(settings)
        if keep_audio is None and settings is not None:
            keep_audio = bool(getattr(settings, "keep_audio", True))
        try:
            conn = _connect(db_path, durability)
        except DatabaseUnavailable as exc:
            if not (readonly_ok and exc.kind in WRITE_KINDS and _has_data(db_path)):
                raise
            store = cls(_connect_readonly(db_path), db_path, keep_audio, clock or _now)
            store.readonly = exc
            return store
        store = cls(conn, db_path, keep_audio, clock or _now)
        from ..paths import _private_dir

        try:
            _private_dir(store.audio_dir)
            _private_dir(store.root / "locks")
        except OSError as exc:
            store.conn.close()
            raise db_error(exc, db_path, "create the audio folder") from None
        if recover:
            store.recovered = store._recover_quietly()
        return store

    def _recover_quietly(self) -> list[dict]:
        """Crash recovery that never stops the history from opening: on a full or read-only disk
        it waits for the next open (reading needs no repair). Returns the recordings repaired."""
        from .archive import recover_imports

        repaired: list[dict] = []
        try:
            repaired = self.recover()
            self.imports_recovered = recover_imports(self)
        except (sqlite3.Error, OSError) as exc:
            log.warning("crash recovery postponed to the next start: %s", db_error(exc, self.path).problem)
            log.debug("recovery failure", exc_info=True)
        return repaired

    def close(self) -> None:
        with self._lock:
            for sid in list(self._session_locks):
                self._release_session(sid)
            self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    # -- helpers ---------------------------------------------------------------------------

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """One snapshot for a multi-query read."""
        with self._lock:
            self.conn.execute("BEGIN")
            try:
                yield self.conn
            finally:
                self.conn.execute("COMMIT")

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return self.clock().date()

    def abs_path(self, stored: str | None) -> Path | None:
        if not stored:
            return None
        p = Path(stored)
        return p if p.is_absolute() else self.root / p

    def _rel(self, path: Path) -> str | None:
        """Relative to the store root if inside it (the store owns it), else None."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return None

    def _lock_path(self, sid: str) -> Path:
        return self.root / "locks" / f"{sid}.lock"

    def _acquire_session(self, sid: str) -> None:
        if sid in self._session_locks:
            return
        fd = os.open(self._lock_path(sid), os.O_RDWR | os.O_CREAT, 0o600)
        if not recording.try_lock(fd):
            os.close(fd)
            raise UserError(f"Session {sid} is open in another window of the app",
                            "Finish or close it there first.")
        self._session_locks[sid] = fd

    def _release_session(self, sid: str, remove: bool = False) -> None:
        fd = self._session_locks.pop(sid, None)
        if fd is None:
            return
        if remove:
            try:
                self._lock_path(sid).unlink()
            except OSError:
                pass
        os.close(fd)

    def is_live(self, sid: str) -> bool:
        """Whether the session is being recorded right now (by this store or another process)."""
        return sid in self._session_locks or recording.is_locked_elsewhere(self._lock_path(sid))

    def _session_row(self, conn: sqlite3.Connection, sid: str) -> sqlite3.Row | tuple:
        row = conn.execute("SELECT id, settings_json, finished_at FROM sessions WHERE id = ?", (sid,)).fetchone()
        if row is None:
            raise UserError(f"No session with id '{sid}'", "Run `interviewer history` to list sessions.")
        return row

    # -- writing a session -----------------------------------------------------------------

    def begin_session(self, format: str, mode: str = "study", persona: str | None = None,
                      settings: dict | None = None, question_ids: list[str] | tuple = ()) -> str:
        """Start a session row (committed at once) and return its id."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
        if not isinstance(format, str) or not format:
            raise ValueError("format must be a non-empty string")
        settings = _as_dict(settings)
        now = self.now()
        sid = f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO sessions (id, started_at, format, mode, persona, settings_json, question_ids_json) "
                "VALUES (?,?,?,?,?,?,?)",
                (sid, now.isoformat(timespec="seconds"), format, mode, persona, _dumps(settings),
                 _dumps([str(q) for q in question_ids])),
            )
        self._keep_audio_by_session[sid] = bool(settings.get("keep_audio", True))
        self._acquire_session(sid)
        return sid

    def _keeps_audio(self, sid: str) -> bool:
        if self.keep_audio is not None:
            return self.keep_audio
        if sid not in self._keep_audio_by_session:
            with self._lock:
                row = self._session_row(self.conn, sid)
            self._keep_audio_by_session[sid] = bool(_loads(row[1], {}).get("keep_audio", True))
        return self._keep_audio_by_session[sid]

    def audio_writer(self, sid: str, turn_key: str):
        """A writer that streams this turn's audio to disk; `close()` returns the WAV path,
        `discard()` throws the take away. `turn_key` names the file (sanitized, never
        overwriting an earlier take). With keep_audio off it is a no-op writer whose
        `close()` returns None.
        """
        with self._lock:
            self._session_row(self.conn, sid)
        if not self._keeps_audio(sid):
            return recording.NullAudioWriter()
        folder = self.audio_dir / sid
        from ..paths import _private_dir

        _private_dir(folder)
        base = _SAFE_NAME.sub("_", str(turn_key)).strip("._")[:80] or "turn"
        with self._tx() as conn:
            for n in range(1, 10_000):
                name = base if n == 1 else f"{base}-{n}"
                final = folder / f"{name}.wav"
                rel = final.relative_to(self.root).as_posix()
                taken = conn.execute("SELECT 1 FROM recordings WHERE path = ?", (rel,)).fetchone()
                if not taken and not final.exists() and not final.with_name(final.name + recording.PART_SUFFIX).exists():
                    break
            # The row comes first: if we die before the file exists, recovery marks it missing.
            conn.execute(
                "INSERT INTO recordings (session_id, turn_key, path, status, started_at) VALUES (?,?,?,?,?)",
                (sid, str(turn_key), rel, "recording", self.now().isoformat(timespec="seconds")),
            )

        def on_close(writer: recording.AudioWriter) -> None:
            with self._tx() as c:
                c.execute("UPDATE recordings SET status = 'complete', duration_s = ? WHERE path = ?",
                          (round(writer.duration_s, 3), rel))

        def on_discard(writer: recording.AudioWriter) -> None:
            with self._tx() as c:
                c.execute("DELETE FROM recordings WHERE path = ?", (rel,))

        return recording.AudioWriter(final, on_close, on_discard=on_discard)

    def record_answer(self, sid: str, question, turn: dict | None = None, transcript=None, analysis: dict | None = None,
                      audio_path: str | Path | None = None, timings: dict | None = None) -> int:
        """Store one turn in its own transaction, committed before returning; returns its id.

        Also updates the spaced-practice schedule in the same transaction.
        """
        question = _as_dict(question)
        turn = dict(_as_dict(turn))
        turn.setdefault("kind", "answer")
        if turn["kind"] not in KINDS:
            raise ValueError(f"turn kind must be one of {KINDS}, got {turn['kind']!r}")
        if not question.get("id") or not question.get("category"):
            raise ValueError("question needs at least 'id' and 'category'")
        audio_rel = self._adopt_audio(sid, audio_path, turn)
        created = self.now().isoformat(timespec="seconds")
        with self._tx() as conn:
            self._session_row(conn, sid)
            answer_id = insert_answer(conn, sid, created, question, turn, _as_dict(transcript),
                                      _as_dict(analysis), audio_rel, _as_dict(timings))
            from .schedule import apply_answer

            apply_answer(conn, question, turn, _as_dict(analysis), created[:10])
        return answer_id

    def update_answer_analysis(self, sid: str, turn_index: int, transcript: dict, analysis: dict) -> bool:
        """Replace a stored turn's transcript and analysis (the accurate final pass arrives after
        the live one was stored), with its score columns and key-point rows. False: no such turn."""
        transcript, analysis = _as_dict(transcript), _as_dict(analysis)
        scores = analysis.get("scores") if isinstance(analysis.get("scores"), dict) else {}
        text = transcript.get("text") if isinstance(transcript.get("text"), str) else analysis.get("transcript", "")
        with self._tx() as conn:
            row = conn.execute("SELECT id, question_id, kind, created_at FROM answers WHERE session_id=? AND turn_index=?",
                               (sid, int(turn_index))).fetchone()
            if row is None:
                return False
            answer_id, qid, kind, created = row[0], row[1], row[2], row[3]
            conn.execute(
                "UPDATE answers SET transcript_text=?, analysis_json=?, overall=?, clarity=?, pacing=?, depth=?, "
                "structure=?, transcript_json=? WHERE id=?",
                (text or "", _dumps(analysis), _number(scores.get("overall")),
                 *(_number(scores.get(k)) for k in ("clarity", "pacing", "depth", "structure")),
                 _dumps(transcript), answer_id))
            if kind == "answer":
                conn.execute("DELETE FROM key_point_results WHERE answer_id=?", (answer_id,))
                insert_key_point_results(conn, answer_id, sid, qid, analysis, str(created)[:10])
        return True

    def _adopt_audio(self, sid: str, audio_path, turn: dict) -> str | None:
        if not audio_path:
            return None
        path = Path(audio_path)
        rel = self._rel(path)
        if rel is not None:
            return rel
        if not self._keeps_audio(sid) or not path.is_file():
            return None
        # Audio recorded elsewhere (e.g. a temp file): copy it in so delete and export see it.
        from ..paths import _private_dir

        folder = _private_dir(self.audio_dir / sid)
        base = _SAFE_NAME.sub("_", f"{turn.get('kind', 'answer')}-{turn.get('index', 0)}").strip("._") or "turn"
        dest = folder / f"{base}.wav"
        n = 2
        while dest.exists():
            dest = folder / f"{base}-{n}.wav"
            n += 1
        shutil.copyfile(path, dest)
        dest.chmod(0o600)
        return dest.relative_to(self.root).as_posix()

    def finish_session(self, sid: str, summary: dict | None = None) -> None:
        with self._tx() as conn:
            self._session_row(conn, sid)
            conn.execute("UPDATE sessions SET finished_at = ?, summary_json = ? WHERE id = ?",
                         (self.now().isoformat(timespec="seconds"), _dumps(_as_dict(summary)), sid))
        self._release_session(sid, remove=True)

    def resume_session(self, sid: str) -> dict:
        """Take an interrupted session back: what was answered, what is left to ask."""
        with self._lock:
            row = self._session_row(self.conn, sid)
            if row[2] is not None:
                raise UserError(f"Session {sid} is already finished", "Start a new session instead.")
            self._acquire_session(sid)
        info = self._resume_info([sid])[sid]
        return {"session_id": sid, **info}

    # -- recovery --------------------------------------------------------------------------

    def recover(self) -> list[dict]:
        """Repair recordings left by a crash. Returns what was repaired.

        The row is updated before the file is repaired: on a full or read-only disk the
        update fails first and nothing is touched, so the repair happens, whole, on a later
        start. A repair cut off after its row was updated is finished on the next start
        (the row says 'recovered' while the .part is still there). Windows has no flock to
        tell a live recording from a dead one, only a rename that fails: there the file
        comes first.
        """
        with self._lock:
            rows = self.conn.execute(
                "SELECT id, session_id, turn_key, path, status FROM recordings "
                "WHERE status IN ('recording', 'recovered')").fetchall()
        repaired = []
        for rec_id, sid, turn_key, rel, was in rows:
            final = self.abs_path(rel)
            part = final.with_name(final.name + recording.PART_SUFFIX)
            if was == "recovered":
                if part.exists() and not final.exists() and recording.fcntl is not None \
                        and not recording.is_locked_elsewhere(part):
                    recording.recover_part_file(part, final)
                continue
            if recording.is_locked_elsewhere(part) or self.is_live(sid):
                continue  # another window is recording it right now
            if part.exists():
                status, duration = "recovered", recording.part_duration(part)
            elif final.exists():  # died between the rename and the database update
                status, duration = "complete", recording.wav_duration(final)
            else:
                status, duration = "missing", None
            if status == "recovered" and recording.fcntl is None:
                try:
                    duration = recording.recover_part_file(part, final)
                except OSError:
                    continue  # Windows: still open by a live process
            with self._tx() as conn:
                conn.execute("UPDATE recordings SET status = ?, duration_s = ? WHERE id = ?",
                             (status, None if duration is None else round(duration, 3), rec_id))
            if status == "recovered" and recording.fcntl is not None:
                recording.recover_part_file(part, final)
            repaired.append({"session_id": sid, "turn_key": turn_key, "path": str(final), "status": status,
                             "duration_s": duration})
        return repaired

    # -- queries ---------------------------------------------------------------------------

    def sessions(self, search: str | None = None, category: str | None = None, since=None, until=None,
                 mode: str | None = None, status: str | None = None, limit: int | None = 100,
                 offset: int = 0) -> list[dict]:
        """Sessions, newest first, with averaged scores of their main answers.

        `search` matches question ids and prompts, what was said, the format, the persona.
        `since`/`until` take dates, datetimes or ISO strings; `status` is "finished" or
        "incomplete".
        """
        where, params = self._build_where(search, category, since, until, mode, status)
        sql = (
            "SELECT s.id, s.started_at, s.finished_at, s.format, s.mode, s.persona, s.question_ids_json, "
            "COUNT(a.id), COUNT(DISTINCT a.question_id), AVG(a.clarity), AVG(a.pacing), AVG(a.depth), "
            "AVG(a.structure), AVG(a.overall), GROUP_CONCAT(DISTINCT a.category) "
            "FROM sessions s LEFT JOIN answers a ON a.session_id = s.id AND a.kind = 'answer' "
            f"{where} GROUP BY s.id ORDER BY s.started_at DESC, s.rowid DESC LIMIT ? OFFSET ?"
        )
        with self._lock:
            rows = self.conn.execute(sql, (*params, -1 if limit is None else int(limit), int(offset))).fetchall()
        return [self._summary_row(r) for r in rows]

    def count_sessions(self, search=None, category=None, since=None, until=None, mode=None, status=None) -> int:
        where, params = self._build_where(search, category, since, until, mode, status)
        with self._lock:
            return self.conn.execute(f"SELECT COUNT(*) FROM sessions s {where}", params).fetchone()[0]

    def _build_where(self, search, category, since, until, mode, status) -> tuple[str, list]:
        clauses, params = [], []
        if search:
            pattern = _like(search.strip())
            clauses.append(
                "(s.id IN (SELECT session_id FROM answers WHERE prompt LIKE ? ESCAPE '\\' "
                "OR transcript_text LIKE ? ESCAPE '\\' OR question_id LIKE ? ESCAPE '\\') "
                "OR s.format LIKE ? ESCAPE '\\' OR IFNULL(s.persona, '') LIKE ? ESCAPE '\\' OR s.id LIKE ? ESCAPE '\\')"
            )
            params.extend([pattern] * 6)
        if category:
            clauses.append("s.id IN (SELECT session_id FROM answers WHERE category = ?)")
            params.append(category)
        if since:
            clauses.append("s.started_at >= ?")
            params.append(_iso(since))
        if until:
            clauses.append("substr(s.started_at, 1, 10) <= ?")
            params.append(_day(until))
        if mode:
            clauses.append("s.mode = ?")
            params.append(mode)
        if status == "finished":
            clauses.append("s.finished_at IS NOT NULL")
        elif status == "incomplete":
            clauses.append("s.finished_at IS NULL")
        elif status is not None:
            raise ValueError("status must be 'finished', 'incomplete' or None")
        return ("WHERE " + " AND ".join(clauses)) if clauses else "", params

    def _summary_row(self, r) -> dict:
        (sid, started, finished, fmt, mode, persona, qids_json, n_answers, n_questions,
         clarity, pacing, depth, structure, overall, categories) = r
        sid, started, finished, fmt, mode, persona, categories = map(
            _text, (sid, started, finished, fmt, mode, persona, categories))
        started = started or ""
        planned = [q for q in _loads(qids_json, []) if isinstance(q, str)]
        return {
            "id": sid,
            "started_at": started,
            "finished_at": finished,
            "status": "finished" if finished else "incomplete",
            "format": fmt,
            "mode": mode,
            "persona": persona,
            "question_ids": planned,
            "questions_planned": len(planned),
            "questions_answered": n_questions,
            "answers": n_answers,
            "categories": sorted(categories.split(",")) if categories else [],
            "scores": {k: _round(_number(v)) for k, v in zip(SCORE_KEYS, (clarity, pacing, depth, structure, overall))},
        }

    def session(self, sid: str) -> dict:
        """Everything about one session: the report the History page reopens."""
        with self._read() as conn:
            row = conn.execute(
                "SELECT s.id, s.started_at, s.finished_at, s.format, s.mode, s.persona, s.question_ids_json, "
                "COUNT(a.id), COUNT(DISTINCT a.question_id), AVG(a.clarity), AVG(a.pacing), AVG(a.depth), "
                "AVG(a.structure), AVG(a.overall), GROUP_CONCAT(DISTINCT a.category) "
                "FROM sessions s LEFT JOIN answers a ON a.session_id = s.id AND a.kind = 'answer' "
                "WHERE s.id = ? GROUP BY s.id", (sid,)).fetchone()
            if row is None:
                raise UserError(f"No session with id '{sid}'", "Run `interviewer history` to list sessions.")
            extra = conn.execute("SELECT settings_json, summary_json FROM sessions WHERE id = ?", (sid,)).fetchone()
            answers = conn.execute(
                "SELECT id, created_at, question_id, category, prompt, tags_json, kind, turn_index, turn_json, "
                "transcript_json, transcript_text, analysis_json, clarity, pacing, depth, structure, overall, "
                "audio_path, timings_json FROM answers WHERE session_id = ? ORDER BY id", (sid,)).fetchall()
            recs = conn.execute(
                "SELECT turn_key, path, status, started_at, duration_s FROM recordings WHERE session_id = ? ORDER BY id",
                (sid,)).fetchall()
        report = self._summary_row(row)
        report["settings"] = _loads(extra[0], {})
        report["summary"] = _loads(extra[1], None)
        report["live"] = self.is_live(sid)
        report["turns"] = []
        linked = set()
        for a in answers:
            (aid, created, qid, cat, prompt, tags, kind, index, turn_json, transcript_json, text, analysis_json,
             clarity, pacing, depth, structure, overall, audio, timings_json) = a
            created, qid, cat, prompt, kind, text, audio = map(_text, (created, qid, cat, prompt, kind, text, audio))
            clarity, pacing, depth, structure, overall = map(_number, (clarity, pacing, depth, structure, overall))
            turn = _loads(turn_json, {})
            if turn.get("kind") not in KINDS:
                turn["kind"] = kind if kind in KINDS else "answer"
            turn.setdefault("kind", kind)
            turn.setdefault("index", index)
            transcript = _loads(transcript_json, {})
            transcript.setdefault("text", text)
            audio_abs = self.abs_path(audio)
            linked.add(audio)
            report["turns"].append({
                "id": aid,
                "created_at": created,
                "question": {"id": qid, "category": cat, "prompt": prompt, "tags": _loads(tags, [])},
                "turn": turn,
                "transcript": transcript,
                "analysis": _loads(analysis_json, {}),
                "scores": {k: v for k, v in zip(SCORE_KEYS, (clarity, pacing, depth, structure, overall))},
                "audio_path": str(audio_abs) if audio_abs else None,
                "audio_exists": bool(audio_abs and audio_abs.is_file()),
                "timings": _loads(timings_json, {}),
            })
        report["recordings"] = [
            {"turn_key": _text(k), "path": str(self.abs_path(_text(p))), "status": _text(st), "started_at": _text(t),
             "duration_s": _number(d), "linked": _text(p) in linked}
            for k, p, st, t, d in recs if p
        ]
        report["partial_recordings"] = [r for r in report["recordings"] if not r["linked"]]
        if report["status"] == "incomplete":
            report.update(self._resume_info([sid])[sid])
        return report

    def _resume_info(self, sids: list[str]) -> dict[str, dict]:
        out = {}
        with self._lock:
            for sid in sids:
                planned = _loads(self.conn.execute("SELECT question_ids_json FROM sessions WHERE id = ?",
                                                   (sid,)).fetchone()[0], [])
                answered = [r[0] for r in self.conn.execute(
                    "SELECT DISTINCT question_id FROM answers WHERE session_id = ? AND kind = 'answer' ORDER BY id",
                    (sid,))]
                out[sid] = {"answered_question_ids": answered,
                            "remaining_question_ids": [q for q in planned if q not in set(answered)]}
        return out

    def incomplete_sessions(self, include_live: bool = False) -> list[dict]:
        """Sessions started and never finished (a crash, a closed window), newest first.

        Each carries what was answered, what is left (for resuming) and any recordings that
        were cut off. Sessions being recorded right now are left out unless `include_live`.
        """
        rows = self.sessions(status="incomplete", limit=None)
        rows = [r for r in rows if include_live or not self.is_live(r["id"])]
        info = self._resume_info([r["id"] for r in rows])
        with self._lock:
            for r in rows:
                r.update(info[r["id"]])
                r["live"] = self.is_live(r["id"])
                r["partial_recordings"] = [
                    {"turn_key": k, "path": str(self.abs_path(p)), "status": st, "duration_s": d}
                    for k, p, st, d in self.conn.execute(
                        "SELECT turn_key, path, status, duration_s FROM recordings r WHERE session_id = ? AND NOT "
                        "EXISTS (SELECT 1 FROM answers a WHERE a.audio_path = r.path) ORDER BY id", (r["id"],))
                ]
        return rows

    # -- deleting --------------------------------------------------------------------------

    def delete_session(self, sid: str) -> dict:
        """Remove the session's rows and its audio files. Returns what was removed."""
        if sid not in self._session_locks and recording.is_locked_elsewhere(self._lock_path(sid)):
            raise UserError(f"Session {sid} is being recorded in another window", "Finish it there first.")
        with self._tx() as conn:
            self._session_row(conn, sid)
            paths = {r[0] for r in conn.execute(
                "SELECT audio_path FROM answers WHERE session_id = ? AND audio_path IS NOT NULL "
                "UNION SELECT path FROM recordings WHERE session_id = ?", (sid, sid))}
            n_answers = conn.execute("SELECT COUNT(*) FROM answers WHERE session_id = ?", (sid,)).fetchone()[0]
            conn.execute("DELETE FROM sessions WHERE id = ?", (sid,))  # answers, key points, recordings cascade
            from .schedule import rebuild_schedule

            rebuild_schedule(conn)
        self._release_session(sid, remove=True)
        self._keep_audio_by_session.pop(sid, None)
        removed, failed = 0, []
        audio_root = self.audio_dir.resolve()
        for rel in paths:
            path = self.abs_path(rel)
            try:
                path.resolve().relative_to(audio_root)
            except ValueError:
                continue  # never delete a file the store does not own
            for p in (path, path.with_name(path.name + recording.PART_SUFFIX)):
                try:
                    p.unlink()
                    removed += 1
                except FileNotFoundError:
                    pass
                except OSError as exc:
                    failed.append(f"{p}: {exc.strerror}")
        folder = self.audio_dir / sid
        if folder.is_dir():
            for p in folder.iterdir():  # anything else the session left (e.g. a stray .part)
                try:
                    p.unlink()
                    removed += 1
                except OSError as exc:
                    failed.append(f"{p}: {exc.strerror}")
            try:
                folder.rmdir()
            except OSError as exc:
                failed.append(f"{folder}: {exc.strerror}")
        return {"deleted": sid, "answers": n_answers, "files_removed": removed, "files_failed": failed}

    # -- progress --------------------------------------------------------------------------

    def progress(self, today: date | None = None, recent_days: int = 30, bank=None) -> dict:
        """Trends per category and per key point, strongest/weakest topics, practice streak.

        Weekly buckets start on Monday (`week`); "recent" means the last `recent_days`.
        Scores are averages of main answers (not follow-ups), 0-100. A key point's
        `outcomes` is its history oldest first, "1" covered, "0" missed (e.g. "00111").
        With a `bank`, key points get their labels from it when the analysis gave none.
        """
        today = today or self.today()
        cutoff = (today - timedelta(days=recent_days - 1)).isoformat()
        with self._read() as conn:
            cat_rows = conn.execute(
                "SELECT category, COUNT(*), AVG(overall), AVG(clarity), AVG(pacing), AVG(depth), AVG(structure), "
                "AVG(CASE WHEN created_at >= ?1 THEN overall END), AVG(CASE WHEN created_at < ?1 THEN overall END), "
                "MAX(created_at) FROM answers WHERE kind = 'answer' GROUP BY category", (cutoff,)).fetchall()
            week_rows = conn.execute(
                "SELECT category, date(substr(created_at, 1, 10), '-6 days', 'weekday 1') AS week, COUNT(*), "
                "SUM(overall), COUNT(overall) FROM answers WHERE kind = 'answer' GROUP BY category, week "
                "ORDER BY week").fetchall()
            # INDEXED BY: the scan runs in (question, key point, answer) order, so
            # group_concat lists each key point's outcomes oldest first.
            kp_rows = conn.execute(
                "SELECT question_id, key_point_id, MAX(label), COUNT(*), SUM(covered), MAX(day), "
                "SUM(CASE WHEN day >= ?1 THEN covered END), SUM(CASE WHEN day >= ?1 THEN 1 END), "
                "group_concat(covered, '') FROM key_point_results INDEXED BY key_points_by_point "
                "GROUP BY question_id, key_point_id", (cutoff,)).fetchall()
            q_rows = conn.execute(
                "SELECT question_id, MAX(category), MAX(tags_json), COUNT(*), AVG(overall) FROM answers "
                "WHERE kind = 'answer' GROUP BY question_id").fetchall()
            days = [r[0] for r in conn.execute(
                "SELECT DISTINCT substr(created_at, 1, 10) AS d FROM answers ORDER BY d")]
            totals = conn.execute(
                "SELECT COUNT(*), COUNT(finished_at), SUM(mode = 'real') FROM sessions").fetchone()
            n_answers = conn.execute("SELECT COUNT(*) FROM answers WHERE kind = 'answer'").fetchone()[0]
            due = conn.execute("SELECT COUNT(*), COUNT(DISTINCT question_id) FROM review_items WHERE due <= ?",
                               (today.isoformat(),)).fetchone()

        # _text: a category or id stored as a BLOB by another program must not break sorting
        cat_rows = [(_text(r[0]), *r[1:]) for r in cat_rows]
        week_rows = [(_text(r[0]), _text(r[1]), *r[2:]) for r in week_rows if r[1] is not None]  # a bad date: no week
        kp_rows = [(_text(r[0]), _text(r[1]), _text(r[2]), *r[3:]) for r in kp_rows]
        q_rows = [(_text(r[0]), _text(r[1]), *r[2:]) for r in q_rows]
        days = [d for d in map(_text, days) if _is_day(d)]
        categories = {}
        for cat, n, overall, clarity, pacing, depth, structure, recent, before, last in cat_rows:
            categories[cat] = {
                "answers": n,
                "scores": {k: _round(v) for k, v in zip(SCORE_KEYS, (clarity, pacing, depth, structure, overall))},
                "recent_overall": _round(recent),
                "earlier_overall": _round(before),
                "change": _round(recent - before) if recent is not None and before is not None else None,
                "last_answered": last,
                "weekly": [],
            }
        overall_weeks: dict[str, list[float]] = {}
        for cat, week, n, total, scored in week_rows:
            categories[cat]["weekly"].append({"week": week, "answers": n,
                                              "overall": _round(total / scored) if scored else None})
            acc = overall_weeks.setdefault(week, [0, 0.0, 0])
            acc[0] += n
            acc[1] += total or 0.0
            acc[2] += scored
        weekly = [{"week": w, "answers": a[0], "overall": _round(a[1] / a[2]) if a[2] else None}
                  for w, a in sorted(overall_weeks.items())]

        key_points = []
        for qid, kid, label, n, covered, last, rc, rn, outcomes in kp_rows:
            key_points.append({
                "question_id": qid, "key_point_id": kid, "label": label or _bank_label(bank, qid, kid),
                "attempts": n, "covered": covered,
                "rate": round(covered / n, 3), "recent_rate": round(rc / rn, 3) if rn else None,
                "last_seen": last, "outcomes": outcomes or "",
            })
        key_points.sort(key=lambda k: (k["rate"], -k["attempts"], k["question_id"], k["key_point_id"]))

        topics: dict[tuple[str, str], list[float]] = {}
        for qid, cat, tags_json, n, avg in q_rows:
            if avg is None:
                continue
            names = [("category", cat)] + [("tag", t) for t in _loads(tags_json, []) if isinstance(t, str)]
            for key in names:
                acc = topics.setdefault(key, [0, 0.0])
                acc[0] += n
                acc[1] += avg * n
        topic_list = [{"topic": name, "kind": kind, "answers": n, "overall": round(total / n, 1)}
                      for (kind, name), (n, total) in topics.items() if n]
        strongest, weakest = strongest_and_weakest(topic_list)

        return {
            "today": today.isoformat(),
            "totals": {"sessions": totals[0], "finished": totals[1], "real_mode": totals[2] or 0,
                       "answers": n_answers, "practice_days": len(days),
                       "first_day": days[0] if days else None, "last_day": days[-1] if days else None},
            "streak": streak(days, today),
            "categories": categories,
            "weekly": weekly,
            "key_points": key_points,
            "weakest_key_points": [k for k in key_points if k["attempts"] >= 2 and k["rate"] < 0.5][:10]
            or [k for k in key_points if k["rate"] < 0.5][:10],
            "topics": sorted(topic_list, key=lambda t: (t["kind"], t["topic"])),
            "strongest": strongest,
            "weakest": weakest,
            "due_today": {"items": due[0], "questions": due[1]},
        }

    # -- export / import (see archive.py) --------------------------------------------------

    # -- projects (Step 7) --------------------------------------------------------------------

    def save_project(self, project) -> str:
        """Insert or update a project (a projects.Project or a dict); returns its id."""
        from .project_notes import Project

        proj = project if isinstance(project, Project) else Project.model_validate(project)
        now = self.now().isoformat(timespec="seconds")
        pid = proj.id or f"p-{secrets.token_hex(4)}"
        fields = proj.model_dump(exclude={"id", "title"})
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO projects (id, title, fields_json, created_at, updated_at) VALUES (?,?,?,?,?) "
                "ON CONFLICT(id) DO UPDATE SET title=excluded.title, fields_json=excluded.fields_json, "
                "updated_at=excluded.updated_at",
                (pid, proj.title, _dumps(fields), now, now),
            )
        return pid

    def projects(self) -> list[dict]:
        with self._read() as conn:
            rows = conn.execute("SELECT id, title, fields_json, updated_at FROM projects ORDER BY updated_at DESC, title")
            return [{"id": r[0], "title": r[1], **_loads(r[2], {}), "updated_at": r[3]} for r in rows.fetchall()]

    def project(self, pid: str):
        from .project_notes import Project

        with self._read() as conn:
            row = conn.execute("SELECT id, title, fields_json FROM projects WHERE id = ?", (pid,)).fetchone()
        if row is None:
            raise UserError(f"No project with id '{pid}'", "Run `interviewer projects` to list them.")
        return Project(id=row[0], title=row[1], **_loads(row[2], {}))

    def delete_project(self, pid: str) -> None:
        with self._tx() as conn:
            if conn.execute("DELETE FROM projects WHERE id = ?", (pid,)).rowcount == 0:
                raise UserError(f"No project with id '{pid}'", "Run `interviewer projects` to list them.")

    def export_session(self, sid: str, folder: str | Path) -> Path:
        from .archive import export_session

        return export_session(self, sid, Path(folder))

    def export_all(self, archive_path: str | Path) -> Path:
        from .archive import export_all

        return export_all(self, Path(archive_path))

    def import_archive(self, path: str | Path) -> dict:
        from .archive import import_archive

        return import_archive(self, Path(path))


# A topic is named strongest or weakest only on enough answers, and only when it stands
# apart from the other end by more than answer-to-answer noise (scores of one person's
# answers to similar questions vary by about ten points).
TOPIC_MIN_ANSWERS = 2
TOPIC_GAP = 10.0


def strongest_and_weakest(topics: list[dict]) -> tuple[list[dict], list[dict]]:
    """([strongest], [weakest]) topics, each list empty when the data cannot tell them apart;
    a topic is never in both."""
    enough = [t for t in topics if t["answers"] >= TOPIC_MIN_ANSWERS]
    if len(enough) < 2:
        return [], []
    ranked = sorted(enough, key=lambda t: (t["overall"], -t["answers"], t["topic"]))
    low, high = ranked[0]["overall"], ranked[-1]["overall"]
    if high - low < TOPIC_GAP:
        return [], []
    weakest = [t for t in ranked if t["overall"] <= low + TOPIC_GAP / 2][:5]
    strongest = [t for t in reversed(ranked) if t["overall"] >= high - TOPIC_GAP / 2 and t not in weakest][:5]
    return strongest, weakest


def _bank_label(bank, qid: str, kp_id: str) -> str:
    question = getattr(bank, "questions", {}).get(qid) if bank is not None else None
    for kp in getattr(question, "key_points", None) or []:
        if kp.id == kp_id:
            return kp.label
    return kp_id


def streak(days: list[str], today: date) -> dict:
    """Consecutive practice days. The current streak survives until today is over."""
    parsed = []
    for d in days:
        try:
            parsed.append(date.fromisoformat(d))
        except (TypeError, ValueError):  # a date another program mangled: not a practice day
            pass
    if not parsed:
        return {"current": 0, "longest": 0, "last_day": None, "practised_today": False}
    parsed = sorted(set(parsed))
    longest = run = 1
    for prev, cur in zip(parsed, parsed[1:]):
        run = run + 1 if (cur - prev).days == 1 else 1
        longest = max(longest, run)
    current = 0
    day = today if parsed[-1] == today else today - timedelta(days=1)
    present = set(parsed)
    while day in present:
        current += 1
        day -= timedelta(days=1)
    return {"current": current, "longest": longest, "last_day": parsed[-1].isoformat(),
            "practised_today": parsed[-1] == today}
