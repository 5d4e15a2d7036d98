"""One complete interview turn with no microphone and no display.

The question is spoken by pyttsx3 into a WAV, a recorded answer (espeak-ng, shipped with
the app) is transcribed by faster-whisper, the LLM words a follow-up grounded in what
was missed, and the answer is scored. This is what `interviewer demo` runs, what the
installer's smoke test runs, and what set-up starts on a machine with no screen.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import datetime
from pathlib import Path

import numpy as np

from ..audio import SAMPLE_RATE
from ..audio.io import load_audio, write_wav

log = logging.getLogger(__name__)

DEMO_DIR = Path(__file__).resolve().parents[1] / "demo_data"


def level_dbfs(audio: np.ndarray) -> float:
    rms = float(np.sqrt(np.mean(np.square(audio)))) if audio.size else 0.0
    return round(20 * np.log10(rms), 1) if rms > 0 else -120.0


def _new_demo_dir(parent: Path) -> Path:
    """A folder of its own for this run, private (0700): named by the time, with a random
    tail so two demos started in the same second do not write over each other's files."""
    import tempfile

    from ..paths import _private_dir

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return Path(tempfile.mkdtemp(prefix=f"{stamp}-", dir=_private_dir(parent)))


def run_demo(stt_override: str | None = None, llm_override: str | None = None, out_dir: Path | None = None,
             settings=None, progress=lambda msg: None) -> dict:
    from ..analysis import score_answer
    from ..content.bank import load_question_file
    from ..dialogue.lead_in import heard_words
    from ..dialogue.wording import Interviewer
    from ..engine.policy import Policy, Thread
    from ..llm.worker import LlmSettings, LlmWorker
    from ..models.registry import active_paths, discover
    from ..paths import data_dir
    from ..speech.stt import SttSettings, Transcriber, build_prompt
    from ..speech.tts import Speaker, Voice

    timings: dict[str, float] = {}
    t_all = time.perf_counter()
    out_dir = Path(out_dir) if out_dir else _new_demo_dir(data_dir() / "demo")
    out_dir.mkdir(parents=True, exist_ok=True)

    stt_path, llm_path = active_paths(stt_override, llm_override, settings)
    models = {m.kind: m.to_dict() for m in discover(stt_override, llm_override, settings) if m.active}
    question = load_question_file(DEMO_DIR / "question.yaml")

    # The LLM loads in its own thread while speech is synthesized and transcribed.
    progress("loading the language model in the background")
    llm = LlmWorker(llm_path, LlmSettings.from_settings(settings)).start()
    brain = Interviewer(llm)

    progress("speaking the question")
    t0 = time.perf_counter()
    speaker = Speaker(Voice(rate=getattr(settings, "speech_rate", 175) if settings else 175))
    try:
        q_audio = speaker.synthesize(question.prompt).result(timeout=60)
    finally:
        speaker.close()
    q_wav = write_wav(out_dir / "question.wav", q_audio)
    timings["tts_s"] = time.perf_counter() - t0

    progress("transcribing the recorded answer")
    t0 = time.perf_counter()
    transcriber = Transcriber(stt_path, SttSettings(cpu_threads=getattr(settings, "stt_threads", 2)))
    answer_audio = load_audio(DEMO_DIR / "answer.wav")
    a_wav = write_wav(out_dir / "answer.wav", answer_audio)
    transcript = transcriber.transcribe(answer_audio, prompt=build_prompt(question.prompt, question.all_cues()[:20]))
    timings["stt_load_s"] = transcriber.load_seconds or 0.0
    timings["stt_s"] = time.perf_counter() - t0

    progress("scoring the answer")
    t0 = time.perf_counter()
    analysis = score_answer(question, transcript, answer_audio)
    timings["analysis_s"] = time.perf_counter() - t0

    progress("asking the LLM for a follow-up")
    t0 = time.perf_counter()
    llm.wait_loaded()
    timings["llm_load_s"] = llm.load_seconds or 0.0
    policy, thread = Policy(brain, max_follow_ups=2, pushes_back=False), Thread(question)
    decision = policy.word(policy.plan(thread, transcript.text), thread, transcript.text,
                           heard=heard_words(transcript.words))
    llm.close()
    timings["follow_up_s"] = time.perf_counter() - t0
    timings["total_s"] = time.perf_counter() - t_all

    result = {
        "question": {"id": question.id, "prompt": question.prompt, "category": question.category},
        "question_audio": {
            "path": str(q_wav),
            "duration_s": round(q_audio.size / SAMPLE_RATE, 2),
            "level_dbfs": level_dbfs(q_audio),
        },
        "answer_audio": {"path": str(a_wav), "duration_s": round(answer_audio.size / SAMPLE_RATE, 2)},
        "transcript": transcript.text,
        "words": transcript.to_dict()["words"],
        "follow_up": {
            "text": decision.text,
            "targets": decision.targets,
            "source": decision.source,
            "lead_in": decision.lead_in,
            "samples": len(decision.attempts),
        },
        "key_points": analysis["key_points"],
        "key_point_labels": {kp.id: kp.label for kp in question.key_points},
        "scores": analysis["scores"],
        "feedback": analysis["feedback"],
        "provisional": analysis.get("provisional", False),
        "models": {k: {"name": v["name"], "path": v["path"]} for k, v in models.items()},
        "timings_s": {k: round(v, 3) for k, v in timings.items()},
        "output_dir": str(out_dir),
    }
    (out_dir / "result.json").write_text(json.dumps(result, indent=2))
    return result


def format_demo(result: dict) -> str:
    s = result["scores"]
    labels = result.get("key_point_labels") or {}

    def named(ids) -> str:  # key points by label, never by id
        if isinstance(ids, str):
            ids = [ids]
        return "; ".join(labels.get(i, i) for i in ids or []) or "none"

    lines = [
        f"Question ({result['question']['category']}): {result['question']['prompt']}",
        f"  spoken by pyttsx3 -> {result['question_audio']['path']} ({result['question_audio']['duration_s']} s, "
        f"{result['question_audio']['level_dbfs']} dBFS)",
        "",
        f"Answer ({result['answer_audio']['duration_s']} s), transcribed:",
        f"  {result['transcript']}",
        "",
        f"Key points covered: {named(result['key_points']['covered'])}",
        f"Key points missed:  {named(result['key_points']['missed'])}",
        "Scores: " + ", ".join(f"{k} {v}" for k, v in s.items()) + (" (provisional)" if result.get("provisional") else ""),
        "",
        f"Interviewer follow-up ({result['follow_up']['source']}, on {named(result['follow_up']['targets'])}):",
        f"  {result['follow_up']['text']}",
        "",
        "Timings: " + ", ".join(f"{k} {v:.2f}" for k, v in result["timings_s"].items()),
        f"Saved in {result['output_dir']}",
    ]
    return "\n".join(lines)
