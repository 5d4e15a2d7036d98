"""Transcription that keeps up with the candidate.

The answer is cut into segments at short pauses (VAD), shorter ones the longer the
segment has grown, and each closed segment is transcribed once, in the background,
while the candidate goes on talking (the previous segments' last words go into the
prompt). When the turn ends only the last segment is left to do, so the final
transcript, with word timestamps, is ready about half a second later whatever the
answer's length.
Closed segments drop their audio once transcribed (the full answer is spooled to disk),
so memory does not grow with the answer.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from ..audio import SAMPLE_RATE
from ..transcript import Transcript, Word
from .stt import Cancelled

log = logging.getLogger(__name__)


@dataclass
class _Segment:
    start: int  # sample offset in the answer
    chunks: list
    future: Future | None = None
    audio_len: int = 0
    quiet: list = field(default_factory=list)  # per chunk: (voiced, rms), to find where to split


class StreamingTranscriber:
    """`split_after_s`: a stretch of speech with no pause long enough to close it is cut at
    its quietest frame once it is this long (Whisper's window is 30 s).

    Cutting sooner would leave less to transcribe when the turn ends, but it costs far
    more than it saves: the encoder's cost is fixed (~0.3 s here) and decoding adds only
    ~0.02 s per second of audio, while cutting inside speech raised tiny.en's WER on the
    streamed fixture answers from 17.8 % (25 s) to 29.2 % (4 s) and 39.9 % (3 s)."""

    def __init__(self, transcriber, *, prompt: str = "", executor: ThreadPoolExecutor | None = None,
                 pause_s: float = 0.45, max_segment_s: float = 25.0, split_after_s: float = 25.0,
                 split_window_s: float = 1.5, interim_every_s: float = 4.0) -> None:
        self.transcriber = transcriber
        self.prompt = prompt
        self._executor = executor or ThreadPoolExecutor(max_workers=1, thread_name_prefix="stt")
        self._own_executor = executor is None
        self.pause_limit = pause_s
        self.max_segment = int(max_segment_s * SAMPLE_RATE)
        self.split_after = int(min(split_after_s, max_segment_s) * SAMPLE_RATE)
        self.split_window = int(split_window_s * SAMPLE_RATE)
        self._segments: list[_Segment] = []
        self._current: _Segment | None = None
        self._samples = 0
        self._silence = 0.0
        self._preroll: np.ndarray | None = None
        self.splits = 0  # segments cut inside speech (no pause to close them)
        # A quick pass (no word timestamps) over a segment still open after every few seconds of
        # unbroken speech: its text shows live and lets a reply be prepared before the segment
        # closes; the segment itself is transcribed again, for good, when it closes.
        self.interim_every = int(interim_every_s * SAMPLE_RATE)
        self._interim_mark = 0
        self._interim: tuple[_Segment, Transcript] | None = None
        self._interim_future: Future | None = None
        self._interim_cancel = threading.Event()
        self.interims = 0  # interim passes finished: the engine watches it to offer new text

    # -- feeding ------------------------------------------------------------------------
    def add(self, frame: np.ndarray, voiced: bool) -> None:
        """One frame, with the VAD's verdict. Called from the engine's audio loop."""
        n = frame.size
        if voiced:
            self._silence = 0.0
            if self._current is None:
                # Keep ~0.2 s before the onset: Whisper needs the attack of the first word.
                self._current = _Segment(max(0, self._samples - int(0.2 * SAMPLE_RATE)), [])
                if self._preroll is not None:
                    self._append(self._preroll, False)
            self._append(frame, True)
        else:
            self._silence += n / SAMPLE_RATE
            if self._current is not None:
                self._append(frame, False)
                # The longer a segment grows, the shorter the gap that closes it (a breath, then the
                # gap between two words).
                seconds = self._current.audio_len / SAMPLE_RATE
                gap = self.pause_limit if seconds < 4 else 0.25 if seconds < 8 else 0.12
                if self._silence >= gap:
                    self._close_current()
        # a short ring of recent audio for the next segment's pre-roll
        self._preroll = frame[-int(0.2 * SAMPLE_RATE):] if not voiced else None
        self._samples += n
        if self._current is not None and self._current.audio_len >= self.split_after:
            self._split_current()
        elif voiced and self._current is not None and self._current.audio_len - self._interim_mark >= self.interim_every:
            # only while the voice goes on: at a pause the segment may close, or the turn end,
            # and a pass started then would make the final one wait
            self._submit_interim()

    def _submit_interim(self) -> None:
        if self._interim_future is not None and not self._interim_future.done():
            return  # one at a time: never queue behind ourselves
        seg = self._current
        audio = np.concatenate(seg.chunks)
        self._interim_mark = seg.audio_len
        cancel = self._interim_cancel = threading.Event()

        def job():
            t0 = time.perf_counter()
            if cancel.is_set():
                return None
            try:
                out = self.transcriber.transcribe(audio, prompt=self.prompt or None, word_timestamps=False,
                                                  cancel=cancel)
            except Cancelled:
                log.debug("interim pass given up: the turn ended")
                return None
            log.debug("interim pass over %.2f s in %.0f ms", audio.size / SAMPLE_RATE,
                      1000 * (time.perf_counter() - t0))
            self._interim = (seg, out)
            self.interims += 1
            return out

        self._interim_future = self._executor.submit(job)

    def _append(self, chunk: np.ndarray, voiced: bool) -> None:
        self._current.chunks.append(chunk)
        self._current.audio_len += chunk.size
        self._current.quiet.append((voiced, float(np.sqrt(np.mean(np.square(chunk, dtype=np.float64))))
                                    if chunk.size else 0.0))

    def _split_current(self) -> None:
        """Close the segment at the quietest frame of its last `split_window` samples (an unvoiced
        frame first), keeping what follows as the start of the next segment."""
        seg = self._current
        first, acc = len(seg.chunks), 0
        while first > 1 and acc < self.split_window:
            first -= 1
            acc += seg.chunks[first].size
        k = min(range(first, len(seg.chunks)), key=lambda i: (seg.quiet[i][0], seg.quiet[i][1]))
        half = seg.chunks[k].size // 2
        head = _Segment(seg.start, seg.chunks[:k] + [seg.chunks[k][:half]])
        head.audio_len = sum(c.size for c in head.chunks)
        tail = _Segment(seg.start + head.audio_len, [seg.chunks[k][half:]] + seg.chunks[k + 1:],
                        quiet=[seg.quiet[k]] + seg.quiet[k + 1:])
        tail.audio_len = seg.audio_len - head.audio_len
        self.splits += 1
        self._current = head
        self._close_current()
        self._current = tail

    def _close_current(self) -> None:
        seg = self._current
        self._current = None
        self._interim_mark = 0
        if seg is None:
            return
        audio = np.concatenate(seg.chunks)
        seg.chunks, seg.quiet = [], []  # audio now lives only in the job (and in the spool on disk)
        context = self._context_text()
        log.debug("segment closed at %.2f s: %.2f s of audio", self._samples / SAMPLE_RATE, audio.size / SAMPLE_RATE)
        seg.future = self._executor.submit(self._transcribe, audio, context)
        self._segments.append(seg)

    def _context_text(self) -> str:
        done = [s.future.result().text for s in self._segments if s.future is not None and s.future.done()
                and not s.future.exception()]
        return " ".join(" ".join(done).split()[-30:])

    def _transcribe(self, audio: np.ndarray, context: str) -> Transcript:
        prompt = (self.prompt + " " + context).strip() if context else self.prompt
        t0 = time.perf_counter()
        out = self.transcriber.transcribe(audio, prompt=prompt or None)
        log.debug("segment of %.2f s transcribed in %.0f ms", audio.size / SAMPLE_RATE, 1000 * (time.perf_counter() - t0))
        return out

    # -- reading ------------------------------------------------------------------------
    def provisional(self) -> Transcript:
        """The settled transcript plus the latest interim pass over the segment still open."""
        settled = self.settled()
        interim = self._interim
        if interim is None or interim[0] is not self._current or not interim[1].words:
            return settled
        seg, part = interim
        offset = seg.start / SAMPLE_RATE
        words = settled.words + [Word(w.text, w.start + offset, w.end + offset, w.probability) for w in part.words]
        return Transcript(words, offset + part.duration_s)

    def partial_text(self) -> str:
        """What has been understood so far: closed segments, then the open one's interim guess."""
        return self.provisional().text

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
        self._interim_cancel.set()  # an interim pass would delay the last segment's transcription
        self._close_current()
        for seg in self._segments:
            try:
                seg.future.result(timeout=120)
            except Exception as exc:
                log.error("a segment failed to transcribe: %s", exc)
        return self._joined(self._segments, self._samples)

    @staticmethod
    def _joined(segments: list[_Segment], samples: int) -> Transcript:
        """The finished segments' words on the answer's time line."""
        words: list[Word] = []
        for seg in segments:
            fut = seg.future
            if fut is None or not fut.done() or fut.cancelled() or fut.exception() is not None:
                continue
            offset = seg.start / SAMPLE_RATE
            words.extend(Word(w.text, w.start + offset, w.end + offset, w.probability)
                         for w in seg.future.result().words)
        return Transcript(words, samples / SAMPLE_RATE)

    def close_segment(self) -> None:
        """Close the open segment now (the candidate paused): it is transcribed in the background,
        so a reply can be prepared from it while the silence lasts."""
        self._close_current()

    def settled_count(self) -> int:
        """How many closed segments, from the first, are transcribed (cheap: polled per frame)."""
        n = 0
        for seg in self._segments:
            if seg.future is None or not seg.future.done():
                break
            n += 1
        return n

    def settled(self) -> Transcript:
        """The closed segments already transcribed, in order, without waiting: what a
        speculative reply can be prepared from while the candidate talks."""
        done = self._segments[:self.settled_count()]
        end = done[-1].start + done[-1].audio_len if done else 0
        return self._joined(done, end)

    def close(self) -> None:
        if self._own_executor:
            self._executor.shutdown(wait=False, cancel_futures=True)
