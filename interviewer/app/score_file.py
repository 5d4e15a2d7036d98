"""Scoring an answer on disk (audio or transcript JSON) against a question file: what
`interviewer score` does."""

from __future__ import annotations

import json
import time
from pathlib import Path

from ..analysis import analyze
from ..content.bank import load_question_file
from ..errors import AudioError, UserError
from ..speech.answers import _default_transcriber, stt_prompt, transcribe_answer
from ..transcript import Transcript

TRANSCRIPT_SUFFIXES = (".json",)


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
        from ..speech.final_pass import FinalPass

        if isinstance(transcriber, FinalPass):  # accurate quality: base, plus its filled pauses
            transcript, info = transcriber.transcribe(audio, stt_prompt(question))
        else:
            transcript, info = transcribe_answer(transcriber, audio, question)
        stt_info = {"source": "audio", "transcribe_s": round(time.perf_counter() - t1, 3), **info}
    result = analyze(question, transcript, audio, audience=audience).to_dict()
    result["input"] = str(path)
    result["question_file"] = str(question_file_path)
    result["stt"] = stt_info
    result["total_s"] = round(time.perf_counter() - t0, 3)
    json.dumps(result)  # fail here, not in the CLI, if anything is not JSON-able
    return result


def format_score(result: dict) -> str:
    """`interviewer score` for a person: the scores with what moved each, the key points by
    label, and the tips (`--json` prints everything)."""
    s = result["scores"]
    lines = [f"Overall {s.get('overall')}  ·  " + "  ".join(f"{k} {s.get(k)}" for k in
                                                         ("clarity", "pacing", "depth", "structure")),
             f"{result.get('duration_s', 0):.0f} s, {result.get('word_count', 0)} words, "
             f"{result.get('wpm') or 0:.0f} words per minute, "
             f"{len(result.get('fillers') or [])} fillers "
             f"({len([f for f in result.get('fillers') or [] if f.get('source') != 'lexical'])} um/uh)",
             ""]
    explanations = result.get("score_explanations") or {}
    for dim in ("clarity", "pacing", "structure"):  # depth: the key points below say it
        for item in ((explanations.get(dim) or {}).get("lowered") or [])[:2]:
            points = f" ({item['points']})" if item.get("points") else ""
            evidence = f": {item['evidence']}" if item.get("evidence") else ""
            lines.append(f"{dim.capitalize()}{points}: {item.get('reason', '')}{evidence}")
    evidence = result.get("key_point_evidence") or []
    for title, want in (("Covered", True), ("Missed", False)):
        points = [e["label"] for e in evidence if bool(e.get("covered")) is want]
        if points:
            lines += ["", f"{title}:"] + [f"  - {p}" for p in points]
    tips = [t for t in result.get("feedback") or [] if isinstance(t, dict) and t.get("area") != "depth"]
    if tips:
        lines += ["", "Tips:"] + [f"  - {t['tip']}" + (f" ({t['evidence']})" if t.get("evidence") else "")
                                  for t in tips[:4]]
    lines += ["", f"Transcript: {result.get('transcript', '')}"]
    return "\n".join(lines)
