"""The interview: questions asked, answers heard, replies decided, everything recorded.

Plain Python, no Qt. `run()` (or `start()` for a thread of its own) goes through the
questions; for each one the dialogue goes on until the interviewer moves on: the answer
(listener), the reply (policy, usually prepared while the candidate spoke), the reply
spoken (voice), and the answer analysed and stored meanwhile (recorder). Commands come
from any thread (commands.py says what each does in each state); events go to
`on_event` as typed values (events.py).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..audio.vad import StreamingVad
from ..content.bank import Question
from ..errors import UserError
from ..dialogue.lead_in import heard_words
from ..dialogue.wording import Interviewer
from ..content.personas import get_persona
from ..speech.stt import build_prompt
from ..speech.tts import Voice
from .commands import Command, Commands, Stopped
from .events import Decided, ErrorRaised, Event, Finished, Line, QuestionAsked, State, StateChanged
from .listener import Listener
from .policy import Plan, PlanKind, Policy, Thread, text_analysis
from .ports import AudioSource, Llm, Player, Speaker, Store, Transcriber, Vad
from .recorder import Recorder
from .speculation import Speculation
from .turn import EndCause
from .values import SessionConfig, Turn, TurnRecord
from .voice import InterviewerVoice, Spoken

log = logging.getLogger(__name__)

NO_ANSWER = "Take your time. We can come back to this one; let's move on."


def render_prompt(question: Question, project_title: str | None) -> str:
    return question.prompt.replace("{project}", project_title or "your project")


class InterviewSession:
    def __init__(self, config: SessionConfig, *, questions: list[Question], transcriber: Transcriber,
                 speaker: Speaker, player: Player, source: AudioSource, llm: Llm | None = None,
                 on_event: Callable[[Event], None] | None = None, audio_dir: Path | None = None,
                 store: Store | None = None, vad: Vad | None = None, question_index=None,
                 final_passes=None) -> None:
        """`question_index()`: the bank's question vectors once built (off-topic answers are
        recognised by them), or None; the app passes dialogue.off_topic.shared_index.
        `final_passes`: the accurate recognition of each answer for the scores
        (speech.final_pass.for_settings), or None: the live transcript is scored."""
        self.config = config
        self.questions = questions
        self.source = source
        self.on_event = on_event or (lambda e: None)
        persona = get_persona(config.persona)
        base = speaker.voice
        voice = Voice(rate=persona.rate, pitch=persona.pitch, voice_id=base.voice_id, volume=base.volume) \
            if persona else base
        self.brain = Interviewer(llm, persona=persona)
        self.policy = Policy(self.brain, max_follow_ups=config.max_follow_ups,
                             pushes_back=config.mode == "real" or bool(persona and persona.pushback),
                             index=question_index or (lambda: None))
        self.commands = Commands()
        self.recorder = Recorder(config, store=store, audio_dir=audio_dir, emit=self._emit, final_passes=final_passes)
        vad = vad or StreamingVad()
        self.voice = InterviewerVoice(speaker, player, source, vad, voice, self.commands, self._emit,
                                      barge_in=config.barge_in)
        self._stt_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="stt")
        self._prep_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="prepare")
        self.listener = Listener(source=source, transcriber=transcriber, vad=vad, settings=config.turn,
                                 commands=self.commands, emit=self._emit, voice=self.voice, stt_pool=self._stt_pool)
        self.llm = llm
        self.summary: dict | None = None
        self.error: BaseException | None = None  # why the session stopped early; it is then left resumable
        self._thread: threading.Thread | None = None
        self._started_at = 0.0
        self._next_question: tuple[str, object] | None = None  # (text, Future of its audio)

    @property
    def session_id(self) -> str | None:
        return self.recorder.session_id

    @property
    def records(self) -> list[TurnRecord]:
        return self.recorder.records

    @property
    def unsaved(self) -> list[str]:
        """Question ids of answers the history could not store (they are in `records`)."""
        return self.recorder.unsaved

    # -- commands (any thread) ----------------------------------------------------------------
    def done(self) -> None:
        self.commands.put(Command.DONE)

    def repeat(self) -> None:
        self.commands.put(Command.REPEAT)

    def skip(self) -> None:
        self.commands.put(Command.SKIP)

    def pause(self) -> None:
        self.commands.put(Command.PAUSE)

    def resume(self) -> None:
        self.commands.put(Command.RESUME)

    def end(self) -> None:
        self.commands.put(Command.END)
        self.voice.stop()

    # -- running -------------------------------------------------------------------------------
    def start(self) -> "InterviewSession":
        self._thread = threading.Thread(target=self.run, name="session", daemon=True)
        self._thread.start()
        return self

    def join(self, timeout: float | None = None) -> bool:
        if self._thread is not None:
            self._thread.join(timeout)
            return not self._thread.is_alive()
        return True

    def _emit(self, event: Event) -> None:
        try:
            self.on_event(event)
        except Exception:  # a listener's bug must not kill the interview
            log.exception("event listener failed on %s", type(event).__name__)

    def run(self) -> dict:
        self._started_at = time.monotonic()
        try:
            self.source.start()
            self.questions = self.recorder.open(self.questions)
            self.brain.prime()
            for index, question in enumerate(self.questions):
                if self.commands.ended.is_set():
                    break
                if self.config.minutes and time.monotonic() - self._started_at > self.config.minutes * 60:
                    log.info("time budget of %.0f min reached", self.config.minutes)
                    break
                self._run_question(index, question)
        except Stopped:
            log.info("session ended by the user")
        except Exception as exc:
            log.exception("session failed")
            self.error = exc
            problem, fix = (exc.problem, exc.fix) if isinstance(exc, UserError) else \
                (str(exc), "Your answers so far are saved.")
            self._emit(ErrorRaised(message=problem, fix=fix))
        except BaseException as exc:  # Ctrl+C, SIGTERM: stop here, but leave the session resumable
            self.error = exc
            raise
        finally:
            self.source.stop()
            self._stt_pool.shutdown(wait=False, cancel_futures=True)
            self._prep_pool.shutdown(wait=False, cancel_futures=True)
            self.summary = self.recorder.finish(self._started_at, close=self.error is None)
            self._emit(StateChanged(state=State.FINISHED))
            self._emit(Finished(summary=self.summary))
        return self.summary

    # -- one question ----------------------------------------------------------------------------
    def _run_question(self, index: int, question: Question) -> None:
        prompt = render_prompt(question, self.config.project_title)
        self._emit(QuestionAsked(index=index, total=len(self.questions), id=question.id, prompt=prompt,
                                 category=question.category, target_seconds=question.target_seconds,
                                 key_points=[{"id": kp.id, "label": kp.label} for kp in question.key_points]))
        # While the question is spoken: load the sentence model and read this question's key
        # points, so the first plan made from the answer takes milliseconds, not half a second.
        self._prep_pool.submit(text_analysis, question, question.prompt)
        spoken = self.voice.say(prompt, Line.QUESTION, audio=self._voiced_in_advance(prompt))
        if index + 1 < len(self.questions):  # voiced while this one is answered: no gap after the ack
            upcoming = render_prompt(self.questions[index + 1], self.config.project_title)
            self._next_question = (upcoming, self.voice.synthesize(upcoming))
        thread = Thread(question)
        kind, asked = "answer", (prompt, None, "bank")
        clarifying: list[str] = []
        stt_prompt = build_prompt(question.prompt, question.all_cues()[:20])
        while True:
            spoken = self._after_speaking(spoken)
            if spoken.command is Command.SKIP:
                return
            spec = Speculation(self.policy, thread, self.voice.synthesize, self._prep_pool, llm=self.llm,
                               seed=self.listener.turns + 1)
            target = asked[1] if kind == "follow_up" else None
            turn = self.listener.listen(stt_prompt, spec, lambda n, kind=kind, target=target: self.recorder.spool(
                n, kind, question.id, target), spoken.barged)
            if turn is None:
                return  # skipped
            text = turn.transcript.text
            if not text:
                self.recorder.record_now(question, kind, asked, turn)
                if kind == "answer" and turn.end.cause is EndCause.NO_SPEECH and index + 1 < len(self.questions):
                    self.voice.say(NO_ANSWER, Line.ACK)
                return
            plan = self.policy.plan(thread, text)
            prepared = turn.prepared if turn.prepared is not None and turn.prepared.holds_for(plan, text) else None
            t0 = time.monotonic()
            heard = heard_words(turn.transcript.words)
            decision = prepared.decision if prepared else self.policy.word(
                plan, thread, text, seed=self.listener.turns, budget_s=Listener.REPLY_DUE_S, heard=heard)
            reply = self._reply_timings(turn, decision, prepared, t0)
            self._emit(Decided(kind=decision.kind, text=decision.text, targets=decision.targets,
                               source=decision.source, prepared=prepared is not None, attempts=decision.attempts))
            audio = prepared.audio if prepared else None
            if plan.kind is PlanKind.CLARIFY:
                thread.clarifications += 1
                clarifying.append(text)
                self.recorder.record_now(question, "clarification", asked, turn)
                spoken = self.voice.say(decision.text, Line.CLARIFICATION, source="rubric", audio=audio)
                asked = (decision.text, asked[1], "rubric")
                continue
            pending = self.recorder.analyse_later(question, kind, asked, turn, clarifying=clarifying)
            thread.answers.append(text)
            thread.heard |= heard
            try:
                spoken = self._reply(index, plan, decision, audio, lambda t: pending.reply_started(
                    {**reply, "audio_ready_after_turn_end_s": max(0.0, t - turn.timings["turn_end_at"])}))
            finally:
                pending.reply_started(reply)  # no reply (last question, or ended): stored all the same
            pending.result()
            if spoken is None:
                return
            thread.asked(decision)
            thread.redirected |= plan.kind is PlanKind.REDIRECT
            kind, asked = "follow_up", (decision.text, decision.targets, decision.source)

    def _reply(self, index: int, plan: Plan, decision, audio, on_start) -> Spoken | None:
        """Say the reply. None when the dialogue on this question is over."""
        if plan.kind is PlanKind.MOVE_ON:
            if index + 1 < len(self.questions):
                self.voice.say(decision.text, Line.ACK, source=decision.source, audio=audio, on_start=on_start)
            return None
        line = Line.REDIRECT if plan.kind is PlanKind.REDIRECT else Line.FOLLOW_UP
        return self.voice.say(decision.text, line, source=decision.source, targets=decision.targets, audio=audio,
                              on_start=on_start)

    @staticmethod
    def _reply_timings(turn: Turn, decision, prepared, decided_from: float) -> dict:
        if prepared is not None:
            return {}
        timings = {"decide_s": time.monotonic() - decided_from}
        if decision.first_token_s is not None:
            timings["first_token_after_turn_end_s"] = decided_from + decision.first_token_s - turn.timings["turn_end_at"]
        return timings

    def _after_speaking(self, spoken: Spoken) -> Spoken:
        """A line cut by Pause: wait, then say it again (or act on what ended the pause)."""
        while spoken.command is Command.PAUSE:
            self._emit(StateChanged(state=State.PAUSED))
            command = self.commands.wait_resume()
            if command is Command.SKIP:
                return Spoken(command=Command.SKIP)
            spoken = self.voice.say(self.voice.last_line[0], Line.REPEAT, remember=False)
        return spoken

    def _voiced_in_advance(self, prompt: str):
        ready, self._next_question = self._next_question, None
        if ready is None or ready[0] != prompt:
            return None
        try:
            return ready[1].result(timeout=30)
        except Exception:
            log.warning("the next question's voice was not ready; synthesizing it now")
            return None
