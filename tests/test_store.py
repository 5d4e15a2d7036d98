"""The history store on real SQLite and real files: sessions, audio, migrations, delete,
progress, crash recovery (with a process killed by SIGKILL) and the history command."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time
import wave
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from interviewer.errors import UserError
from interviewer.history import SCHEMA_VERSION, Store
from interviewer.history.schema import V1
from tests.test_store_helpers import QUESTIONS, Clock, analysis, expected_pcm, record, tone, turn

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def store(clock):
    s = Store.open(clock=clock)
    yield s
    s.close()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


# -- basics ---------------------------------------------------------------------------------


@pytest.mark.skipif(os.name == "nt", reason="POSIX modes")
def test_data_dir_and_files_are_private(isolated_home):
    store = Store.open()
    data = isolated_home / "data"
    assert store.path == data / "history.sqlite3"
    assert _mode(data) == 0o700
    assert _mode(store.audio_dir) == 0o700
    assert _mode(store.path) == 0o600
    sid = store.begin_session(format="mixed", settings={"keep_audio": True})
    w = store.audio_writer(sid, "q1")
    w.write(tone(0.2))
    path = w.close()
    assert _mode(path.parent) == 0o700 and _mode(path) == 0o600
    store.close()
    assert store.conn is not None


def test_settings_data_dir_is_respected(tmp_path):
    from interviewer.config import Settings

    custom = tmp_path / "elsewhere"
    with Store.open(settings=Settings(data_dir=str(custom), keep_audio=False)) as store:
        assert store.path == custom / "history.sqlite3"
        assert store.keep_audio is False
    if os.name != "nt":
        assert _mode(custom) == 0o700
        chosen = tmp_path / "Documents"  # an existing folder the user picked keeps its mode
        chosen.mkdir(mode=0o755)
        chosen.chmod(0o755)
        with Store.open(settings=Settings(data_dir=str(chosen))) as store:
            assert _mode(chosen) == 0o755 and _mode(store.path) == 0o600 and _mode(store.audio_dir) == 0o700


def test_session_round_trip_and_queries(store, clock):
    sid = store.begin_session(format="mixed", mode="study", persona="friendly",
                              settings={"keep_audio": True, "patience_s": 2.5}, question_ids=["q-bias", "q-design"])
    assert isinstance(sid, str)
    record(store, sid, "q-bias", overall=80, covered=["k1", "k2"], missed=[], audio_s=0.5)
    clock.advance(minutes=2)
    record(store, sid, "q-bias", overall=40, covered=[], missed=["k3"], kind="follow_up", targets="k3")
    clock.advance(minutes=2)
    record(store, sid, "q-design", overall=60, covered=["d1"], missed=["d2"], index=1)
    store.finish_session(sid, {"overall": 70, "notes": ["good"]})

    clock.advance(days=3)
    other = store.begin_session(format="behavioral", mode="real", settings={}, question_ids=["q-star"])
    record(store, other, "q-star", overall=30, covered=[], missed=["s1"])

    rows = store.sessions()
    assert [r["id"] for r in rows] == [other, sid]  # newest first
    first = rows[1]
    assert first["status"] == "finished" and first["format"] == "mixed" and first["persona"] == "friendly"
    assert first["questions_planned"] == 2 and first["questions_answered"] == 2
    assert first["answers"] == 2  # main answers; the follow-up is not averaged in
    assert first["scores"]["overall"] == 70.0 and first["scores"]["clarity"] == 70.0
    assert first["categories"] == ["fundamentals", "system_design"]
    assert rows[0]["status"] == "incomplete"

    assert [r["id"] for r in store.sessions(search="feed ranking")] == [sid]
    assert [r["id"] for r in store.sessions(search="behavioral")] == [other]
    assert store.sessions(search="100%_") == []  # LIKE wildcards are escaped
    assert [r["id"] for r in store.sessions(category="behavioral")] == [other]
    assert [r["id"] for r in store.sessions(since=clock.now.date())] == [other]
    assert [r["id"] for r in store.sessions(status="finished")] == [sid]
    assert [r["id"] for r in store.sessions(limit=1, offset=1)] == [sid]
    assert store.count_sessions() == 2 and store.count_sessions(mode="real") == 1

    report = store.session(sid)
    assert report["summary"] == {"overall": 70, "notes": ["good"]}
    assert report["settings"]["patience_s"] == 2.5
    kinds = [a["turn"]["kind"] for a in report["turns"]]
    assert kinds == ["answer", "follow_up", "answer"]
    main = report["turns"][0]
    assert main["question"] == QUESTIONS["q-bias"]
    assert main["analysis"]["key_points"]["covered"] == ["k1", "k2"]
    assert main["transcript"]["text"].startswith("my answer")
    assert main["timings"] == {"answer_s": 42.0}
    assert main["audio_exists"] and Path(main["audio_path"]).is_absolute()
    with wave.open(main["audio_path"]) as wf:
        assert wf.getnframes() == 8000 and wf.getframerate() == 16000
    assert report["turns"][1]["turn"]["targets"] == "k3"
    assert report["recordings"][0]["status"] == "complete"
    assert report["partial_recordings"] == []
    with pytest.raises(UserError, match="No session"):
        store.session("nope")


def test_answer_is_committed_before_record_answer_returns(store):
    sid = store.begin_session(format="mixed", settings={})
    record(store, sid)
    other = sqlite3.connect(store.path)  # a separate connection sees it at once
    assert other.execute("SELECT COUNT(*) FROM answers WHERE session_id = ?", (sid,)).fetchone()[0] == 1
    other.close()


def test_record_answer_accepts_model_objects(store):
    from interviewer.content.bank import parse_question
    from interviewer.transcript import Transcript, Word

    q = parse_question({"id": "q-obj", "category": "fundamentals", "prompt": "What is regularization, and why?",
                        "key_points": [{"id": "k1", "label": "penalty", "cues": ["penalty"]}]}, "test")
    sid = store.begin_session(format="mixed", settings={})
    store.record_answer(sid, q, {"kind": "answer", "index": 0}, Transcript([Word("penalty", 0, 0.4)], 0.4),
                        analysis(55, [], ["k1"]), None, {})
    detail = store.session(sid)["turns"][0]
    assert detail["transcript"]["text"] == "penalty"
    assert detail["question"]["id"] == "q-obj"


def test_bad_calls_are_rejected(store):
    with pytest.raises(ValueError):
        store.begin_session(format="mixed", mode="practice")
    sid = store.begin_session(format="mixed", settings={})
    with pytest.raises(ValueError):
        store.record_answer(sid, QUESTIONS["q-bias"], {"kind": "monologue"}, {}, {}, None, {})
    with pytest.raises(UserError):
        store.record_answer("missing", QUESTIONS["q-bias"], turn(), {}, analysis(50), None, {})


# -- audio ----------------------------------------------------------------------------------


def test_keep_audio_false_keeps_no_audio(tmp_path):
    outside = tmp_path / "engine-temp.wav"
    from interviewer.audio.io import write_wav

    write_wav(outside, tone(0.3))
    for opener in (lambda: Store.open(keep_audio=False), lambda: Store.open()):
        with opener() as store:
            sid = store.begin_session(format="mixed", settings={"keep_audio": False})
            writer = store.audio_writer(sid, "q1")
            writer.write(tone(1.0))
            assert writer.close() is None
            store.record_answer(sid, QUESTIONS["q-bias"], turn(), {"text": "x"}, analysis(50), outside, {})
            assert store.session(sid)["turns"][0]["audio_path"] is None
            assert _files(store.audio_dir) == []
            assert store.session(sid)["recordings"] == []
    assert outside.exists()  # the store never deletes a file it does not own


def test_audio_recorded_elsewhere_is_copied_in(store, tmp_path):
    from interviewer.audio.io import write_wav

    outside = write_wav(tmp_path / "take.wav", tone(0.25))
    sid = store.begin_session(format="mixed", settings={})
    store.record_answer(sid, QUESTIONS["q-bias"], turn(), {"text": "x"}, analysis(50), outside, {})
    stored = Path(store.session(sid)["turns"][0]["audio_path"])
    assert stored.parent == store.audio_dir / sid and stored.read_bytes() == outside.read_bytes()


def test_audio_writer_file_is_a_valid_wav_while_recording(store):
    from interviewer.history import recording

    sid = store.begin_session(format="mixed", settings={})
    writer = store.audio_writer(sid, "q/../../weird name")  # sanitized
    assert writer.part_path.parent == store.audio_dir / sid
    writer.write(tone(0.5))
    writer.sync()
    with wave.open(str(writer.part_path)) as wf:  # readable mid-recording
        assert wf.getnframes() == 8000
    writer.write(tone(0.25, 8000).tolist())  # plain sequences work too
    path = writer.close()
    assert path.name.endswith(".wav") and not writer.part_path.exists()
    with wave.open(str(path)) as wf:
        frames = np.frombuffer(wf.readframes(wf.getnframes()), "<i2")
    assert np.array_equal(frames, expected_pcm(12000))
    assert recording.wav_duration(path) == pytest.approx(0.75)
    second = store.audio_writer(sid, "q/../../weird name")
    assert second.path != path  # never overwrites a take
    second.write(tone(0.1))
    second.discard()
    assert not second.part_path.exists() and not second.path.exists()
    assert [r["path"] for r in store.session(sid)["recordings"]] == [str(path)]


def test_live_recording_is_left_alone_by_another_store(store):
    sid = store.begin_session(format="mixed", settings={})
    writer = store.audio_writer(sid, "q1")
    writer.write(tone(0.3))
    with Store.open() as second:  # e.g. `interviewer history` while the app records
        assert second.recovered == []
        assert writer.part_path.exists()
        assert sid not in [s["id"] for s in second.incomplete_sessions()]
        assert sid in [s["id"] for s in second.incomplete_sessions(include_live=True)]
        with pytest.raises(UserError, match="another window"):
            second.delete_session(sid)
    writer.write(tone(0.3, 4800))
    assert writer.close().exists()


# -- delete ---------------------------------------------------------------------------------


def test_delete_removes_rows_and_audio_files(store, clock):
    keep = store.begin_session(format="mixed", settings={})
    record(store, keep, "q-design", audio_s=0.2)
    store.finish_session(keep, {})
    sid = store.begin_session(format="mixed", settings={})
    record(store, sid, "q-bias", overall=20, missed=["k9"], audio_s=0.3)
    record(store, sid, "q-bias", kind="follow_up", targets="k9", audio_s=0.2)
    stray = store.audio_writer(sid, "cut-off")  # a recording with no answer row
    stray.write(tone(0.1))
    stray.close()
    store.finish_session(sid, {})
    files = _files(store.audio_dir / sid)
    assert len(files) == 3
    assert store.conn.execute("SELECT COUNT(*) FROM review_items WHERE question_id = 'q-bias'").fetchone()[0] > 0

    result = store.delete_session(sid)
    assert result["answers"] == 2 and result["files_removed"] == 3 and result["files_failed"] == []
    assert not (store.audio_dir / sid).exists()
    assert all(not f.exists() for f in files)
    for table, col in (("sessions", "id"), ("answers", "session_id"), ("recordings", "session_id"),
                       ("key_point_results", "session_id")):
        assert store.conn.execute(f"SELECT COUNT(*) FROM {table} WHERE {col} = ?", (sid,)).fetchone()[0] == 0
    # its influence on the practice schedule goes too; the other session is untouched
    assert store.conn.execute("SELECT COUNT(*) FROM review_items WHERE question_id = 'q-bias'").fetchone()[0] == 0
    assert [s["id"] for s in store.sessions()] == [keep]
    assert len(_files(store.audio_dir / keep)) == 1
    with pytest.raises(UserError):
        store.delete_session(sid)


# -- migrations -----------------------------------------------------------------------------


def _make_v1_db(path: Path) -> None:
    conn = sqlite3.connect(path)
    for stmt in V1.split(";"):
        if stmt.strip():
            conn.execute(stmt)
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO sessions VALUES ('20240105-100000-aaaaaa', '2024-01-05T10:00:00+01:00', "
                 "'2024-01-05T10:20:00+01:00', 'mixed', 'study', NULL, '{}', '[\"q-bias\", \"q-design\"]', "
                 "'{\"overall\": 55}')")
    conn.execute("INSERT INTO sessions VALUES ('20240107-100000-bbbbbb', '2024-01-07T10:00:00+01:00', NULL, "
                 "'behavioral', 'real', 'tough', '{}', '[\"q-star\"]', NULL)")
    a1 = analysis(70, ["k1"], ["k2", "k3"])
    a2 = analysis(40, [{"id": "d1", "label": "Scale"}], [{"id": "d2", "label": "Latency budget"}])
    rows = [
        ("20240105-100000-aaaaaa", "2024-01-05T10:05:00+01:00", "q-bias", "fundamentals", "answer", 0,
         "bias and variance", json.dumps(a1), 70.0, "audio/20240105-100000-aaaaaa/q1.wav"),
        ("20240105-100000-aaaaaa", "2024-01-05T10:07:00+01:00", "q-bias", "fundamentals", "follow_up", 0,
         "more", json.dumps(analysis(50, ["k2"], ["k3"])), 50.0, None),
        ("20240105-100000-aaaaaa", "2024-01-05T10:15:00+01:00", "q-design", "system_design", "answer", 1,
         "a ranking system", json.dumps(a2), 40.0, None),
        ("20240107-100000-bbbbbb", "2024-01-07T10:05:00+01:00", "q-star", "behavioral", "answer", 0,
         "a conflict", "not json at all", None, None),
    ]
    conn.executemany("INSERT INTO answers (session_id, created_at, question_id, category, kind, turn_index, "
                     "transcript_text, analysis_json, overall, audio_path) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
    conn.commit()
    conn.close()


def test_migration_from_v1_keeps_data_and_backfills(isolated_home):
    db = isolated_home / "data" / "history.sqlite3"
    db.parent.mkdir(parents=True)
    _make_v1_db(db)

    store = Store.open(db, clock=Clock(date(2024, 1, 8)))
    assert store.schema_version == SCHEMA_VERSION == 4
    assert sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert (db.parent / "history.sqlite3.v1.bak").exists()  # the pre-migration copy
    assert sqlite3.connect(db.parent / "history.sqlite3.v1.bak").execute("PRAGMA user_version").fetchone()[0] == 1

    rows = store.sessions()
    assert [r["id"] for r in rows] == ["20240107-100000-bbbbbb", "20240105-100000-aaaaaa"]
    old = store.session("20240105-100000-aaaaaa")
    assert old["summary"] == {"overall": 55} and old["scores"]["overall"] == 55.0
    assert [a["transcript"]["text"] for a in old["turns"]] == ["bias and variance", "more",
                                                                         "a ranking system"]
    assert old["turns"][0]["scores"]["clarity"] == 70.0  # backfilled from the JSON
    assert old["turns"][0]["audio_path"] == str(db.parent / "audio/20240105-100000-aaaaaa/q1.wav")
    kp = {(k["question_id"], k["key_point_id"]): k for k in store.progress()["key_points"]}
    assert set(kp) == {("q-bias", "k1"), ("q-bias", "k2"), ("q-bias", "k3"), ("q-design", "d1"), ("q-design", "d2")}
    assert kp[("q-design", "d2")]["label"] == "Latency budget" and kp[("q-bias", "k1")]["covered"] == 1
    broken = store.session("20240107-100000-bbbbbb")
    assert broken["status"] == "incomplete" and broken["turns"][0]["analysis"] == {}
    # the new tables work on the migrated file
    sid = store.begin_session(format="mixed", settings={})
    record(store, sid, audio_s=0.1)
    store.close()
    assert Store.open(db).schema_version == SCHEMA_VERSION  # reopening is a no-op


def test_newer_schema_is_refused(isolated_home):
    db = isolated_home / "h.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(UserError, match="newer version"):
        Store.open(db)


def test_damaged_database_is_a_user_error(isolated_home):
    db = isolated_home / "h.sqlite3"
    db.write_bytes(b"this is not a database" * 100)
    with pytest.raises(UserError, match="damaged"):
        Store.open(db)


# -- crash recovery -------------------------------------------------------------------------

CHILD = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, sys.argv[2])
    from tests.test_store_helpers import QUESTIONS, analysis, tone, turn
    from interviewer.history import Store

    store = Store.open(sys.argv[1])
    sid = store.begin_session(format="mixed", mode="real", settings={"keep_audio": True},
                              question_ids=["q-bias", "q-design", "q-star"])
    w = store.audio_writer(sid, "q-bias")
    w.write(tone(1.0))
    first = w.close()
    store.record_answer(sid, QUESTIONS["q-bias"], turn(), {"text": "the first answer"},
                        analysis(75, ["k1"], ["k2"]), first, {"answer_s": 1.0})
    w = store.audio_writer(sid, "q-design")
    print("SID", sid, flush=True)
    n = 0
    while True:  # real time: 0.1 s chunks every 0.1 s, as from a microphone
        w.write(tone(0.1, n * 1600))
        n += 1
        print("WROTE", n, flush=True)
        time.sleep(0.1)
""")


def test_kill_9_while_recording_loses_at_most_a_second(isolated_home, tmp_path):
    db = isolated_home / "data" / "history.sqlite3"
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    proc = subprocess.Popen([sys.executable, str(script), str(db), str(REPO)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith("SID"), proc.stderr.read()
        sid = line.split()[1]
        started = time.monotonic()
        written = 0
        while time.monotonic() - started < 2.0:
            line = proc.stdout.readline()
            assert line.startswith("WROTE"), proc.stderr.read()
            written = int(line.split()[1])
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert written >= 15
    part = db.parent / "audio" / sid / "q-design.wav.part"
    assert part.exists()  # the crash left the recording in progress

    store = Store.open(db)
    assert [r["turn_key"] for r in store.recovered] == ["q-design"]
    incomplete = store.incomplete_sessions()
    assert [s["id"] for s in incomplete] == [sid]
    info = incomplete[0]
    assert info["answered_question_ids"] == ["q-bias"]
    assert info["remaining_question_ids"] == ["q-design", "q-star"]
    [partial] = info["partial_recordings"]
    assert partial["status"] == "recovered"

    # the first answer is intact, audio included
    report = store.session(sid)
    [first] = report["turns"]
    assert first["transcript"]["text"] == "the first answer" and first["scores"]["overall"] == 75
    with wave.open(first["audio_path"]) as wf:
        assert np.array_equal(np.frombuffer(wf.readframes(wf.getnframes()), "<i2"), expected_pcm(16000))

    # the cut-off recording is a valid WAV with everything written before the kill (allowed: 1 s less)
    path = Path(partial["path"])
    assert path.exists() and not part.exists()
    with wave.open(str(path)) as wf:
        frames = np.frombuffer(wf.readframes(wf.getnframes()), "<i2")
    reported_s = written * 0.1
    assert len(frames) / 16000 >= reported_s - 1.0
    assert partial["duration_s"] == pytest.approx(len(frames) / 16000, abs=1e-3)
    assert np.array_equal(frames, expected_pcm(len(frames)))  # exactly what was written, in order
    print(f"\nkill -9 after {reported_s:.1f} s reported written: {len(frames) / 16000:.2f} s recovered")

    # resume: the session is taken back and can be completed
    resumed = store.resume_session(sid)
    assert resumed["remaining_question_ids"] == ["q-design", "q-star"]
    record(store, sid, "q-design", index=1)
    store.finish_session(sid, {"resumed": True})
    assert store.incomplete_sessions() == []
    store.close()
    assert Store.open(db).recovered == []  # recovery happens once


def test_incomplete_session_after_a_closed_window(store, clock):
    sid = store.begin_session(format="mixed", settings={}, question_ids=["q-bias", "q-design"])
    record(store, sid, "q-bias")
    assert store.incomplete_sessions() == []  # this store is recording it: it is live
    store.close()
    with Store.open() as again:
        [row] = again.incomplete_sessions()
        assert row["id"] == sid and row["remaining_question_ids"] == ["q-design"] and not row["live"]
        again.finish_session(sid, {"ended": "by the user"})
        assert again.incomplete_sessions() == []
        with pytest.raises(UserError, match="already finished"):
            again.resume_session(sid)


# -- progress -------------------------------------------------------------------------------


def test_progress_trends_topics_and_streak(store, clock):
    start = date(2025, 3, 3)  # a Monday
    scores = [30, 45, 60, 75]
    for n, overall in enumerate(scores):
        clock.set_day(start + timedelta(days=7 * n))
        sid = store.begin_session(format="mixed", settings={})
        record(store, sid, "q-bias", overall=overall, covered=["k1"] if n >= 2 else [], missed=[] if n >= 2 else ["k1"])
        record(store, sid, "q-star", overall=20, covered=[], missed=["s1"], index=1)
        store.finish_session(sid, {})
    for d in (1, 2):  # a three-day streak ending today
        clock.set_day(start + timedelta(days=21 + d))
        sid = store.begin_session(format="mixed", settings={})
        record(store, sid, "q-design", overall=90, covered=["d1"], missed=[])
        store.finish_session(sid, {})

    p = store.progress()
    assert p["today"] == "2025-03-26"
    assert p["streak"] == {"current": 3, "longest": 3, "last_day": "2025-03-26", "practised_today": True}
    assert p["totals"]["sessions"] == 6 and p["totals"]["answers"] == 10 and p["totals"]["practice_days"] == 6
    fund = p["categories"]["fundamentals"]
    assert [w["overall"] for w in fund["weekly"]] == [30, 45, 60, 75]
    assert [w["week"] for w in fund["weekly"]] == ["2025-03-03", "2025-03-10", "2025-03-17", "2025-03-24"]
    assert fund["change"] is None  # everything is within the last 30 days
    recent = store.progress(recent_days=14)["categories"]["fundamentals"]
    assert (recent["recent_overall"], recent["earlier_overall"], recent["change"]) == (67.5, 37.5, 30.0)
    k1 = next(k for k in p["key_points"] if k["key_point_id"] == "k1")
    assert k1["outcomes"] == "0011" and k1["rate"] == 0.5
    assert p["key_points"][0]["key_point_id"] == "s1"  # never covered: listed first
    assert p["weakest"][0]["topic"] == "behavioral"
    assert p["strongest"][0]["topic"] in ("system_design", "ranking")
    assert {w["week"] for w in p["weekly"]} == {"2025-03-03", "2025-03-10", "2025-03-17", "2025-03-24"}
    assert p["due_today"]["questions"] >= 1
    # the day after tomorrow the streak is broken
    assert store.progress(today=date(2025, 3, 28))["streak"]["current"] == 0


# -- the history command --------------------------------------------------------------------


def _parser():
    from interviewer.cli.history import add_history_parser

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS)
    parser = argparse.ArgumentParser(parents=[common])
    add_history_parser(parser.add_subparsers(dest="command"), common)
    return parser


def test_history_command_lists_sessions(store, capsys, monkeypatch):
    import interviewer.content.bank
    from interviewer.content.bank import Bank, parse_question
    from interviewer.config import Settings
    from interviewer.cli.history import cmd_history

    small = Bank([parse_question({"id": "q-design", "category": "system_design", "prompt": "Design a feed ranker.",
                                  "key_points": [{"id": "d1", "label": "candidate generation", "cues": ["recall"]}]},
                                 "test")])
    monkeypatch.setattr(interviewer.content.bank, "load_bank", lambda *a, **k: small)  # the real bank takes ~1.5 s

    sid = store.begin_session(format="system_design", mode="real", settings={}, question_ids=["q-design"])
    record(store, sid, "q-design", overall=64)
    store.finish_session(sid, {})
    store.close()

    assert cmd_history(_parser().parse_args(["history"]), Settings()) == 0
    out = capsys.readouterr().out
    assert sid in out and "system_design" in out and " 64" in out and "1/1" in out
    assert sid[:4] in out  # the date

    assert cmd_history(_parser().parse_args(["history", "--json", "--category", "system_design"]), Settings()) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == 1 and data["sessions"][0]["scores"]["overall"] == 64.0

    assert cmd_history(_parser().parse_args(["history", "show", sid, "--json"]), Settings()) == 0
    assert json.loads(capsys.readouterr().out)["id"] == sid

    for action in ("progress", "due", "plan"):
        assert cmd_history(_parser().parse_args(["history", action]), Settings()) == 0
        assert capsys.readouterr().out.strip()

    assert cmd_history(_parser().parse_args(["history", "delete", sid, "--yes"]), Settings()) == 0
    capsys.readouterr()
    assert cmd_history(_parser().parse_args(["history", "--json"]), Settings()) == 0
    assert json.loads(capsys.readouterr().out) == {"total": 0, "sessions": []}


def test_history_command_export_import_and_errors(store, tmp_path, capsys):
    from interviewer.config import Settings
    from interviewer.cli.history import cmd_history

    sid = store.begin_session(format="mixed", settings={})
    record(store, sid, audio_s=0.2)
    store.finish_session(sid, {})
    store.close()
    archive = tmp_path / "all.zip"
    assert cmd_history(_parser().parse_args(["history", "export-all", str(archive)]), Settings()) == 0
    assert archive.exists()
    capsys.readouterr()
    assert cmd_history(_parser().parse_args(["history", "import", str(archive), "--json"]), Settings()) == 0
    assert json.loads(capsys.readouterr().out) == {"imported": [], "skipped": [sid]}
    with pytest.raises(UserError):
        cmd_history(_parser().parse_args(["history", "show", "nope"]), Settings())
    with pytest.raises(UserError, match="--yes"):  # no terminal to ask on
        cmd_history(_parser().parse_args(["history", "delete", sid]), Settings())


def test_bench_history_smoke():
    from interviewer.tools.history_bench import bench_history

    result = bench_history(n=15, repeats=2)
    assert result["sessions"] == 15 and result["answers"] >= 75
    assert result["history_page_ms"]["median"] > 0 and "meets_target" in result


def test_the_engine_call_shape(store):
    """The calls the engine's recorder makes, keyword for keyword."""
    sid = store.begin_session(format="fundamentals", mode="study", persona=None,
                              settings={"max_follow_ups": 2, "patience_s": 2.5}, question_ids=["q-bias"])
    spool = store.audio_writer(sid, "turn000")
    spool.write(tone(0.4))
    audio_path = str(spool.close())
    store.record_answer(
        sid, question=QUESTIONS["q-bias"],
        turn={"kind": "follow_up", "index": 1, "targets": "k2", "interviewer_text": "And the variance?",
              "source": "llm", "follow_up_assessment": {"target": "k2", "addressed": True}},
        transcript={"text": "more variance", "words": []}, analysis=analysis(66, ["k2"], []),
        audio_path=audio_path, timings={"reply_ms": 420})
    store.finish_session(sid, {"questions": 1})
    detail = store.session(sid)["turns"][0]
    assert detail["audio_path"] == audio_path and detail["turn"]["follow_up_assessment"]["addressed"]
    # keep_audio off: the no-op writer's close() gives None, which the engine may stringify
    with Store.open(keep_audio=False) as quiet:
        sid = quiet.begin_session(format="fundamentals", settings={})
        spool = quiet.audio_writer(sid, "turn000")
        spool.write(tone(0.1))
        quiet.record_answer(sid, question=QUESTIONS["q-bias"], turn={"kind": "answer", "index": 0},
                            transcript={"text": "x"}, analysis={}, audio_path=str(spool.close()), timings={})
        assert quiet.session(sid)["turns"][0]["audio_path"] is None


def test_strongest_and_weakest_are_named_only_when_the_data_tells_them_apart():
    from interviewer.history.db import strongest_and_weakest

    def t(name, overall, answers=3):
        return {"topic": name, "kind": "category", "answers": answers, "overall": overall}

    assert strongest_and_weakest([t("fundamentals", 70, answers=1)]) == ([], [])  # one session: nothing to compare
    assert strongest_and_weakest([t("a", 70), t("b", 74)]) == ([], [])  # within the noise
    strong, weak = strongest_and_weakest([t("a", 55), t("b", 72), t("c", 80), t("d", 1, answers=1)])
    assert [x["topic"] for x in weak] == ["a"] and [x["topic"] for x in strong] == ["c"]
    assert not {x["topic"] for x in strong} & {x["topic"] for x in weak}


def test_history_show_names_key_points_by_label_and_credits_the_whole_thread(store, capsys):
    """A point missed in the first answer and said in the follow-up answer is "covered after a
    follow-up", not missed; points are shown by their labels, never their ids."""
    from interviewer.cli.history import cmd_history
    from interviewer.config import Settings

    labels = {"k1": "Bias is error from a model too simple", "k2": "Variance is sensitivity to the sample",
              "k3": "The two trade off as complexity grows"}

    def with_labels(a: dict) -> dict:
        a["key_point_evidence"] = [{"id": k, "label": v, "covered": k in a["key_points"]["covered"]}
                                   for k, v in labels.items()]
        return a

    sid = store.begin_session(format="fundamentals", settings={})
    for kind, index, covered, missed in (("answer", 0, ("k1",), ("k2", "k3")), ("follow_up", 1, ("k2",), ("k1", "k3"))):
        store.record_answer(sid, QUESTIONS["q-bias"], turn(kind, index, ["k2"] if kind == "follow_up" else None),
                            {"text": "an answer", "duration_s": 0}, with_labels(analysis(70.0, covered, missed)), None,
                            {})
    store.finish_session(sid, {})
    store.close()
    assert cmd_history(_parser().parse_args(["history", "show", sid]), Settings()) == 0
    out = capsys.readouterr().out
    after, missed = out.split("covered after a follow-up:")[1].split("missed:")
    assert labels["k2"] in after and labels["k3"] in missed and labels["k2"] not in missed
    assert labels["k1"] not in out.split("covered after a follow-up:")[1]  # covered in the first answer
    assert not any(f" {k}" in out or f"- {k}" in out for k in labels)
