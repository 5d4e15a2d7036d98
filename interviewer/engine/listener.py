"""Listening to one answer: voice activity, end of turn, streaming transcription, the
recording on disk, and a microphone that goes away and comes back.

`listen()` returns a `Turn` (or None when the candidate skipped the question). While the
candidate talks, each newly transcribed stretch is offered to the speculation, which
prepares the reply in the background.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Executor

import numpy as np

from ..audio.sources import DeviceLost
from ..speech.streaming import StreamingTranscriber
from .commands import Command, Commands
from .events import ErrorRaised, Final, LevelChanged, Line, Partial, State, StateChanged, TurnEnded
from .ports import AudioSource, AudioWriter, Transcriber, Vad
from .speculation import Speculation
from .turn import EndCause, Signal, TurnDetector, TurnEvent, TurnSettings
from .values import Turn
from .voice import InterviewerVoice

log = logging.getLogger(__name__)

PARTIAL_EVERY_S = 0.5


class Listener:
    # A reply decided after the turn ended (nothing prepared fitted) is due at once: the
    # prepared one is waited for at most this long before it is asked to hurry.
    REPLY_DUE_S = 0.35

    def __init__(self, *, source: AudioSource, transcriber: Transcriber, vad: Vad, settings: TurnSettings,
                 commands: Commands, emit: Callable, voice: InterviewerVoice, stt_pool: Executor) -> None:
        self.source = source
        self.transcriber = transcriber
        self.vad = vad
        self.settings = settings
        self.commands = commands
        self.emit = emit
        self.voice = voice
        self.stt_pool = stt_pool
        self.turns = 0

    def listen(self, stt_prompt: str, spec: Speculation, spool: Callable[[int], AudioWriter | None],
               preroll: list[np.ndarray] | None = None) -> Turn | None:
        """One answer; `spool(turn number)` gives where its audio is recorded."""
        self.turns += 1
        pending = list(preroll or [])
        if not pending:
            self.source.drain()
        self.source.cue("listen")
        self.vad.reset()
        detector = TurnDetector(self.settings)
        stream = StreamingTranscriber(self.transcriber, prompt=stt_prompt, executor=self.stt_pool)
        spool = spool(self.turns)
        self.emit(StateChanged(state=State.LISTENING))
        started = time.monotonic()
        settled = interims = 0
        last_partial, last_partial_at = "", 0.0
        end: TurnEvent | None = None
        while end is None:
            command = self.commands.take()
            if command is Command.PAUSE:
                command = self._pause()
            if command is Command.DONE:
                end = detector.done()
                break
            if command is Command.SKIP:
                log.info("question skipped by the candidate")
                spec.discard()
                stream.close()
                if spool is not None:
                    spool.discard()
                return None
            if command is Command.REPEAT and self.voice.last_line:
                spoken = self.voice.say(self.voice.last_line[0], Line.REPEAT, remember=False)
                pending.extend(spoken.barged or [])  # talked over the repeat: the answer goes on
                self.emit(StateChanged(state=State.LISTENING))
                continue
            try:
                frame = pending.pop(0) if pending else self.source.read(timeout=0.2)
            except DeviceLost as exc:
                if not self._recover(exc):
                    end = TurnEvent(Signal.END, detector.t, "microphone lost", EndCause.DEVICE_LOST)
                continue
            if frame is None or frame.size == 0:
                continue
            prob = self.vad(frame)
            voiced = prob >= (self.settings.speech_off if detector.speaking else self.settings.speech_on)
            if spool is not None:
                spool.write(frame)
            stream.add(frame, voiced)
            self.emit(LevelChanged(value=self.source.level, voiced=voiced))
            for ev in detector.feed(prob):
                log.info("turn %d: %s at %.2f s (%s)", self.turns, ev.kind.value, ev.t, ev.reason)
                if ev.kind is Signal.SPECULATE:
                    # A pause: transcribe what was said up to it now, so the reply can be ready
                    # before patience runs out (the poll below offers it once transcribed).
                    stream.close_segment()
                    patience = self.settings.thinking_patience_s if detector.thinking else self.settings.patience_s
                    spec.due_at = time.monotonic() + max(0.0, patience - detector.silence_s)
                elif ev.kind is Signal.RESUME:
                    spec.due_at = None
                elif ev.kind is Signal.END:
                    end = ev
                    if ev.cause is EndCause.PATIENCE:
                        stream.wait_pending(timeout=3.0)
                        if detector.reconsider(stream.partial_text()):
                            log.info("turn %d: end taken back: the last words were a thinking phrase", self.turns)
                            end = None
            if stream.settled_count() > settled or stream.interims > interims:
                settled, interims = stream.settled_count(), stream.interims
                spec.offer(stream.provisional())
            now = time.monotonic()
            if now - last_partial_at > PARTIAL_EVERY_S:
                last_partial_at = now
                text = stream.partial_text()
                detector.note_transcript(text)
                if text != last_partial:
                    last_partial = text
                    self.emit(Partial(text=text))
        return self._finish(detector, end, stream, spool, spec, started)

    def _finish(self, detector: TurnDetector, end: TurnEvent, stream: StreamingTranscriber, spool, spec: Speculation,
                started: float) -> Turn:
        turn_end_at = time.monotonic()
        timings: dict = {"turn_end_at": turn_end_at, "listen_s": turn_end_at - started,
                         "manual_done": end.cause is EndCause.MANUAL}
        if detector.last_speech_end is not None:
            timings["speech_end_to_turn_end_s"] = max(0.0, detector.t - detector.last_speech_end)
        self.emit(TurnEnded(cause=end.cause, reason=end.reason))
        self.emit(StateChanged(state=State.THINKING))
        spec.hold(True)  # the final transcription is what the reply waits for: it gets the CPU
        try:
            transcript = stream.finish()
        finally:
            spec.hold(False)
        timings["final_transcript_after_turn_end_s"] = time.monotonic() - turn_end_at
        audio_path = None
        if spool is not None:
            closed = spool.close()
            audio_path = str(closed) if closed else None
        stream.close()
        prepared = spec.take(transcript, deadline=turn_end_at + self.REPLY_DUE_S)
        timings["speculative_plans"] = spec.plans
        timings["used_prepared"] = prepared is not None
        if prepared is not None:
            timings.update({f"prepared_{k}": v for k, v in prepared.timings.items()})
        self.emit(Final(text=transcript.text, words=transcript.to_dict()["words"]))
        return Turn(transcript, audio_path, end, prepared, timings)

    def _pause(self) -> Command:
        """Hold the microphone until the candidate resumes; what was said meanwhile is not the answer."""
        self.emit(StateChanged(state=State.PAUSED))
        self.source.hold(True)
        try:
            command = self.commands.wait_resume()
        finally:
            self.source.hold(False)
        self.source.drain()
        self.emit(StateChanged(state=State.LISTENING))
        return command

    def _recover(self, exc: DeviceLost) -> bool:
        """Keep what was said, pause with a message, and reopen the device on Resume."""
        log.warning("audio device lost: %s", exc.problem)
        self.emit(ErrorRaised(message=exc.problem, fix=exc.fix))
        self.emit(StateChanged(state=State.PAUSED))
        self.commands.wait_resume()
        try:
            self.source.start()
        except Exception as exc2:
            log.warning("reopening the microphone failed: %s", exc2)
            self.emit(ErrorRaised(message=f"The microphone could not be reopened: {getattr(exc2, 'problem', exc2)}",
                                  fix="Check the microphone in Settings; the session ends with what was recorded."))
            return False
        self.source.drain()
        self.emit(StateChanged(state=State.LISTENING))
        return True
