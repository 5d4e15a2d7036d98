"""Keeping the interview: each answer analysed and stored in the background while the
interviewer replies, the session's row in the history, and the summary at the end.

One worker thread analyses and writes, so answers are stored in the order given. An
answer's record waits for its reply to start (the reply's timing belongs to it), and
the summary waits for every answer: nothing said before End is lost from either.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from ..analysis import assess_follow_up, covered_earlier, summarize_session
from ..analysis.structure import credit_clarifying_questions
from ..analysis import score_answer
from ..audio.io import load_audio
from ..content.bank import Question
from ..history.recording import AudioWriter as FileAudioWriter
from .events import AnalysisReady, TurnRecorded
from .ports import AudioWriter, Store
from .values import SessionConfig, Turn, TurnRecord

log = logging.getLogger(__name__)

REPLY_WAIT_S = 120.0  # an answer is stored once its reply starts, or after this long regardless


class PendingAnswer:
    """An answer being analysed; `reply_started(timings)` hands it the reply's timing."""

    def __init__(self) -> None:
        self._reply = threading.Event()
        self._reply_timings: dict = {}
        self.future: Future | None = None

    def reply_started(self, timings: dict | None = None) -> None:
        if not self._reply.is_set():
            self._reply_timings = dict(timings or {})
            self._reply.set()

    def reply_timings(self) -> dict:
        self._reply.wait(REPLY_WAIT_S)
        return dict(self._reply_timings)

    def result(self, timeout: float | None = None):
        return self.future.result(timeout) if self.future is not None else None


class Recorder:
    def __init__(self, config: SessionConfig, *, store: Store | None, audio_dir: Path | None,
                 emit: Callable, final_passes=None) -> None:
        """`final_passes`: speech.final_pass.FinalPasses at "accurate" recognition quality (each
        answer transcribed again by a larger model in the background; its analysis replaces
        the live one before the summary), or None."""
        self.config = config
        self.final_passes = final_passes
        self.store = store
        self.audio_dir = audio_dir
        self.emit = emit
        self.session_id: str | None = None
        self.records: list[TurnRecord] = []
        self.unsaved: list[str] = []  # question ids of answers the store failed to save (kept in memory)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="analysis")
        self._pending: list[PendingAnswer] = []
        self._lock = threading.Lock()

    # -- the session row ---------------------------------------------------------------------
    def open(self, questions: list[Question]) -> list[Question]:
        """Begin the session's row, or take an interrupted one back: the questions still to ask."""
        if self.store is None:
            return questions
        sid = self.config.resume_session_id
        if sid:
            info = self.store.resume_session(sid)
            self.session_id = sid
            done = set(info.get("answered_question_ids") or [])
            left = [q for q in questions if q.id not in done]
            log.info("resuming session %s: %d questions left", sid, len(left))
            return left
        self.session_id = self.store.begin_session(
            format=self.config.format, mode=self.config.mode, persona=self.config.persona,
            settings={"max_follow_ups": self.config.max_follow_ups, "patience_s": self.config.turn.patience_s,
                      "keep_audio": self.config.keep_audio},
            question_ids=[q.id for q in questions])
        return questions

    def spool(self, turn_number: int, kind: str, question_id: str, target: str | None = None) -> AudioWriter | None:
        """Where this turn's audio streams to while it is spoken. The kind, the question and the
        key point a follow-up asked about are in its name: resuming after a crash knows what a
        cut-off recording answered and scores it on that (app/resume.py)."""
        key = f"turn{turn_number:03d}-{kind}-{question_id}" + (f"@{target}" if target else "")
        if self.store is not None and self.session_id is not None:
            return self.store.audio_writer(self.session_id, key)
        if self.audio_dir is not None:
            self.audio_dir.mkdir(parents=True, exist_ok=True)
            return FileAudioWriter(self.audio_dir / f"{key}.wav")
        return None

    # -- answers ----------------------------------------------------------------------------
    def analyse_later(self, question: Question, kind: str, asked: tuple[str, str | None, str], turn: Turn, *,
                      clarifying: list[str] = ()) -> PendingAnswer:
        """Analyse and store an answer on the worker thread, while the interviewer replies.
        `asked`: (what the interviewer said, the key point it targeted, its source)."""
        pending = PendingAnswer()
        timings = dict(turn.timings)  # the listener's; the reply's are merged in on the worker
        clarifying = list(clarifying)

        def job() -> dict:
            # a reply to a follow-up is scored on the point the follow-up asked about
            target = asked[1] if kind == "follow_up" else None
            analysis, accurate_job = self._analyse(question, turn, target, self._covered_before(question.id, target))
            if kind == "answer" and clarifying:
                analysis = credit_clarifying_questions(analysis, clarifying)
            assessment = assess_follow_up(question, target, analysis) if kind == "follow_up" and target else None
            self._record(question, kind, asked, turn, analysis, {**timings, **pending.reply_timings()}, assessment)
            study = self.config.mode == "study"
            # Study-mode feedback waits for the accurate pass when there is one: tiny.en drops
            # most "um"s, so its clarity can read 90 where the report will say 45.
            self.emit(AnalysisReady(question_id=question.id, kind=kind, analysis=analysis,
                                    show_now=study and accurate_job is None, follow_up_assessment=assessment))
            if accurate_job is not None:
                self.final_passes.when_ready(accurate_job, lambda accurate: self.emit(AnalysisReady(
                    question_id=question.id, kind=kind, analysis=accurate, show_now=study,
                    follow_up_assessment=assessment, accurate=True)))
            return analysis

        pending.future = self._pool.submit(job)
        with self._lock:
            self._pending.append(pending)
        return pending

    def record_now(self, question: Question, kind: str, asked: tuple[str, str | None, str], turn: Turn) -> None:
        """A turn with nothing to analyse (no speech, or a clarifying question), stored in order."""
        timings = dict(turn.timings)
        self._pool.submit(self._record, question, kind, asked, turn, None, timings, None).result()

    def _covered_before(self, question_id: str, target: str | None) -> bool:
        """The thread had already covered `target`: a follow-up on it was a probe, not a re-ask.
        (Runs on the worker, after every earlier turn of the thread is recorded.)"""
        return covered_earlier((r.analysis for r in self.records if r.question_id == question_id), target)

    def _analyse(self, question: Question, turn: Turn, follow_up_on: str | None,
                 probe: bool = False) -> tuple[dict, object | None]:
        """(the live transcript's analysis, the accurate pass started for it or None)."""
        path = turn.audio_path
        audio = load_audio(path) if path and Path(path).exists() else None
        analysis = score_answer(question, turn.transcript, audio, audience=self.config.audience, follow_up_on=follow_up_on,
                                probe=probe)
        if self.final_passes is None:
            return analysis, None
        return analysis, self.final_passes.schedule(question, turn.transcript, audio, analysis)

    def _record(self, question: Question, kind: str, asked: tuple[str, str | None, str], turn: Turn,
                analysis: dict | None, timings: dict, assessment: dict | None) -> None:
        text, targets, source = asked
        rec = TurnRecord(question.id, kind, text, targets, source, turn.transcript.to_dict(), analysis,
                         turn.audio_path, turn.end.reason, timings, assessment)
        self.records.append(rec)
        if self.store is not None and self.session_id is not None:
            try:
                self.store.record_answer(
                    self.session_id,
                    question={"id": question.id, "category": question.category, "prompt": question.prompt,
                              "tags": question.tags},
                    turn={"kind": kind, "index": len(self.records) - 1, "targets": targets, "interviewer_text": text,
                          "source": source, "follow_up_assessment": assessment},
                    transcript=rec.transcript, analysis=analysis or {}, audio_path=turn.audio_path, timings=timings)
            except Exception:
                log.exception("could not store the answer (kept in memory)")
                self.unsaved.append(question.id)
        self.emit(TurnRecorded(record=rec.to_dict()))

    # -- the end ----------------------------------------------------------------------------
    def finish(self, started_at: float, *, close: bool = True) -> dict:
        """Wait for every answer, then summarise and (with `close`) finish the session's row;
        a session that failed or was interrupted is left unfinished, so it can be resumed."""
        with self._lock:
            pending = list(self._pending)
        for answer in pending:
            answer.reply_started()  # a reply that never came (the session ended) holds nothing up
        self._pool.shutdown(wait=True)
        for answer in pending:
            try:
                answer.result()
            except Exception:
                log.exception("analysing an answer failed")
        if self.final_passes is not None:  # the accurate transcripts' analyses replace the live ones
            self.final_passes.finish(self.records, self.store, self.session_id)
        summary = self.summary(started_at)
        if close and self.store is not None and self.session_id is not None:
            try:
                self.store.finish_session(self.session_id, summary)
            except Exception:
                log.exception("could not finish the session in the store")
        return summary

    def summary(self, started_at: float) -> dict:
        """Scores average the main answers (as History does); follow-up answers count through
        their assessment: did they address the point the follow-up targeted."""
        items = []
        for rec in self.records:
            if rec.kind != "answer" or not rec.analysis:
                continue
            follow_ups = [{**f.follow_up_assessment, "question_id": f.question_id} for f in self.records
                          if f.kind == "follow_up" and f.question_id == rec.question_id and f.follow_up_assessment]
            items.append({"question_id": rec.question_id, "kind": "answer", "analysis": rec.analysis,
                          "follow_ups": follow_ups})
        summary = summarize_session(items)
        summary.update({
            "questions": len({r.question_id for r in self.records}),
            "answers": sum(1 for r in self.records if r.analysis),
            "follow_ups_asked": sum(1 for r in self.records if r.kind == "follow_up"),
            "duration_s": round(time.monotonic() - started_at, 1),
            "format": self.config.format,
            "mode": self.config.mode,
        })
        return summary
