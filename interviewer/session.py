"""The interview engine: a state machine that speaks, listens, decides and records.

Plain Python, no Qt. It runs on its own thread and reports through `on_event(Event)`;
the GUI turns events into signals, the CLI prints them, tests collect them. Commands
(done, repeat, skip, pause, resume, end) may come from any thread.

For each question: speak it (barge-in stops the voice), listen until the end-of-turn
detector says the candidate has finished, transcribe (streamed while they spoke),
analyse, then ask a follow-up (up to N), answer a clarifying question, or move on.
The reply is prepared speculatively while the candidate talks and pauses: each time a
stretch of the answer has been transcribed, the engine works out what it would ask
(the plan: a missed key point, a probe, a pushback, moving on, or answering a
clarifying question) and, when the plan changes, has the LLM word it and the voice
synthesize it in the background. When the turn ends, the final transcript's plan is
compared with the prepared one: the same plan plays at once, another is decided then.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from .audio.io import load_audio
from .audio.sources import AudioSource, DeviceLost
from .audio.vad import StreamingVad
from .bank import Question
from .errors import UserError
from .llm.brain import (
    Decision,
    Interviewer,
    answer_clarification,
    is_clarifying_question,
)
from .speech.streaming import StreamingTranscriber
from .speech import final_pass
from .speech.stt import build_prompt
from .transcript import Transcript
from .turn import TurnDetector, TurnEvent, TurnSettings

log = logging.getLogger(__name__)


@dataclass
class Event:
    kind: str
    data: dict = field(default_factory=dict)
    t: float = field(default_factory=time.monotonic)


@dataclass
class SessionConfig:
    format: str = "fundamentals"  # a bank category
    n_questions: int = 3
    minutes: float | None = None  # stop asking new questions after this long
    difficulties: list[int] | None = None
    mode: str = "study"  # "study": feedback after each answer; "real": pushes back, feedback at the end
    seed: int | None = None
    max_follow_ups: int = 2
    question_ids: list[str] | None = None
    project_title: str | None = None
    turn: TurnSettings = field(default_factory=TurnSettings)
    barge_in: bool = True
    keep_audio: bool = True
    persona: str | None = None
    audience: str = "interviewer"  # "non_expert": unexplained jargon weighs more (timed drills)
    resume_session_id: str | None = None  # continue an interrupted session (store.incomplete_sessions())


@dataclass
class TurnRecord:
    question_id: str
    kind: str  # "answer" | "follow_up" | "clarification"
    interviewer_text: str
    targets: str | None
    source: str
    transcript: dict
    analysis: dict | None
    audio_path: str | None
    end_reason: str
    timings: dict
    follow_up_assessment: dict | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Prepared:
    plan: tuple
    transcript: Transcript
    decision: Decision
    audio: np.ndarray | None
    kind: str  # "follow_up" | "clarification" | "move_on"
    timings: dict


class _Speculation:
    """The reply being prepared for one turn, kept while its plan holds.

    `offer()` is called with the transcript so far each time more of it is known; a new
    plan starts a new preparation (the old one is stopped and discarded), the same plan
    keeps the one under way. `take()` at the end of the turn returns the prepared reply if
    the final transcript has the same plan, waiting for it at most until `deadline`, then
    asking it to hurry (finish with what it has)."""

    def __init__(self, session: "InterviewSession", question: Question, previous: list[str], asked_targets,
                 asked_texts, follow_ups: int, clarifications_left: bool) -> None:
        self.session = session
        self.question = question
        self.previous = list(previous)
        self.asked_targets = list(asked_targets)
        self.asked_texts = list(asked_texts)
        self.follow_ups = follow_ups
        self.clarifications_left = clarifications_left
        self.plan: tuple | None = None
        self.plans = 0  # preparations started: how often the answer changed what to ask
        self.due_at: float | None = None  # when patience runs out, while the candidate is silent
        self._future: Future | None = None
        self._cpu_free = threading.Event()  # cleared while the final transcription runs
        self._cpu_free.set()
        self._hurry = threading.Event()
        self._cancelled = threading.Event()
        self._lock = threading.Lock()

    def plan_for(self, text: str) -> tuple | None:
        return self.session._plan(self.question, [*self.previous, text], self.asked_targets, self.follow_ups,
                                  first_answer=not self.previous, clarifications_left=self.clarifications_left)

    def offer(self, transcript: Transcript) -> None:
        plan = self.plan_for(transcript.text)
        with self._lock:
            if plan is None or plan == self.plan:
                return
            self._hurry.set()
            self._cancelled.set()
            self.plan, self._hurry, self._cancelled = plan, threading.Event(), threading.Event()
            self.plans += 1
            log.info("speculative plan %s from %.1f s of answer", plan[:3], transcript.duration_s)
            self._future = self.session._prep_pool.submit(self.session._prepare, self, transcript, plan,
                                                          self._hurry, self._cancelled)

    def take(self, transcript: Transcript, deadline: float) -> Prepared | None:
        plan = self.plan_for(transcript.text)
        with self._lock:
            future, hurry = self._future, self._hurry
            matches = future is not None and plan is not None and plan == self.plan
        if not matches:
            if future is not None:
                log.info("prepared plan %s does not fit the final answer (%s): deciding now", self.plan, plan)
            self.discard()
            return None
        try:
            return future.result(timeout=max(0.0, deadline - time.monotonic()))
        except FutureTimeout:
            hurry.set()
        except Exception:
            log.exception("speculative preparation failed")
            return None
        try:
            return future.result(timeout=30)
        except Exception:
            log.exception("speculative preparation failed")
            return None

    def before_sample(self, hurry: threading.Event) -> None:
        """Called by the brain before each LLM sample of a speculative reply: waits while the
        final transcription runs, and stops sampling (best so far, or the authored follow-up)
        when the next sample would not be done before patience runs out."""
        self._cpu_free.wait(timeout=3.0)
        due, estimate = self.due_at, self.session.brain.sample_s
        if due is not None and estimate is not None and time.monotonic() + estimate > due:
            hurry.set()

    def hold(self, held: bool) -> None:
        """Hold speculative sampling (between samples, and the LLM between tokens) while the
        final transcription runs: it is what the reply waits for."""
        if held:
            self._cpu_free.clear()
        else:
            self._cpu_free.set()
        hold_llm = getattr(self.session.llm, "hold", None)
        if hold_llm is not None:
            hold_llm(held)

    def discard(self) -> None:
        self._cpu_free.set()
        with self._lock:
            self._hurry.set()
            self._cancelled.set()


class Stopped(Exception):
    """The session was ended by the user."""


def render_prompt(question: Question, project_title: str | None) -> str:
    return question.prompt.replace("{project}", project_title or "your project")


class InterviewSession:
    def __init__(self, config: SessionConfig, *, questions: list[Question], transcriber, speaker, player,
                 source: AudioSource, llm=None, on_event: Callable[[Event], None] | None = None,
                 audio_dir: Path | None = None, store=None) -> None:
        self.config = config
        self.questions = questions
        self.transcriber = transcriber
        self.speaker = speaker
        self.player = player
        self.source = source
        from .personas import get_persona
        from .speech.tts import Voice

        self.persona = get_persona(config.persona)
        self.brain = Interviewer(llm, persona=self.persona)
        base = getattr(speaker, "voice", None) or Voice()
        self.voice = Voice(rate=self.persona.rate, pitch=self.persona.pitch, voice_id=base.voice_id,
                           volume=base.volume) if self.persona else base
        self.llm = llm
        self.on_event = on_event or (lambda e: None)
        self.audio_dir = audio_dir
        self.store = store
        self.session_id = None
        self.records: list[TurnRecord] = []
        self.summary: dict | None = None
        self._commands: queue.Queue = queue.Queue()
        self._paused = threading.Event()
        self._ended = threading.Event()
        self._thread: threading.Thread | None = None
        self._stt_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="stt")
        self._prep_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="prepare")
        self._analysis_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="analysis")
        self._vad = StreamingVad()
        self._started_at = 0.0
        self._turn_counter = 0
        self._device_error: DeviceLost | None = None
        self._next_question_audio: tuple[str, Future] | None = None
        self._barged: list | None = None

    # -- commands (any thread) --------------------------------------------------------------
    def done(self) -> None:
        self._commands.put("done")

    def repeat(self) -> None:
        self._commands.put("repeat")

    def skip(self) -> None:
        self._commands.put("skip")

    def pause(self) -> None:
        self._paused.set()
        self._emit("state", state="paused")

    def resume(self) -> None:
        self._paused.clear()
        self._commands.put("resume")

    def end(self) -> None:
        self._ended.set()
        self._commands.put("end")
        try:
            self.player.stop()
        except Exception:
            pass

    # -- running ---------------------------------------------------------------------------
    def start(self) -> "InterviewSession":
        self._thread = threading.Thread(target=self.run, name="session", daemon=True)
        self._thread.start()
        return self

    def join(self, timeout: float | None = None) -> bool:
        if self._thread is not None:
            self._thread.join(timeout)
            return not self._thread.is_alive()
        return True

    def _emit(self, event_kind: str, /, **data) -> None:
        try:
            self.on_event(Event(event_kind, data))
        except Exception:  # a listener's bug must not kill the interview
            log.exception("event listener failed on %s", event_kind)

    def run(self) -> dict:
        self._started_at = time.monotonic()
        try:
            self.source.start()
            if self.store is not None:
                self._open_store_session()
            self.brain.prime()
            for index, question in enumerate(self.questions):
                if self._ended.is_set():
                    break
                if self.config.minutes and time.monotonic() - self._started_at > self.config.minutes * 60:
                    log.info("time budget of %.0f min reached", self.config.minutes)
                    break
                self._run_question(index, question)
        except Stopped:
            log.info("session ended by the user")
        except Exception as exc:
            log.exception("session failed")
            fix = exc.fix if isinstance(exc, UserError) else "Your answers so far are saved."
            self._emit("error", message=str(getattr(exc, "problem", exc)), fix=fix)
        finally:
            self.source.stop()
            final_pass.finish(self)  # the accurate transcripts' analyses replace the live ones
            self.summary = self._summarize()
            if self.store is not None and self.session_id is not None:
                try:
                    self.store.finish_session(self.session_id, self.summary)
                except Exception:
                    log.exception("could not finish the session in the store")
            self._emit("state", state="finished")
            self._emit("finished", summary=self.summary)
            self._stt_pool.shutdown(wait=False, cancel_futures=True)
            self._prep_pool.shutdown(wait=False, cancel_futures=True)
            self._analysis_pool.shutdown(wait=True)
        return self.summary

    def _open_store_session(self) -> None:
        """A new session row, or, when resuming after a crash, the interrupted one with the
        questions it already answered left out."""
        sid = self.config.resume_session_id
        if sid:
            info = self.store.resume_session(sid)
            self.session_id = sid
            done = set(info.get("answered_question_ids") or [])
            self.questions = [q for q in self.questions if q.id not in done]
            log.info("resuming session %s: %d question(s) left", sid, len(self.questions))
            return
        self.session_id = self.store.begin_session(
            format=self.config.format, mode=self.config.mode, persona=self.config.persona,
            settings={"max_follow_ups": self.config.max_follow_ups, "patience_s": self.config.turn.patience_s,
                      "keep_audio": self.config.keep_audio},
            question_ids=[q.id for q in self.questions])

    # -- one question ------------------------------------------------------------------------
    def _run_question(self, index: int, question: Question) -> None:
        prompt_text = render_prompt(question, self.config.project_title)
        self._emit("question", index=index, total=len(self.questions), id=question.id, prompt=prompt_text,
                   category=question.category, target_seconds=question.target_seconds,
                   key_points=[{"id": kp.id, "label": kp.label} for kp in question.key_points])
        ready = self._next_question_audio
        self._next_question_audio = None
        audio = None
        if ready is not None and ready[0] == prompt_text:
            try:
                audio = ready[1].result(timeout=30)
            except Exception:
                log.warning("the next question's voice was not ready; synthesizing it now")
        self._say(prompt_text, kind="question", audio=audio)
        if index + 1 < len(self.questions):
            # The next question is voiced while this one is answered, so it follows the
            # acknowledgement without a gap.
            upcoming = render_prompt(self.questions[index + 1], self.config.project_title)
            self._next_question_audio = (upcoming, self.speaker.synthesize(upcoming, self.voice))
        asked_targets: list[str] = []
        asked_texts: list[str] = []
        transcripts: list[str] = []
        follow_ups = 0
        kind, interviewer_text, targets, source = "answer", prompt_text, None, "bank"
        clarifications = 0
        clarifying_texts: list[str] = []
        while not self._ended.is_set():
            result = self._listen(question, kind, transcripts, asked_targets, asked_texts, follow_ups,
                                  clarifications_left=clarifications < 3)
            if result is None:  # skipped
                break
            transcript, audio_path, end, prepared, timings = result
            text = transcript.text
            if not text:
                self._record(question, kind, interviewer_text, targets, source, transcript, None, audio_path, end,
                             timings)
                if kind == "answer" and end.reason.startswith("no speech"):
                    self._say("Take your time. We can come back to this one; let's move on.", kind="ack")
                break
            if is_clarifying_question(text) and clarifications < 3:
                clarifications += 1
                clarifying_texts.append(text)
                reply = prepared.decision.text if prepared and prepared.kind == "clarification" else \
                    answer_clarification(question, text)
                self._record(question, "clarification", interviewer_text, targets, source, transcript, None,
                             audio_path, end, timings)
                self._say(reply, kind="clarification", audio=prepared.audio if prepared else None, timings=timings)
                interviewer_text, source = reply, "rubric"
                continue
            transcripts.append(text)

            # The full analysis (with the audio: acoustic fillers, pauses) and the store write
            # run while the interviewer speaks, so a reply prepared in the silence plays at once.
            def analyse_and_record(kind=kind, interviewer_text=interviewer_text, targets=targets, source=source,
                                   transcript=transcript, audio_path=audio_path, end=end, timings=timings):
                analysis = self._analyse(question, transcript, audio_path)
                if kind == "answer" and clarifying_texts:
                    from .analysis.structure import credit_clarifying_questions

                    analysis = credit_clarifying_questions(analysis, clarifying_texts)
                assessment = self._assess_follow_up(question, targets, analysis) \
                    if kind == "follow_up" and targets else None
                self._record(question, kind, interviewer_text, targets, source, transcript, analysis, audio_path,
                             end, timings, assessment)
                self._emit("analysis", question_id=question.id, kind=kind, analysis=analysis,
                           show_now=self.config.mode == "study", follow_up_assessment=assessment)
                return analysis

            recorded = self._analysis_pool.submit(analyse_and_record)
            decision = prepared.decision if prepared and prepared.kind in ("follow_up", "move_on") else None
            if decision is None:
                decision = self._decide(question, transcripts, asked_targets, asked_texts, follow_ups, timings,
                                        first_answer=kind == "answer", budget_s=self.LIVE_LLM_BUDGET_S)
            self._announce(decision, prepared is not None and prepared.decision is decision)
            if decision.kind == "follow_up" and follow_ups < self.config.max_follow_ups:
                follow_ups += 1
                asked_targets.append(decision.targets)
                asked_texts.append(decision.text)
                self._say(decision.text, kind="follow_up", source=decision.source, targets=decision.targets,
                          audio=prepared.audio if prepared and prepared.decision is decision else None,
                          timings=timings)
                recorded.result()
                kind, interviewer_text, targets, source = "follow_up", decision.text, decision.targets, decision.source
                continue
            ack = decision.text if decision.kind == "move_on" else "Thank you."
            if index + 1 < len(self.questions):
                self._say(ack, kind="ack", audio=prepared.audio if prepared and prepared.decision is decision else None,
                          timings=timings)
            recorded.result()
            break

    @property
    def pushes_back(self) -> bool:
        return self.config.mode == "real" or bool(self.persona and self.persona.pushback)

    @staticmethod
    def is_vague(analysis: dict | None) -> bool:
        """Short, or long on words and short on substance: worth asking for specifics."""
        if not analysis:
            return False
        depth = (analysis.get("scores") or {}).get("depth")
        return analysis.get("word_count", 0) < 35 or (depth is not None and depth < 30)

    # A reply decided after the turn ended (no speculative one was ready) is due at once:
    # the LLM gets this long to produce a valid wording before the authored one is used.
    LIVE_LLM_BUDGET_S = 0.35
    # A reply prepared while the candidate talks has until the turn ends: no budget of its
    # own (all samples, stopping at the first valid one grounded in the answer); a turn that
    # ends meanwhile hurries it (see _Speculation.take).
    SPECULATIVE_LLM_BUDGET_S = None

    def _plan(self, question: Question, transcripts: list[str], asked_targets, follow_ups: int,
              first_answer: bool, clarifications_left: bool = True) -> tuple | None:
        """What the reply to these answers would be about, without wording it (no LLM, ~15 ms).

        A reply prepared while the candidate spoke is used when the final transcript leads to
        the same plan; `_decide` follows the same rules, so the plan names its outcome."""
        current = transcripts[-1] if transcripts else ""
        if not current.strip():
            return None
        if clarifications_left and is_clarifying_question(current):
            return ("clarification", answer_clarification(question, current))
        if follow_ups >= self.config.max_follow_ups:
            return ("move_on",)
        combined = " ".join(transcripts)
        text_analysis = self._text_analysis(question, combined)
        coverage = text_analysis["key_points"]
        if first_answer and self.pushes_back and self.is_vague(text_analysis) and coverage["missed"]:
            return ("pushback", self.brain.pushback_target(question, coverage["missed"], asked_targets).id)
        choice = self.brain.choose_target(question, combined, coverage["covered"], coverage["missed"],
                                          list(asked_targets))
        if choice is None:
            return ("move_on",)
        return ("follow_up", choice[0], choice[1].id)

    def _decide(self, question, transcripts, asked_targets, asked_texts, follow_ups, timings=None,
                first_answer: bool = False, budget_s: float | None = None, cancel=None,
                before_sample=None) -> Decision:
        if follow_ups >= self.config.max_follow_ups:
            return Decision("move_on", "Thank you, let's move on.")
        combined = " ".join(transcripts)
        text_analysis = self._text_analysis(question, combined)
        coverage = text_analysis["key_points"]
        t0 = time.monotonic()
        if first_answer and self.pushes_back and self.is_vague(text_analysis) and coverage["missed"]:
            decision = self.brain.pushback(question, coverage["missed"], asked_targets, seed=self._turn_counter)
        else:
            decision = self.brain.follow_up(question, combined, coverage["covered"], coverage["missed"],
                                            asked_targets=asked_targets, asked_texts=asked_texts,
                                            seed=self._turn_counter, budget_s=budget_s, cancel=cancel,
                                            before_sample=before_sample)
        if timings is not None:
            timings["decide_s"] = time.monotonic() - t0
            if decision.first_token_s is not None and "turn_end_at" in timings:
                timings["first_token_after_turn_end_s"] = t0 + decision.first_token_s - timings["turn_end_at"]
        return decision

    def _announce(self, decision: Decision, prepared: bool) -> None:
        self._emit("decision", kind=decision.kind, text=decision.text, targets=decision.targets,
                   source=decision.source, attempts=decision.attempts, prepared=prepared)
        log.info("decision: %s %s (%s%s) -> %r", decision.kind, decision.targets, decision.source,
                 ", prepared" if prepared else "", decision.text)

    def _text_analysis(self, question: Question, text: str) -> dict:
        """The analysis of the answers so far from their words alone (fast): what is covered."""
        from .analysis_bridge import score_answer
        from .transcript import Word

        tokens = text.split()
        words = [Word(t, i * 0.4, i * 0.4 + 0.35) for i, t in enumerate(tokens)]
        return score_answer(question, Transcript(words, len(tokens) * 0.4))

    def _analyse(self, question: Question, transcript: Transcript, audio_path: str | None) -> dict:
        from .analysis_bridge import score_answer

        audio = load_audio(audio_path) if audio_path and Path(audio_path).exists() else None
        analysis = score_answer(question, transcript, audio, audience=self.config.audience)
        final_pass.schedule(self, question, transcript, audio, analysis)  # base re-transcribes in the background
        return analysis

    def _assess_follow_up(self, question: Question, target: str, analysis: dict) -> dict:
        try:
            from .analysis import assess_follow_up
        except ImportError:
            covered = target in analysis["key_points"]["covered"]
            return {"target": target, "addressed": covered}
        return assess_follow_up(question, target, analysis)

    def _record(self, question, kind, interviewer_text, targets, source, transcript, analysis, audio_path, end,
                timings, assessment=None) -> None:
        rec = TurnRecord(question.id, kind, interviewer_text, targets, source, transcript.to_dict(), analysis,
                         audio_path, end.reason, timings, assessment)  # shared: the reply's timing lands later
        self.records.append(rec)
        if self.store is not None and self.session_id is not None:
            try:
                self.store.record_answer(
                    self.session_id,
                    question={"id": question.id, "category": question.category, "prompt": question.prompt,
                              "tags": question.tags},
                    turn={"kind": kind, "index": len(self.records) - 1, "targets": targets,
                          "interviewer_text": interviewer_text, "source": source, "follow_up_assessment": assessment},
                    transcript=rec.transcript, analysis=analysis or {}, audio_path=audio_path, timings=rec.timings)
            except Exception:
                log.exception("could not store the answer (kept in memory)")
        self._emit("turn", record=rec.to_dict())

    # -- speaking ------------------------------------------------------------------------------
    def _say(self, text: str, *, kind: str, source: str = "bank", targets: str | None = None,
             audio: np.ndarray | None = None, timings: dict | None = None) -> None:
        self._emit("interviewer", text=text, kind=kind, source=source, targets=targets)
        self._emit("state", state="speaking")
        if audio is None:
            t0 = time.monotonic()
            audio = self.speaker.synthesize(text, self.voice).result(timeout=60)
            if timings is not None:
                timings["tts_s"] = time.monotonic() - t0
        if timings is not None and "turn_end_at" in timings:
            timings["audio_ready_after_turn_end_s"] = max(0.0, time.monotonic() - timings["turn_end_at"])
        self._cue_source("speak")
        self.player.play(audio)
        self._vad.reset()
        voiced = 0
        recent: list[np.ndarray] = []  # the last ~1 s heard while speaking: the start of a barge-in answer
        while self.player.playing:
            self._check_commands(during="speaking")
            try:
                frame = self.source.read(timeout=0.1)
            except DeviceLost as exc:  # handled when listening starts; let the interviewer finish
                self._device_error = exc
                self.player.wait()
                return
            if frame is None or frame.size == 0:
                continue
            if not self.config.barge_in:
                continue
            recent = (recent + [frame])[-32:]
            # Without echo cancellation the interviewer's own voice can reach the mic: demand more.
            if self._vad(frame) >= 0.7:
                voiced += 1
                if voiced >= 5:
                    self.player.stop()
                    log.info("barge-in: the candidate started talking; interviewer stopped")
                    self._emit("barge_in", text=text)
                    self._barged = recent
                    return
            else:
                voiced = 0

    def _cue_source(self, state: str) -> None:
        cue = getattr(self.source, "cue", None)
        if cue:
            cue(state)

    def _check_commands(self, during: str) -> str | None:
        try:
            cmd = self._commands.get_nowait()
        except queue.Empty:
            cmd = None
        if cmd == "end" or self._ended.is_set():
            raise Stopped()
        if cmd == "repeat" and during == "speaking":
            return None  # already speaking
        return cmd

    # -- listening -----------------------------------------------------------------------------
    def _listen(self, question: Question, kind: str, previous: list[str], asked_targets, asked_texts, follow_ups,
                clarifications_left: bool = True):
        """Record one turn. Returns (transcript, audio_path, end event, prepared reply, timings) or None if skipped."""
        self._turn_counter += 1
        turn_id = self._turn_counter
        timings: dict = {}
        preroll: list[np.ndarray] = getattr(self, "_barged", None) or []
        self._barged = None
        if not preroll:
            self.source.drain()
        self._cue_source("listen")
        self._vad.reset()
        detector = TurnDetector(self.config.turn)
        terms = question.all_cues()[:20]
        stream = StreamingTranscriber(self.transcriber, prompt=build_prompt(question.prompt, terms),
                                      executor=self._stt_pool)
        spool = None
        audio_path = None
        if self.store is not None and self.session_id is not None and hasattr(self.store, "audio_writer"):
            spool = self.store.audio_writer(self.session_id, f"turn{turn_id:03d}")
        elif self.audio_dir is not None:
            from .store.recording import AudioWriter

            self.audio_dir.mkdir(parents=True, exist_ok=True)
            spool = AudioWriter(self.audio_dir / f"turn{turn_id:03d}.wav")
        self._emit("state", state="listening")
        listen_start = time.monotonic()
        spec = _Speculation(self, question, previous, asked_targets, asked_texts, follow_ups, clarifications_left)
        settled = interims = 0
        last_partial = ""
        last_partial_at = 0.0
        end: TurnEvent | None = None
        while end is None:
            cmd = self._check_commands(during="listening")
            if cmd == "done":
                end = detector.done()
                break
            if cmd == "skip":
                log.info("question skipped by the candidate")
                spec.discard()
                stream.close()
                if spool is not None:
                    (getattr(spool, "discard", None) or spool.close)()
                return None
            if cmd == "repeat":
                self._say(render_prompt(question, self.config.project_title), kind="repeat")
                self._emit("state", state="listening")
                continue
            if self._paused.is_set():
                self._wait_resume()
                continue
            try:
                if self._device_error is not None:
                    raise self._device_error
                frame = preroll.pop(0) if preroll else self.source.read(timeout=0.2)
            except DeviceLost as exc:
                self._device_error = None
                if not self._recover_device(exc):
                    end = TurnEvent("end", detector.t, "microphone lost")
                continue
            if frame is None or frame.size == 0:
                continue
            prob = self._vad(frame)
            voiced = prob >= (self.config.turn.speech_off if detector.speaking else self.config.turn.speech_on)
            if spool is not None:
                spool.write(frame)
            stream.add(frame, voiced)
            self._emit("level", value=self.source.level, voiced=voiced)
            for ev in detector.feed(prob):
                log.info("turn %d: %s at %.2f s (%s)", turn_id, ev.kind, ev.t, ev.reason)
                if ev.kind == "speculate":
                    # A pause: transcribe what was said up to it now, so the reply can be ready
                    # before patience runs out (the poll below offers it once transcribed).
                    stream.close_segment()
                    patience = self.config.turn.thinking_patience_s if detector.thinking else self.config.turn.patience_s
                    spec.due_at = time.monotonic() + max(0.0, patience - detector.silence_s)
                elif ev.kind == "resume":
                    spec.due_at = None
                elif ev.kind == "end":
                    end = ev
                    if "patience" in ev.reason and not detector.thinking:
                        stream.wait_pending(timeout=3.0)
                        if detector.reconsider(stream.partial_text()):
                            log.info("turn %d: end taken back: the last words were a thinking phrase", turn_id)
                            end = None
            if stream.settled_count() > settled or stream.interims > interims:
                settled, interims = stream.settled_count(), stream.interims
                spec.offer(stream.provisional())
            now = time.monotonic()
            if now - last_partial_at > 0.5:
                last_partial_at = now
                text = stream.partial_text()
                detector.note_transcript(text)
                if text != last_partial:
                    last_partial = text
                    self._emit("partial", text=text)
        turn_end_at = time.monotonic()
        timings["turn_end_at"] = turn_end_at
        timings["listen_s"] = turn_end_at - listen_start
        if detector.last_speech_end is not None:
            timings["speech_end_to_turn_end_s"] = max(0.0, detector.t - detector.last_speech_end)
        timings["manual_done"] = end.reason.startswith("manual")
        self._emit("turn_end", reason=end.reason)
        self._emit("state", state="thinking")
        spec.hold(True)
        try:
            transcript = stream.finish()
        finally:
            spec.hold(False)
        timings["final_transcript_after_turn_end_s"] = time.monotonic() - turn_end_at
        if spool is not None:
            closed = spool.close()
            audio_path = str(closed) if closed else None
        stream.close()
        prepared = spec.take(transcript, deadline=turn_end_at + self.LIVE_LLM_BUDGET_S)
        timings["speculative_plans"] = spec.plans
        if prepared is not None:
            timings.update({f"prepared_{k}": v for k, v in prepared.timings.items()})
            timings["used_prepared"] = True
        else:
            timings["used_prepared"] = False
        self._emit("final", text=transcript.text, words=transcript.to_dict()["words"])
        return transcript, audio_path, end, prepared, timings

    def _recover_device(self, exc: DeviceLost) -> bool:
        """Keep what was said, pause with a message, and reopen the device on Resume."""
        log.warning("audio device lost: %s", exc.problem)
        self._emit("error", message=exc.problem, fix=exc.fix)
        self._paused.set()
        self._emit("state", state="paused")
        self._wait_resume()
        try:
            self.source.start()
            return True
        except Exception as exc2:
            self._emit("error", message=f"The microphone could not be reopened: {exc2}",
                       fix="Check the microphone in Settings; the session ends with what was recorded.")
            return False

    def _wait_resume(self) -> None:
        while self._paused.is_set():
            self._check_commands(during="paused")
            time.sleep(0.05)
        self.source.drain()
        self._emit("state", state="listening")

    def _prepare(self, spec: "_Speculation", transcript: Transcript, plan: tuple, hurry: threading.Event,
                 cancelled: threading.Event) -> Prepared | None:
        """Runs in the background while the candidate talks or pauses: the reply for `plan`,
        worded and synthesized. `hurry` stops LLM sampling (the turn has ended and the reply is
        due: the best valid sample or the authored follow-up); `cancelled` discards the work."""
        if cancelled.is_set():
            return None
        t0 = time.monotonic()
        timings: dict = {"offered_at_s": round(transcript.duration_s, 2)}
        if plan[0] == "clarification":
            decision = Decision("clarification", plan[1])
        else:
            decision = self._decide(spec.question, [*spec.previous, transcript.text], spec.asked_targets,
                                    spec.asked_texts, spec.follow_ups, first_answer=not spec.previous,
                                    cancel=hurry, budget_s=self.SPECULATIVE_LLM_BUDGET_S,
                                    before_sample=lambda: spec.before_sample(hurry))
            timings["decide_s"] = time.monotonic() - t0
            if decision.first_token_s is not None:
                timings["first_token_s"] = decision.first_token_s
        if cancelled.is_set():
            return None
        t1 = time.monotonic()
        audio = self.speaker.synthesize(decision.text, self.voice).result(timeout=60)
        timings["tts_s"] = time.monotonic() - t1
        timings["total_s"] = time.monotonic() - t0
        return Prepared(plan, transcript, decision, audio, decision.kind, timings)

    # -- the end --------------------------------------------------------------------------------
    def _summarize(self) -> dict:
        """Scores average the main answers (as History does); follow-up answers count through
        their assessment: did they address the point the follow-up targeted."""
        from .analysis import summarize_session

        answers = [r for r in self.records if r.analysis]
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
            "answers": len(answers),
            "follow_ups_asked": sum(1 for r in self.records if r.kind == "follow_up"),
            "duration_s": round(time.monotonic() - self._started_at, 1),
            "format": self.config.format,
            "mode": self.config.mode,
        })
        return summary
