"""Transcription that keeps up with the candidate.

The answer is cut into segments at short pauses (VAD), and each closed segment is
transcribed once, in the background, while the candidate goes on talking. When the
turn ends only the last segment is left to do, so the final transcript, with word
timestamps, is ready a few hundred milliseconds later whatever the answer's length.
Closed segments drop their audio once transcribed (the full answer is spooled to disk),
so memory does not grow with the answer.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from ..audio import SAMPLE_RATE
from ..transcript import Transcript, Word

log = logging.getLogger(__name__)


@dataclass
class _Segment:
    start: int  # sample offset in the answer
    chunks: list
    future: Future | None = None
    audio_len: int = 0


class StreamingTranscriber:
    def __init__(self, transcriber, *, prompt: str = "", executor: ThreadPoolExecutor | None = None,
                 pause_s: float = 0.45, max_segment_s: float = 25.0, interim_every_s: float = 4.0) -> None:
        self.transcriber = transcriber
        self.prompt = prompt
        self._executor = executor or ThreadPoolExecutor(max_workers=1, thread_name_prefix="stt")
        self._own_executor = executor is None
        self.pause_frames = 0
        self.pause_limit = pause_s
        self.max_segment = int(max_segment_s * SAMPLE_RATE)
        self.interim_every = int(interim_every_s * SAMPLE_RATE)
        self._segments: list[_Segment] = []
        self._current: _Segment | None = None
        self._samples = 0
        self._silence = 0.0
        self._interim: str = ""
        self._interim_future: Future | None = None
        self._interim_mark = 0
        self._lock = threading.Lock()
        self.version = 0  # bumps whenever new speech arrives: lets a speculative reply know it is stale

    # -- feeding ------------------------------------------------------------------------
    def add(self, frame: np.ndarray, voiced: bool) -> None:
        """One frame, with the VAD's verdict. Called from the engine's audio loop."""
        n = frame.size
        if voiced:
            self.version += 1
            self._silence = 0.0
            if self._current is None:
                # Keep ~0.2 s before the onset: Whisper needs the attack of the first word.
                self._current = _Segment(max(0, self._samples - int(0.2 * SAMPLE_RATE)), [])
                if getattr(self, "_preroll", None) is not None:
                    self._current.chunks.append(self._preroll)
                    self._current.audio_len += self._preroll.size
            self._current.chunks.append(frame)
            self._current.audio_len += n
        else:
            self._silence += n / SAMPLE_RATE
            if self._current is not None:
                self._current.chunks.append(frame)
                self._current.audio_len += n
                # The longer a segment grows, the shorter the gap that closes it (a breath, then the
                # gap between two words), so what is left to transcribe when the turn ends is a
                # few seconds at most: the final pass costs ~0.1 s per second of audio here.
                seconds = self._current.audio_len / SAMPLE_RATE
                gap = self.pause_limit if seconds < 4 else 0.25 if seconds < 8 else 0.12
                if self._silence >= gap:
                    self._close_current()
        # a short ring of recent audio for the next segment's pre-roll
        self._preroll = frame[-int(0.2 * SAMPLE_RATE):] if not voiced else None
        self._samples += n
        if self._current is not None and self._current.audio_len >= self.max_segment:
            self._close_current()
        elif self._current is not None and self._current.audio_len - self._interim_mark >= self.interim_every:
            self._submit_interim()

    def _close_current(self) -> None:
        seg = self._current
        self._current = None
        self._interim_mark = 0
        if seg is None:
            return
        audio = np.concatenate(seg.chunks)
        seg.chunks = []  # audio now lives only in the job (and in the spool on disk)
        context = self._context_text()
        seg.future = self._executor.submit(self._transcribe, audio, context)
        self._segments.append(seg)

    def _context_text(self) -> str:
        done = [s.future.result().text for s in self._segments if s.future is not None and s.future.done()
                and not s.future.exception()]
        return " ".join(" ".join(done).split()[-30:])

    def _transcribe(self, audio: np.ndarray, context: str) -> Transcript:
        prompt = (self.prompt + " " + context).strip() if context else self.prompt
        return self.transcriber.transcribe(audio, prompt=prompt or None)

    def _submit_interim(self) -> None:
        if self._interim_future is not None and not self._interim_future.done():
            return  # one interim at a time: never queue behind ourselves
        seg = self._current
        audio = np.concatenate(seg.chunks)
        self._interim_mark = seg.audio_len

        def job():
            t = self.transcriber.transcribe(audio, prompt=self.prompt or None, word_timestamps=False)
            with self._lock:
                self._interim = t.text
            return t

        self._interim_future = self._executor.submit(job)

    # -- reading ------------------------------------------------------------------------
    def partial_text(self) -> str:
        """What has been understood so far (closed segments plus the current one's interim guess)."""
        done = [s.future.result().text for s in self._segments if s.future.done() and not s.future.exception()]
        with self._lock:
            interim = self._interim if self._current is not None else ""
        return " ".join(t for t in [*done, interim] if t).strip()

    def wait_pending(self, timeout: float = 3.0) -> bool:
        """Wait for closed segments still being transcribed; True when all are done."""
        pending = [s.future for s in self._segments if s.future is not None and not s.future.done()]
        deadline = time.monotonic() + timeout
        for fut in pending:
            try:
                fut.result(timeout=max(0.0, deadline - time.monotonic()))
            except Exception:
                return False
        return True

    @property
    def seconds(self) -> float:
        return self._samples / SAMPLE_RATE

    def finish(self) -> Transcript:
        """Close the open segment and wait for every segment: the answer's final transcript."""
        self._close_current()
        words: list[Word] = []
        for seg in self._segments:
            offset = seg.start / SAMPLE_RATE
            try:
                part = seg.future.result(timeout=120)
            except Exception as exc:
                log.error("a segment failed to transcribe: %s", exc)
                continue
            words.extend(Word(w.text, w.start + offset, w.end + offset, w.probability) for w in part.words)
        return Transcript(words, self._samples / SAMPLE_RATE)

    def snapshot(self) -> tuple[int, Transcript]:
        """(version, transcript so far) without ending the turn: used to prepare a reply speculatively."""
        version = self.version
        self._close_current()
        return version, self.finish_partial()

    def finish_partial(self) -> Transcript:
        words: list[Word] = []
        for seg in list(self._segments):
            offset = seg.start / SAMPLE_RATE
            try:
                part = seg.future.result(timeout=120)
            except Exception:
                continue
            words.extend(Word(w.text, w.start + offset, w.end + offset, w.probability) for w in part.words)
        return Transcript(words, self._samples / SAMPLE_RATE)

    def close(self) -> None:
        if self._own_executor:
            self._executor.shutdown(wait=False, cancel_futures=True)
