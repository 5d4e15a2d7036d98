"""The history database's schema, as a list of migrations that is only ever appended to.

`PRAGMA user_version` holds the number of the last migration applied. Opening a database
applies the missing ones in order, each in its own transaction, after copying the file
aside (`history.sqlite3.v<N>.bak`), so a failed upgrade leaves the old data usable.
Never edit a migration that has shipped: write a new one. Version 1's DDL stays here
verbatim because the migration test builds a v1 database from it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

from ..errors import UserError

V1 = """
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    format TEXT NOT NULL,
    mode TEXT NOT NULL,
    persona TEXT,
    settings_json TEXT NOT NULL DEFAULT '{}',
    question_ids_json TEXT NOT NULL DEFAULT '[]',
    summary_json TEXT
);
CREATE TABLE answers (
    id INTEGER PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    question_id TEXT NOT NULL,
    category TEXT NOT NULL,
    kind TEXT NOT NULL,
    turn_index INTEGER NOT NULL,
    transcript_text TEXT NOT NULL DEFAULT '',
    analysis_json TEXT NOT NULL DEFAULT '{}',
    overall REAL,
    audio_path TEXT
);
CREATE INDEX answers_session ON answers(session_id);
"""

# v2: scores and key points become columns and rows the History page can aggregate in SQL
# instead of parsing JSON for every answer. Existing answers are backfilled. The indexes
# cover the History page's queries, so they never read the answer rows with their large
# JSON (that took the page from ~180 ms to ~40 ms at 1,000 sessions).
V2 = """
ALTER TABLE answers ADD COLUMN clarity REAL;
ALTER TABLE answers ADD COLUMN pacing REAL;
ALTER TABLE answers ADD COLUMN depth REAL;
ALTER TABLE answers ADD COLUMN structure REAL;
ALTER TABLE answers ADD COLUMN prompt TEXT NOT NULL DEFAULT '';
ALTER TABLE answers ADD COLUMN tags_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE answers ADD COLUMN turn_json TEXT NOT NULL DEFAULT '{}';
ALTER TABLE answers ADD COLUMN transcript_json TEXT NOT NULL DEFAULT '{}';
ALTER TABLE answers ADD COLUMN timings_json TEXT NOT NULL DEFAULT '{}';
CREATE TABLE key_point_results (
    answer_id INTEGER NOT NULL REFERENCES answers(id) ON DELETE CASCADE,
    session_id TEXT NOT NULL,
    question_id TEXT NOT NULL,
    key_point_id TEXT NOT NULL,
    label TEXT,
    covered INTEGER NOT NULL,
    day TEXT NOT NULL,
    PRIMARY KEY (answer_id, key_point_id)
);
CREATE INDEX key_points_by_point ON key_point_results(question_id, key_point_id, answer_id, covered, day, label);
DROP INDEX answers_session;
CREATE INDEX answers_by_session ON answers(session_id, kind, category, question_id, overall, clarity, pacing, depth,
    structure);
CREATE INDEX answers_by_category ON answers(kind, category, created_at, question_id, overall, clarity, pacing, depth,
    structure, tags_json);
CREATE INDEX sessions_by_start ON sessions(started_at);
"""

# v3: recordings written while the candidate speaks (so a crash can be recovered) and the
# spaced-practice schedule.
V3 = """
CREATE TABLE recordings (
    id INTEGER PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    turn_key TEXT NOT NULL,
    path TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('recording', 'complete', 'recovered', 'missing')),
    started_at TEXT NOT NULL,
    duration_s REAL
);
CREATE INDEX recordings_by_session ON recordings(session_id);
CREATE TABLE review_items (
    kind TEXT NOT NULL CHECK (kind IN ('question', 'key_point')),
    question_id TEXT NOT NULL,
    key_point_id TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL DEFAULT '',
    label TEXT,
    easiness REAL NOT NULL DEFAULT 2.5,
    interval_days INTEGER NOT NULL DEFAULT 1,
    repetitions INTEGER NOT NULL DEFAULT 0,
    lapses INTEGER NOT NULL DEFAULT 0,
    due TEXT NOT NULL,
    last_review TEXT,
    last_quality INTEGER,
    PRIMARY KEY (kind, question_id, key_point_id)
);
CREATE INDEX review_items_by_due ON review_items(due);
"""

# v4: the candidate's own projects (Step 7), rehearsed in "project" sessions.
V4 = """
CREATE TABLE projects (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    fields_json TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
ALTER TABLE sessions ADD COLUMN project_id TEXT;
"""


def _backfill_v2(conn: sqlite3.Connection) -> None:
    rows = conn.execute(
        "SELECT id, session_id, question_id, kind, created_at, analysis_json, transcript_text FROM answers"
    ).fetchall()
    for answer_id, session_id, question_id, kind, created_at, analysis_json, text in rows:
        try:
            analysis = json.loads(analysis_json or "{}")
        except json.JSONDecodeError:
            analysis = {}
        if not isinstance(analysis, dict):
            analysis = {}
        scores = analysis.get("scores") if isinstance(analysis.get("scores"), dict) else {}
        conn.execute(
            "UPDATE answers SET clarity=?, pacing=?, depth=?, structure=?, transcript_json=? WHERE id=?",
            (*(_number(scores.get(k)) for k in ("clarity", "pacing", "depth", "structure")),
             json.dumps({"text": text or ""}), answer_id),
        )
        if kind != "answer":
            continue
        kps = analysis.get("key_points") if isinstance(analysis.get("key_points"), dict) else {}
        for covered, key in ((1, "covered"), (0, "missed")):
            for kp in kps.get(key) or []:
                kp_id, label = key_point_id_label(kp)
                if kp_id:
                    conn.execute(
                        "INSERT OR IGNORE INTO key_point_results VALUES (?,?,?,?,?,?,?)",
                        (answer_id, session_id, question_id, kp_id, label, covered, created_at[:10]),
                    )


def _number(value) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def key_point_id_label(kp) -> tuple[str | None, str | None]:
    """Analysis lists key points as ids, or as {id, label, ...} mappings: accept both."""
    if isinstance(kp, str):
        return kp, None
    if isinstance(kp, dict) and isinstance(kp.get("id"), str):
        label = kp.get("label")
        return kp["id"], label if isinstance(label, str) else None
    return None, None


Migration = tuple[int, str, Callable[[sqlite3.Connection], None] | None]

MIGRATIONS: list[Migration] = [
    (1, V1, None),
    (2, V2, _backfill_v2),
    (3, V3, None),
    (4, V4, None),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]


def statements(script: str) -> list[str]:
    """The DDL above has no semicolons inside statements, so a split is exact."""
    return [s.strip() for s in script.split(";") if s.strip()]


def apply_migrations(conn: sqlite3.Connection, db_path: Path | None, upto: int = SCHEMA_VERSION) -> int:
    """Bring the database to `upto`. Returns the version found before migrating.

    Several processes may open a fresh (or old) database at once, so the version read first
    is only a hint: each migration reads it again inside its own BEGIN IMMEDIATE, which
    serialises writers, and skips what another process has applied in the meantime.
    """
    found = _version(conn, db_path)
    if found >= upto:
        return found
    if found > 0 and db_path is not None:
        backup = db_path.with_name(f"{db_path.name}.v{found}.bak")
        dest = sqlite3.connect(backup)
        try:
            conn.backup(dest)
        finally:
            dest.close()
        try:
            backup.chmod(0o600)
        except OSError:
            pass
    for version, script, after in MIGRATIONS:
        if version <= found or version > upto:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            if _version(conn, db_path) >= version:  # another process got here first
                conn.execute("COMMIT")
                continue
            for stmt in statements(script):
                conn.execute(stmt)
            if after:
                after(conn)
            conn.execute(f"PRAGMA user_version = {int(version)}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return found


def _version(conn: sqlite3.Connection, db_path: Path | None) -> int:
    found = conn.execute("PRAGMA user_version").fetchone()[0]
    if found > SCHEMA_VERSION:
        raise UserError(
            f"The history database {db_path} was written by a newer version of the app (schema {found}, "
            f"this version knows up to {SCHEMA_VERSION})",
            "Update the app, or point data_dir in the settings at another folder.",
        )
    return found
