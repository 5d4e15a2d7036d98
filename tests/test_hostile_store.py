"""Hostile input, part 2: the history database and archives on bad days.

Concurrent first starts (real processes), kill -9 in the middle of an import, zip bombs
of many small members, a full disk and a read-only one (a tiny tmpfs or a read-only
bind mount in a private mount namespace, so no real disk is filled), garbage inside the
database, a history.sqlite3 cut to zero bytes, exports under umask 000.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest

from interviewer.errors import UserError
from interviewer.history import Store
from tests.hostile_support import child_env, in_namespace, namespace_available, run_python, wait_for, wav_bytes
from tests.test_store_helpers import Clock, record

needs_namespace = pytest.mark.skipif(not namespace_available(), reason="needs unshare and a private mount namespace")


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    from interviewer.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "Traceback" not in out, err
    return code, out, err


def populate(path: Path, n: int, audio_s: float = 0.05) -> list[str]:
    clock = Clock(date(2025, 1, 6))
    sids = []
    with Store.open(path, clock=clock, durability="off") as store:
        for i in range(n):
            sid = store.begin_session(format="mixed", settings={"keep_audio": True}, question_ids=["q-bias"])
            record(store, sid, "q-bias", overall=40 + i % 50, covered=["a"], missed=["b"], audio_s=audio_s)
            store.finish_session(sid, {"overall": 50})
            clock.advance(minutes=7)
            sids.append(sid)
    return sids


# -- 2. first start with two processes reports a damaged database ------------------------------

FIRST_START = r"""
import sys, time
from interviewer.history import Store
start = float(sys.argv[1])
while time.time() < start:
    pass
try:
    Store.open().close()
except Exception as exc:
    print(f"FAILED {exc}")
    sys.exit(1)
print("ok")
"""


def test_concurrent_first_start_in_separate_processes(tmp_path):
    failures = []
    for trial in range(5):
        home = tmp_path / f"home{trial}"
        start = time.time() + 1.5
        procs = [subprocess.Popen([sys.executable, "-c", FIRST_START, str(start)], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, env=child_env(home)) for _ in range(5)]
        for p in procs:
            out, err = p.communicate(timeout=60)
            if p.returncode != 0:
                failures.append(f"trial {trial}: {out.strip()} {err.strip()[-300:]}")
        with Store.open(home / "data" / "history.sqlite3") as store:
            assert store.schema_version == 4 and store.sessions() == []
    assert not failures, "\n".join(failures)


def test_concurrent_history_commands_on_a_fresh_data_dir(tmp_path):
    """The issue's own reproduction: `for i in 1 2 3 4; do interviewer history & done`."""
    home = tmp_path / "fresh"
    procs = [subprocess.Popen([sys.executable, "-m", "interviewer", "history"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=child_env(home)) for _ in range(4)]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        assert "No sessions yet" in out and "damaged" not in err


def test_migration_rechecks_the_version_inside_its_transaction(tmp_path):
    """The race, step by step: B reads version 0, A migrates, then B takes the lock."""
    from interviewer.history.schema import SCHEMA_VERSION, apply_migrations

    path = tmp_path / "race.sqlite3"
    a = sqlite3.connect(path, isolation_level=None)
    b = sqlite3.connect(path, isolation_level=None)
    a.execute("PRAGMA journal_mode = WAL")  # as Store.open sets it: B's pending read does not block A

    class Racing:
        raced = False

        def __getattr__(self, name):
            return getattr(b, name)

        def execute(self, sql, *args):
            cursor = b.execute(sql, *args)
            if "user_version" in sql and not Racing.raced:
                Racing.raced = True
                apply_migrations(a, path)  # A wins the race right after B has read the version
            return cursor

    apply_migrations(Racing(), path)
    assert Racing.raced
    assert b.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert b.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == 0


def test_an_immediate_busy_on_a_fresh_file_is_waited_out(tmp_path, monkeypatch):
    """On a fresh file (rollback-journal mode until one process switches it to WAL), two
    openers that both hold a shared lock and want the exclusive one deadlock, and SQLite
    answers one SQLITE_BUSY at once, without the busy timeout (shown here with two
    connections). The loser must back off and try again, not report a busy database."""
    import threading

    path = tmp_path / "deadlock.sqlite3"
    path.write_bytes(b"")
    a = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10)
    b = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10)
    b.execute("BEGIN")
    b.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # B holds SHARED
    switch = threading.Thread(target=lambda: a.execute("PRAGMA journal_mode = WAL").fetchone())
    switch.start()  # A takes PENDING and waits for B's SHARED
    time.sleep(0.3)
    t0 = time.monotonic()
    with pytest.raises(sqlite3.OperationalError) as busy:
        b.execute("CREATE TABLE t (x)")  # B wants to write too: deadlock
    assert busy.value.sqlite_errorname == "SQLITE_BUSY" and time.monotonic() - t0 < 1.0
    b.execute("ROLLBACK")
    switch.join()

    import interviewer.history.db as db

    real = db.apply_migrations
    calls = []

    def busy_once(conn, db_path, *args):
        calls.append(1)
        if len(calls) == 1:
            raise busy.value
        return real(conn, db_path, *args)

    monkeypatch.setattr(db, "apply_migrations", busy_once)
    with Store.open(tmp_path / "h" / "history.sqlite3") as store:
        assert store.schema_version == 4 and len(calls) == 2


def test_a_really_damaged_database_is_called_damaged_and_the_advice_keeps_the_history(capsys):
    from interviewer.paths import data_dir

    populate(data_dir() / "history.sqlite3", 2)
    backup = data_dir() / "history.sqlite3.v3.bak"
    backup.write_bytes(b"")
    (data_dir() / "history.sqlite3").write_bytes(b"this is not a database at all" * 200)
    code, _, err = cli(capsys, "history")
    assert code == 1 and "damaged" in err
    assert "starts a new history" not in err
    assert "v3.bak" in err and "audio" in err


def test_busy_database_is_called_busy(monkeypatch, tmp_path):
    from interviewer.history.db import db_error

    exc = sqlite3.OperationalError("database is locked")
    exc.sqlite_errorcode, exc.sqlite_errorname = 5, "SQLITE_BUSY"
    err = db_error(exc, tmp_path / "history.sqlite3")
    assert "busy" in err.problem and "damaged" not in err.problem and "another" in err.problem


@needs_namespace
def test_read_only_data_dir_reads_history_and_names_the_cause_for_writes(tmp_path):
    home = tmp_path / "home"
    populate(home / "data" / "history.sqlite3", 2)
    out = tmp_path / "out"
    out.mkdir()
    script = f"""
        mount --bind {home} {home}
        mount -o remount,bind,ro {home}
        set +e
        {sys.executable} -m interviewer history --json > {out}/list.json 2> {out}/list.err; echo $? > {out}/list.rc
        {sys.executable} -m interviewer history show $(cat {out}/sid) > {out}/show.out 2> {out}/show.err; echo $? > {out}/show.rc
        {sys.executable} -m interviewer history delete $(cat {out}/sid) --yes > /dev/null 2> {out}/delete.err; echo $? > {out}/delete.rc
    """
    with Store.open(home / "data" / "history.sqlite3") as store:
        (out / "sid").write_text(store.sessions()[0]["id"])
    proc = in_namespace(f"export INTERVIEWER_HOME={home}\n" + script)
    assert proc.returncode == 0, proc.stderr
    assert (out / "list.rc").read_text().strip() == "0", (out / "list.err").read_text()
    assert json.loads((out / "list.json").read_text())["total"] == 2
    assert (out / "show.rc").read_text().strip() == "0", (out / "show.err").read_text()
    delete_err = (out / "delete.err").read_text()
    assert (out / "delete.rc").read_text().strip() == "1"
    assert "read-only" in delete_err and "damaged" not in delete_err and "Traceback" not in delete_err
    for name in ("list.err", "show.err"):
        assert "Traceback" not in (out / name).read_text()


@needs_namespace
def test_fresh_read_only_data_dir_names_the_cause(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    proc = in_namespace(f"""
        export INTERVIEWER_HOME={home}
        mount --bind {home} {home}
        mount -o remount,bind,ro {home}
        set +e
        {sys.executable} -m interviewer history; echo "rc=$?"
    """)
    assert "rc=1" in proc.stdout, proc.stdout + proc.stderr
    assert "read-only" in proc.stderr and "damaged" not in proc.stderr and "Traceback" not in proc.stderr


# -- 3. history import is not crash-safe -------------------------------------------------------

@pytest.fixture
def big_archive(tmp_path) -> tuple[Path, list[str]]:
    sids = populate(tmp_path / "source" / "history.sqlite3", 60)
    with Store.open(tmp_path / "source" / "history.sqlite3") as store:
        return store.export_all(tmp_path / "all.zip"), sids


IMPORT_PAUSED_AT = r"""
import sys, time
import interviewer.history.schedule as schedule
import interviewer.history.archive as archive
marker, where = sys.argv[3], sys.argv[4]

def pause(*a):
    open(marker, "w").close()
    time.sleep(300)

if where == "in-transaction":  # the last step before COMMIT: every file already moved
    real = schedule.rebuild_schedule
    def rebuild(conn):
        real(conn)
        pause()
    schedule.rebuild_schedule = rebuild
else:  # after COMMIT, while the staging folder is removed
    archive._Staged.cleanup = lambda self: pause()
from interviewer.history import Store
with Store.open(sys.argv[1]) as store:
    store.import_archive(sys.argv[2])
"""


def _kill_during_import(db: Path, archive: Path, marker: Path, where: str) -> None:
    proc = subprocess.Popen([sys.executable, "-c", IMPORT_PAUSED_AT, str(db), str(archive), str(marker), where],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=child_env(db.parent))
    wait_for(marker, proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)


def _orphans(store: Store) -> list[str]:
    rows = {s["id"] for s in store.sessions(limit=None)}
    return [d.name for d in store.audio_dir.iterdir() if d.is_dir() and d.name not in rows]


def test_kill_9_inside_the_import_transaction_leaves_nothing_behind(tmp_path, big_archive):
    archive, sids = big_archive
    db = tmp_path / "target" / "history.sqlite3"
    populate(db, 1)
    _kill_during_import(db, archive, tmp_path / "paused", "in-transaction")
    with Store.open(db) as store:
        assert not list(store.root.glob(".import-*")), "the staging folder was left behind"
        assert _orphans(store) == [], "audio folders with no session rows"
        assert len(store.sessions(limit=None)) == 1
        result = store.import_archive(archive)
        assert sorted(result["imported"]) == sorted(sids)
        assert _orphans(store) == []


def test_kill_9_after_the_commit_is_finished_on_the_next_open(tmp_path, big_archive):
    archive, sids = big_archive
    db = tmp_path / "target" / "history.sqlite3"
    _kill_during_import(db, archive, tmp_path / "paused", "after-commit")
    with Store.open(db) as store:
        assert not list(store.root.glob(".import-*"))
        assert sorted(s["id"] for s in store.sessions(limit=None)) == sorted(sids)
        for sid in sids[:5]:
            assert all(t["audio_exists"] for t in store.session(sid)["turns"])
        assert store.import_archive(archive)["skipped"] == sorted(sids) or \
            sorted(store.import_archive(archive)["skipped"]) == sorted(sids)


def test_recovery_leaves_an_import_running_in_another_process_alone(tmp_path, big_archive):
    archive, sids = big_archive
    db = tmp_path / "target" / "history.sqlite3"
    marker = tmp_path / "paused"
    proc = subprocess.Popen([sys.executable, "-c", IMPORT_PAUSED_AT, str(db), str(archive), str(marker),
                             "after-commit"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=child_env(db.parent))
    try:
        wait_for(marker, proc)
        with Store.open(db) as store:  # a second window opens the history meanwhile
            assert list(store.root.glob(".import-*")), "a live import's staging folder was removed"
    finally:
        proc.kill()
        proc.wait()
    with Store.open(db) as store:
        assert not list(store.root.glob(".import-*"))


def test_leftovers_of_an_old_interrupted_import_do_not_block_a_new_one(tmp_path, big_archive):
    """Audio folders with no rows, identical to the archive's files (what the old import left
    after a kill -9), must not make every later import fail."""
    archive, sids = big_archive
    db = tmp_path / "target" / "history.sqlite3"
    with Store.open(db) as store:
        store.import_archive(archive)
        store.conn.execute("DELETE FROM sessions")
        assert len(_orphans(store)) == 60
        result = store.import_archive(archive)
        assert sorted(result["imported"]) == sorted(sids)


def test_an_audio_folder_with_different_content_still_blocks_the_import(tmp_path, big_archive):
    archive, sids = big_archive
    db = tmp_path / "target" / "history.sqlite3"
    with Store.open(db) as store:
        folder = store.audio_dir / sids[0]
        folder.mkdir()
        (folder / "mine.wav").write_bytes(wav_bytes(16000, bytes(100)))
        with pytest.raises(UserError, match="already has audio"):
            store.import_archive(archive)
        assert (folder / "mine.wav").exists()


# -- 4. the zip-bomb guard can be bypassed -----------------------------------------------------

def bomb(path: Path, n_members: int, member_bytes: int, sessions: int = 1) -> Path:
    """A well-formed archive (manifest, checksums, valid session documents, real WAV
    headers) whose recordings are silence that deflates about a thousandfold."""
    wav = wav_bytes(16000, bytes(member_bytes - 44))
    digest = hashlib.sha256(wav).hexdigest()
    manifest = {"format": "interviewer-history", "version": 1, "created_at": "2025-01-01T00:00:00",
                "sessions": [], "files": {}}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        per = n_members // sessions
        for s in range(sessions):
            sid = f"20250101-000000-{s:06x}"
            manifest["sessions"].append(sid)
            refs = [f"audio/r{i:05d}.wav" for i in range(per)]
            doc = {"format": "interviewer-session", "version": 1,
                   "session": {"id": sid, "started_at": "2025-01-01T00:00:00", "finished_at": None,
                               "format": "mixed", "mode": "study", "persona": None, "settings": {},
                               "question_ids": [], "summary": None},
                   "answers": [], "recordings": [{"turn_key": f"t{i}", "audio": r, "status": "complete",
                                                  "started_at": "2025-01-01T00:00:00", "duration_s": 1.0}
                                                 for i, r in enumerate(refs)]}
            data = json.dumps(doc).encode()
            name = f"sessions/{sid}/session.json"
            zf.writestr(name, data)
            manifest["files"][name] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for r in refs:
                name = f"sessions/{sid}/{r}"
                zf.writestr(name, wav)
                manifest["files"][name] = {"size": len(wav), "sha256": digest}
        zf.writestr("manifest.json", json.dumps(manifest))
    return path


@pytest.mark.parametrize("n, size", [(400, 100_000), (800, 60_000)], ids=["members-over-64k", "members-under-64k"])
def test_bomb_of_many_small_members_is_refused(tmp_path, n, size):
    path = bomb(tmp_path / "bomb.zip", n, size)
    assert path.stat().st_size < 2_000_000 and n * size >= 40_000_000
    with Store.open(tmp_path / "t" / "history.sqlite3") as store:
        with pytest.raises(UserError) as err:
            store.import_archive(path)
        assert "Nothing was changed" in str(err.value)
        assert store.sessions() == [] and not any(store.audio_dir.iterdir())
        assert not list(store.root.glob(".import-*"))


def test_archive_bigger_than_the_free_space_is_refused_before_extracting(tmp_path, monkeypatch, big_archive):
    import shutil

    import interviewer.history.archive as archive_mod

    archive, _ = big_archive
    real = shutil.disk_usage
    monkeypatch.setattr(archive_mod.shutil, "disk_usage",
                        lambda p: real(p)._replace(free=1_000_000))
    with Store.open(tmp_path / "t" / "history.sqlite3") as store:
        with pytest.raises(UserError, match="free") as err:
            store.import_archive(archive)
        assert "Nothing was changed" in str(err.value)
        assert store.sessions() == []


def test_archive_with_too_many_files_for_one_session_is_refused(tmp_path):
    path = bomb(tmp_path / "many.zip", 2_001, 100)
    with Store.open(tmp_path / "t" / "history.sqlite3") as store:
        with pytest.raises(UserError, match="files") as err:
            store.import_archive(path)
        assert "Nothing was changed" in str(err.value)
        assert store.sessions() == []


def test_a_normal_archive_still_imports(tmp_path, big_archive):
    archive, sids = big_archive
    with Store.open(tmp_path / "t" / "history.sqlite3") as store:
        assert sorted(store.import_archive(archive)["imported"]) == sorted(sids)


# -- 6. reading must work on a full disk -------------------------------------------------------

CRASHED_SESSION = r"""
import os, numpy as np
from interviewer.history import Store
store = Store.open()
sid = store.begin_session(format="mixed", settings={"keep_audio": True}, question_ids=["q"])
w = store.audio_writer(sid, "turn001-answer-q")
w.write(np.full(16000, 0.1, np.float32))
w.sync()
print(sid)
os._exit(0)  # a crash: the recording stays in the 'recording' state, its .part on disk
"""

FINISHED_SESSION = r"""
from interviewer.history import Store
with Store.open() as s:
    s.finish_session(s.begin_session(format="mixed", settings={}), {})
"""

FILL_THE_DISK = r"""
import sys
with open(sys.argv[1], "wb", buffering=0) as f:
    for block in (65536, 512, 1):
        try:
            while True:
                f.write(bytes(block))
        except OSError:
            pass
"""


@needs_namespace
def test_history_reads_on_a_full_disk_and_recovers_once_there_is_room(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    for name, code in (("finished.py", FINISHED_SESSION), ("crashed.py", CRASHED_SESSION), ("fill.py", FILL_THE_DISK)):
        (out / name).write_text(code)
    py = sys.executable
    proc = in_namespace(f"""
        export INTERVIEWER_HOME={home}
        mount -t tmpfs -o size=3m tmpfs {home}
        {py} {out}/finished.py
        {py} {out}/crashed.py > {out}/sid
        {py} {out}/fill.py {home}/fill
        set +e
        {py} -m interviewer history --json > {out}/list.json 2> {out}/list.err; echo $? > {out}/list.rc
        {py} -m interviewer history show $(cat {out}/sid) > {out}/show.out 2> {out}/show.err; echo $? > {out}/show.rc
        rm -f {home}/fill
        {py} -m interviewer history show $(cat {out}/sid) --json > {out}/after.json 2> {out}/after.err; echo $? > {out}/after.rc
    """)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for name in ("list", "show", "after"):
        err = (out / f"{name}.err").read_text()
        assert (out / f"{name}.rc").read_text().strip() == "0", f"{name}: {err}"
        assert "Traceback" not in err and "Logging error" not in err, err
    assert json.loads((out / "list.json").read_text())["total"] == 2
    after = json.loads((out / "after.json").read_text())
    assert [r["status"] for r in after["recordings"]] == ["recovered"]
    assert abs(after["recordings"][0]["duration_s"] - 1.0) < 0.01


# -- 8. garbage inside the database ------------------------------------------------------------

def _corrupt_pages(db: Path) -> None:
    data = bytearray(db.read_bytes())
    rng = random.Random(7)
    page = 4096
    for p in range(2, len(data) // page):
        if p % 2 == 0:
            data[p * page:(p + 1) * page] = bytes(rng.randrange(256) for _ in range(page))
    db.write_bytes(bytes(data))


def test_corrupted_pages_are_a_message_not_a_traceback(capsys):
    from interviewer.paths import data_dir

    db = data_dir() / "history.sqlite3"
    sids = populate(db, 40)
    _corrupt_pages(db)
    for argv in (["history"], ["history", "show", sids[3]], ["history", "progress"], ["history", "due"],
                 ["history", "plan"]):
        code, _, err = cli(capsys, *argv)
        if code:
            assert code == 1 and "Fix:" in err and "unexpected" not in err, (argv, err)
            assert "damaged" in err


def test_garbage_values_in_the_rows_do_not_hide_the_history(capsys):
    from interviewer.paths import data_dir

    db = data_dir() / "history.sqlite3"
    sids = populate(db, 3)
    conn = sqlite3.connect(db)
    conn.executescript("""
        UPDATE answers SET analysis_json = '[1, 2]', turn_json = '"x"', transcript_json = 'nope',
            timings_json = '5', tags_json = '{"a": 1}', category = X'ff00';
        UPDATE sessions SET settings_json = '[]', question_ids_json = '{"a": 1}', summary_json = '"s"';
        UPDATE sessions SET started_at = X'00ff', format = 7 WHERE rowid = 1;
        UPDATE answers SET created_at = 'garbage', transcript_text = CAST(X'80ff' AS TEXT) WHERE id = 1;
        UPDATE recordings SET duration_s = 'long', turn_key = X'00';
        UPDATE review_items SET due = 'tomorrow-ish', easiness = 'high';
        INSERT INTO key_point_results VALUES (1, 'x', 'q', 'k', X'00', 'maybe', 'someday');
    """)
    conn.commit()
    conn.close()
    for argv in (["history"], ["history", "--json"], ["history", "show", sids[1]], ["history", "show", sids[0]],
                 ["history", "progress"], ["history", "due"], ["history", "plan"],
                 ["history", "export-all", str(data_dir() / "x.zip")]):
        code, out, err = cli(capsys, *argv)
        assert code == 0, (argv, err)  # the history is still readable: garbage reads as "missing"


# -- 9. smaller ------------------------------------------------------------------------------

def test_export_folder_is_private_whatever_the_umask(tmp_path):
    sids = populate(tmp_path / "h" / "history.sqlite3", 1)
    old = os.umask(0)
    try:
        with Store.open(tmp_path / "h" / "history.sqlite3") as store:
            folder = store.export_session(sids[0], tmp_path / "out" / "deep")
    finally:
        os.umask(old)
    assert folder.stat().st_mode & 0o777 == 0o700
    for p in folder.rglob("*"):
        assert p.stat().st_mode & 0o777 == (0o700 if p.is_dir() else 0o600), p


def test_zero_byte_database_with_recordings_beside_it_is_not_a_new_history(tmp_path):
    db = tmp_path / "h" / "history.sqlite3"
    populate(db, 2)
    db.write_bytes(b"")
    with pytest.raises(UserError) as err:
        Store.open(db)
    assert "0 bytes" in err.value.problem and "2" in err.value.problem
    assert db.stat().st_size == 0, "the empty file was turned into a new history"
    assert len(list((db.parent / "audio").iterdir())) == 2


def test_zero_byte_database_with_nothing_beside_it_is_a_fresh_start(tmp_path):
    db = tmp_path / "h" / "history.sqlite3"
    db.parent.mkdir()
    db.write_bytes(b"")
    with Store.open(db) as store:
        assert store.sessions() == []
