"""History store: every session, answer and recording, kept so that a crash loses nothing.

One SQLite file (`<data dir>/history.sqlite3`, WAL mode, fsync on commit) plus WAVs under
`<data dir>/audio/<session id>/`. The data dir is created mode 0700, the files 0600.
Standard library only. All paths the API returns are absolute; the database stores them
relative to the data dir so a moved data dir keeps working.

Writing a session (what the engine's recorder calls)::

    store = Store.open()                       # or Store.open(path), Store.open(settings=s)
    sid = store.begin_session(format="mixed", mode="study", persona=None,
                              settings=settings.model_dump(), question_ids=[...])   # -> str
    w = store.audio_writer(sid, "q1")          # per turn; a no-op writer if keep_audio is off
    w.write(float32_chunk) ...                 # straight to disk; header + fsync every ~1 s
    path = w.close()                           # -> Path of the WAV, or None (keep_audio off)
                                               #    (or w.discard() to throw the take away)
    store.record_answer(sid, question, turn, transcript, analysis, audio_path=path, timings=t)
    store.finish_session(sid, summary)

- `question`: dict (or a `bank.Question`) with id, category, prompt, tags.
- `turn`: {kind: answer|follow_up|clarification, index, follow_up_of, targets,
  interviewer_text, source}; stored whole. `kind` defaults to "answer".
- `transcript`: dict or `Transcript` (`.to_dict()`); `analysis`: dict with
  scores {clarity, pacing, depth, structure, overall} (0-100, None allowed) and
  key_points {covered, missed} (ids, or {id, label} mappings). Both stored whole.
- `record_answer` is one transaction, committed before it returns, and updates the
  spaced-practice schedule (`interviewer.app.practice`) in that same transaction.
- Keep audio: `Store.open(keep_audio=...)` or `Store.open(settings=...)` decides; if
  neither says, the session's own `settings["keep_audio"]` does (default True).
- Call `audio_writer().write` from a worker thread, not the sounddevice callback: it does
  file I/O (and an fsync once a second).

After a crash (`kill -9`, power cut)::

    store = Store.open()          # repairs recordings cut off mid-write (store.recovered)
    store.incomplete_sessions()   # never finished; each with answered_question_ids,
                                  # remaining_question_ids, partial_recordings
    store.resume_session(sid)     # take it back and keep recording into it, or
    store.session(sid)            # view it; finish_session(sid, {...}) closes it for good

A session being recorded right now holds a lock (a `flock` on `locks/<id>.lock`), so a
second window never "recovers" or deletes it under the first one's feet. (Windows has no
flock here: there an open recording is protected only by Windows refusing to rename an
open file, and another window lists a live session as incomplete.)

Reading (the History page)::

    store.sessions(search=None, category=None, since=None, until=None, mode=None,
                   status=None, limit=100, offset=0)   # newest first, with averaged scores
    store.count_sessions(...same filters)              # for paging
    store.session(sid)        # full report: turns (question, turn, transcript,
                              # analysis, scores, audio_path, timings), recordings, summary
    store.progress(bank=None) # categories (scores, weekly trend, change), weekly overall,
                              # key_points (rate, recent_rate, outcomes "00111"), topics,
                              # strongest, weakest, streak, totals, due_today counts
    store.delete_session(sid) # rows and audio files

Spaced practice lives in `interviewer.app.practice`: `due_today(store, bank)`,
`priority(store)` for `Bank.select(priority=...)`, `plan(start_date, store, bank)`.

Moving history::

    store.export_session(sid, folder)   # -> folder with session.json + audio/
    store.export_all("history.zip")     # -> one zip with a checksummed manifest
    store.import_archive(path)          # zip or exported folder; validated, all or nothing

Benchmark: `interviewer bench history` (interviewer/tools/history_bench.py).
"""

from .db import DB_NAME, KINDS, MODES, Store, default_path
from .recording import AudioWriter, NullAudioWriter
from .schema import MIGRATIONS, SCHEMA_VERSION

__all__ = [
    "DB_NAME", "KINDS", "MIGRATIONS", "MODES", "SCHEMA_VERSION", "AudioWriter", "NullAudioWriter", "Store",
    "default_path",
]
