"""The final transcription that feeds the scores and the report.

Two qualities (Settings.stt_quality, `--stt-quality`):
  standard  tiny.en only: the live transcript is the final one.
  accurate  Whisper base (embedded, joined from two PyPI parts) transcribes each answer
            again in the background while the interview goes on, and a second,
            disfluency-prompted base pass puts back the filled pauses Whisper drops
            (interviewer.speech.fillers). tiny.en still streams and plans the reply, so
            the interviewer answers as fast as before.

Measured figures are in SECONDS_PER_MINUTE (see `interviewer bench stt`) and README.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np

from ..audio import SAMPLE_RATE
from ..transcript import Transcript, is_filled_pause
from . import fillers

log = logging.getLogger(__name__)

QUALITIES = ("standard", "accurate")
DEFAULT_QUALITY = "accurate"
# Seconds of compute per minute of answer on 2 shared cores (warm model): `interviewer bench
# stt`, "long_answer_seconds_per_minute" (a 63 s answer; the short clips cost more per minute,
# since every window is padded to 30 s). Accurate went from about 5 to 9 with the gap pass
# (fillers.suspect_gaps), and to about 10 when the filler prompt reached every window
# (measured directly on the same answer: 8.6-9.2 before, 10.1-10.4 after; it found 4 fillers,
# not 2). Two bench runs since: 11.3 and 8.5 (the 2 shared cores are noisy).
# The GUI shows these next to the choice.
SECONDS_PER_MINUTE = {"standard": 1.4, "accurate": 10.0}
# 1.0: a penalty (1.1) stopped base's "uh, uh, ..." loops on mfa_uhuh but also dropped a
# real second "um" in the tuning monologue; stt.Transcriber collapses loops instead.
FILLER_REPETITION_PENALTY = 1.0
# The filler passes (disfluency-prompted, and the suspect gaps) keep faster-whisper's Silero VAD
# filter, which the words pass no longer has (stt.SttSettings.vad_filter): they only add fillers
# next to the words pass's words, so speech it drops costs a filler at most, and with it they
# found more on the tuning answers (espeak inline 46 -> 49 of 54, the 76 s real answer 2 -> 3 of 3).
FILLER_VAD = True
# The final pass yields the CPU to the live pipeline (streaming tiny.en, the LLM, TTS).
BACKGROUND_NICE = 10


def cost_seconds_per_minute(quality: str) -> float:
    """Seconds of compute that one minute of answer costs at this quality (for the GUI)."""
    check_quality(quality)
    return SECONDS_PER_MINUTE[quality]


def check_quality(quality: str) -> str:
    if quality not in QUALITIES:
        from ..errors import UserError

        raise UserError(f"Unknown speech-recognition quality {quality!r}",
                        f"Use one of: {', '.join(QUALITIES)} (--stt-quality or stt_quality in the settings file).")
    return quality


def accurate_model_path() -> Path | None:
    """The embedded base model folder, joined on first use; None when it is not installed."""
    from .embedded_base import ensure_joined

    return ensure_joined()


def scoring_transcriber(settings, stt_override: str | None, standard_factory):
    """What transcribes an answer that is to be scored: a FinalPass at accurate quality
    (base, or the model the user named), else whatever `standard_factory()` builds."""
    quality = check_quality(getattr(settings, "stt_quality", DEFAULT_QUALITY))
    if quality == "standard":
        return standard_factory()
    return FinalPass(stt_override or None, threads=getattr(settings, "stt_threads", 2))


class FinalPass:
    """Base-model transcription of whole answers, plus the filled-pause pass.

    `transcribe()` runs in the caller's thread; `submit()` runs it on one background
    thread at a lower CPU priority. The model loads lazily on first use (about 1 s).
    """

    def __init__(self, model_path: str | Path | None = None, *, threads: int = 2, find_fillers: bool = True,
                 filler_model_path: str | Path | None = None) -> None:
        from ..errors import ModelError
        from .embedded_base import PIP_NAMES
        from .stt import SttSettings, Transcriber

        _limit_heap_growth()
        path = Path(model_path) if model_path else accurate_model_path()
        if path is None:
            raise ModelError(
                "The accurate final pass needs the embedded Whisper base model, which is not installed",
                f"Install it with `.venv/bin/pip install {PIP_NAMES}`, or use `--stt-quality standard`.",
            )
        self.transcriber = Transcriber(path, SttSettings(cpu_threads=threads, encoder_cache=8))
        # The disfluency-prompted pass: the same model unless another is named.
        self.filler_transcriber = Transcriber(filler_model_path, SttSettings(cpu_threads=threads)) \
            if filler_model_path else self.transcriber
        self.find_fillers = find_fillers
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()

    @property
    def model_path(self) -> Path:
        return self.transcriber.model_path

    def warmup(self) -> None:
        self.transcriber.warmup()

    def transcribe(self, audio: np.ndarray, prompt: str | None = None) -> tuple[Transcript, dict]:
        """(transcript with filled pauses put back, info). `prompt`: the question's vocabulary."""
        from .answers import speech_coverage

        audio = np.asarray(audio, dtype=np.float32).reshape(-1)
        t0 = time.perf_counter()
        self.transcriber.clear_encoder_cache()  # only this answer's windows can match
        plain = self.transcriber.transcribe(audio, prompt=prompt, carry_text=True)
        info: dict = {"model": "base", "prompt": prompt, "retried": False}
        if prompt:
            # same rule as the live path: a prompt that made the model skip speech is dropped
            cov = speech_coverage(plain, audio)
            info["coverage"] = round(cov, 3)
            if cov < 0.9:
                second = self.transcriber.transcribe(audio, carry_text=True)
                info["retried"] = True
                if speech_coverage(second, audio) > cov + 0.02:
                    plain, info["prompt"] = second, None
        info["plain_s"] = round(time.perf_counter() - t0, 3)
        if not self.find_fillers or not plain.words:
            return plain, info
        t1 = time.perf_counter()
        prompted = self.filler_transcriber.transcribe(audio, prompt=fillers.FILLER_PROMPT, prompt_every_window=True,
                                                      repetition_penalty=FILLER_REPETITION_PENALTY, vad_filter=FILLER_VAD)
        found = fillers.aligned_fillers(plain.words, prompted.words)
        in_gaps, n_gaps = self._gap_fillers(audio, plain, [w for w, _i in found])
        added = [*(w for w, _i in found), *in_gaps]
        info["fillers_s"] = round(time.perf_counter() - t1, 3)
        info["fillers_added"] = len(added)
        info["gaps_decoded"] = n_gaps
        self.transcriber.clear_encoder_cache()
        info["total_s"] = round(time.perf_counter() - t0, 3)
        info["audio_s"] = round(audio.size / SAMPLE_RATE, 3)
        replaced = {i for _w, i in found if i is not None}
        return fillers.merge(plain, added, replaced), info

    def _gap_fillers(self, audio: np.ndarray, plain: Transcript, found: list) -> tuple[list, int]:
        """(fillers, gaps decoded): the suspect gaps (fillers.suspect_gaps) decoded again with
        the disfluency prompt; `found`: the fillers the whole-answer passes already have."""
        known = [*found, *(w for w in plain.words if is_filled_pause(w.text))]
        gaps = fillers.suspect_gaps(audio, plain.words, known)
        windows = [fillers.gap_window(g, audio.size / SAMPLE_RATE) for g in gaps]
        new: list = []
        for collage, placed in fillers.gap_collages(audio, windows):
            decoded = self.filler_transcriber.transcribe(collage, prompt=fillers.FILLER_PROMPT, check_speech=False,
                                                         repetition_penalty=FILLER_REPETITION_PENALTY,
                                                         vad_filter=FILLER_VAD).words
            for k, at in placed:
                length = windows[k][1] - windows[k][0]
                mine = [w for w in decoded if at <= (w.start + w.end) / 2 < at + length]
                new += fillers.fillers_in_gap(mine, windows[k][0] - at, gaps[k], [*known, *new])
        return new, len(gaps)

    def submit(self, audio: np.ndarray, prompt: str | None = None) -> Future:
        """transcribe() on the background thread; the Future gives (transcript, info)."""
        with self._pool_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="final-pass",
                                                initializer=_lower_priority)
        return self._pool.submit(self.transcribe, audio, prompt)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)


_HEAP_LIMITED = False


def _limit_heap_growth() -> None:
    """Give large freed buffers back to the OS (glibc only; a no-op elsewhere).

    glibc raises its mmap threshold each time a big block is freed, so the mel spectrograms
    and decoder buffers of each pass end up on the heap and stay resident; with one more
    model decoding in another thread, the bench's peak RSS went from 782 MB to 1039 MB.
    A fixed 1 MB threshold and two malloc arenas took a tiny.en + base process from
    560 MB to 441 MB peak (476 to 340 MB after a 100 s answer), at no measurable speed cost.
    """
    global _HEAP_LIMITED
    if _HEAP_LIMITED:
        return
    _HEAP_LIMITED = True
    try:
        import ctypes
        import ctypes.util

        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        m_mmap_threshold, m_arena_max = -3, -8
        libc.mallopt(m_mmap_threshold, 1 << 20)
        libc.mallopt(m_arena_max, 2)
    except (OSError, AttributeError):  # not glibc (macOS, Windows, musl): nothing to tune
        pass


def _lower_priority() -> None:
    """Nice this thread (Linux nices threads one by one; CTranslate2's workers, created when
    the model loads here, inherit it), so the live turn keeps the CPU it needs."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICE)
    except (AttributeError, OSError):  # not on Windows; not allowed: run at normal priority
        pass


# -- the interview's final passes ----------------------------------------------------------
# The engine's recorder schedules one per analysed answer and finishes them before the
# summary. The live turn keeps tiny.en's analysis (the reply, the follow-up assessment and
# study-mode feedback need it at once); the base transcript and its analysis replace it in
# the records (and the history) once ready, so the scores and the report come from the
# accurate pass.


def for_settings(settings, *, audience: str = "interviewer") -> "FinalPasses | None":
    """The session's final passes at the settings' quality; None at standard quality, or when
    the base model cannot be used (the scores then use the live transcript)."""
    if check_quality(settings.stt_quality) != "accurate":
        return None
    try:
        return FinalPasses(FinalPass(threads=settings.stt_threads), audience=audience)
    except Exception as exc:  # a missing or broken base model must not stop the interview
        log.warning("final pass unavailable, scores use the live transcript: %s", exc)
        return None


class _Job:
    """One answer's accurate pass: the live analysis it replaces, and the accurate one once made."""

    def __init__(self, live: dict, future: Future, question, audio: np.ndarray) -> None:
        self.live, self.future, self.question, self.audio = live, future, question, audio
        self.accurate: dict | None = None
        self.transcript: Transcript | None = None
        self.failed = False
        self.lock = threading.Lock()


class FinalPasses:
    """One session's accurate passes: `schedule()` per analysed answer, `finish()` at the end."""

    def __init__(self, engine: FinalPass, *, audience: str = "interviewer") -> None:
        self.engine = engine
        self.audience = audience
        self.jobs: list[_Job] = []
        self.waited_s = 0.0  # how long the report waited for them (bench latency)

    def schedule(self, question, transcript: Transcript, audio: np.ndarray | None, analysis: dict) -> _Job | None:
        """Start the accurate pass for one analysed answer, in the background. Returns at once:
        the job (for `when_ready`), or None when there is nothing to transcribe again."""
        if audio is None or not transcript.words or analysis.get("no_speech"):
            return None
        from .answers import stt_prompt

        job = _Job(analysis, self.engine.submit(audio, stt_prompt(question)), question, audio)
        self.jobs.append(job)
        return job

    def when_ready(self, job: _Job, callback) -> None:
        """Call `callback(accurate analysis)` as soon as the job's pass is done (on the pass's
        thread), so study-mode feedback shows the scores the report will show. Not called
        when the pass fails: the live analysis then stands, and was already shown."""

        def done(_future) -> None:
            accurate = self._accurate(job)
            if accurate is not None:
                callback(accurate)

        job.future.add_done_callback(done)

    def _accurate(self, job: _Job, timeout_s: float | None = None) -> dict | None:
        """The job's accurate analysis, made once (the callback and finish() may both ask)."""
        from ..analysis import score_answer

        with job.lock:
            if job.accurate is None and not job.failed:
                try:
                    transcript, info = job.future.result(timeout=timeout_s)
                    accurate = score_answer(job.question, transcript, job.audio, audience=self.audience,
                                            follow_up_on=job.live.get("follow_up_on"),
                                            probe=bool(job.live.get("follow_up_probe")))
                except Exception as exc:
                    log.warning("final pass failed for %s; keeping the live analysis: %s", job.question.id, exc)
                    job.failed = True
                    return None
                _carry_clarifying_credit(job.live, accurate)
                accurate["stt"] = {"quality": "accurate", **info}
                accurate["live_transcript"] = job.live.get("transcript", "")
                job.accurate, job.transcript = accurate, transcript
            return job.accurate

    def finish(self, records: list, store=None, session_id: str | None = None, timeout_s: float = 300.0) -> int:
        """Wait for the passes and put their analyses in place of the live ones (the same dict
        objects, so every record that holds one sees it); the history gets them too. Returns
        how many were replaced. Call it once every live analysis is recorded."""
        replaced = 0
        t0 = time.monotonic()
        deadline = t0 + timeout_s
        for job in self.jobs:
            accurate = self._accurate(job, timeout_s=max(0.0, deadline - time.monotonic()))
            if accurate is None:
                continue
            live = job.live
            live.clear()
            live.update(accurate)
            replaced += 1
            for index, rec in enumerate(records):
                if rec.analysis is live:
                    rec.transcript = job.transcript.to_dict()
                    _update_store(store, session_id, index, rec.transcript, live)
        self.engine.close()
        self.waited_s = time.monotonic() - t0
        return replaced


def _update_store(store, session_id: str | None, turn_index: int, transcript: dict, analysis: dict) -> None:
    """History shows what the report showed: the stored turn gets the accurate analysis too."""
    if store is None or session_id is None:
        return
    try:
        store.update_answer_analysis(session_id, turn_index, transcript, analysis)
    except Exception:  # the in-memory report stands; History keeps the live analysis
        log.exception("could not store the accurate analysis of turn %d", turn_index)


def _carry_clarifying_credit(live: dict, accurate: dict) -> None:
    """The live analysis may credit a clarifying question asked before the answer
    (analysis.structure.credit_clarifying_questions); the accurate one keeps that credit."""
    for e in (live.get("structure") or {}).get("elements", []):
        if "clarifying question" in (e.get("markers") or []):
            from ..analysis.structure import credit_clarifying_questions

            asked = str(e.get("evidence", "")).removeprefix("asked: '").rstrip("'")
            credit_clarifying_questions(accurate, [asked])
            return
