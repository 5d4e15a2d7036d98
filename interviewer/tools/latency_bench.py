"""`interviewer bench latency`: recorded answers replayed in real time through the whole engine.

Per turn it measures, from the moment the end-of-turn decision is made: the final
transcript, the LLM's first token and the interviewer's first audio ready to play;
and from the end of speech (patience included) to that audio. Half the turns end on
patience, the other half on a manual "done" pressed as the candidate stops talking,
alternating between first answers (a follow-up must be chosen and worded) and
follow-up answers (the interviewer moves on).
"""

from __future__ import annotations

import logging
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from ..errors import UserError

log = logging.getLogger(__name__)

# Partial spoken answers for bank questions: each misses key points, so a follow-up follows.
ANSWERS = [
    ("fund-bias-variance", "Bias is the error of a model that is too simple, so it underfits the data. Variance is "
     "when the model is too sensitive to the training set and it overfits."),
    ("fund-l1-vs-l2", "L2 regularization adds the squared weights to the loss, which shrinks all the weights "
     "smoothly toward zero and helps against overfitting."),
    ("fund-cross-validation", "In k fold cross validation you split the data into k parts, train on k minus one "
     "and validate on the remaining part, then average the scores."),
    ("fund-class-imbalance", "When one class is rare, accuracy is misleading, so I would look at precision and "
     "recall instead of accuracy."),
    ("fund-random-forest", "A random forest trains many decision trees and averages their predictions, which "
     "reduces variance compared with one deep tree."),
]
FOLLOW_UP_ANSWER = ("I would also check it on a held out validation set and compare the numbers before deciding, "
                    "and keep the simplest option that works.")


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _stats(values: list[float]) -> dict:
    vals = [v for v in values if v is not None]
    return {"n": len(vals), "median_ms": round(1000 * statistics.median(vals), 1) if vals else None,
            "p90_ms": round(1000 * percentile(vals, 0.9), 1) if vals else None,
            "max_ms": round(1000 * max(vals), 1) if vals else None}


def _espeak(text: str, path: Path, wpm: int = 160) -> Path:
    exe = shutil.which("espeak-ng") or shutil.which("espeak")
    if not exe:
        raise UserError("espeak-ng is needed to make the benchmark's recorded answers",
                        "Install it: `sudo apt-get install espeak-ng`.")
    raw = path.with_suffix(".raw.wav")
    subprocess.run([exe, "-s", str(wpm), "-w", str(raw), text], check=True, capture_output=True)
    from ..audio.io import load_audio, write_wav

    write_wav(path, load_audio(raw))
    raw.unlink()
    return path


class _TimedTranscriber:
    """Wraps the real transcriber to total its compute time against audio seconds."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.audio_s = 0.0
        self.compute_s = 0.0

    def transcribe(self, audio, **kw):
        t0 = time.perf_counter()
        out = self.inner.transcribe(audio, **kw)
        self.compute_s += time.perf_counter() - t0
        self.audio_s += audio.size / 16000
        return out


def bench_latency(turns: int = 10, stt_override=None, llm_override=None, settings=None) -> dict:
    from ..audio.playback import SilentPlayer
    from ..audio.sources import FileSource
    from ..content.bank import load_bank
    from ..llm.worker import LlmSettings, LlmWorker
    from ..models.registry import active_paths
    from ..engine import InterviewSession, LevelChanged, SessionConfig
    from ..speech.stt import Transcriber
    from ..speech.tts import Speaker

    stt_path, llm_path = active_paths(stt_override, llm_override, settings)
    bank = load_bank(include_user=False)
    n_questions = max(1, (turns + 1) // 2)
    picks = [ANSWERS[i % len(ANSWERS)] for i in range(n_questions)]
    questions = [bank.get(qid) for qid, _ in picks]
    work = Path(tempfile.mkdtemp(prefix="interviewer-bench-"))
    clips = []
    for i, (_qid, text) in enumerate(picks):
        clips.append(_espeak(text, work / f"answer{i}.wav"))
        clips.append(_espeak(FOLLOW_UP_ANSWER, work / f"followup{i}.wav"))

    t0 = time.perf_counter()
    transcriber = Transcriber(stt_path)
    transcriber.warmup()
    llm = LlmWorker(llm_path, LlmSettings.from_settings(settings)).start()
    llm.wait_loaded()
    load_s = time.perf_counter() - t0
    timed = _TimedTranscriber(transcriber)
    source = FileSource(clips)
    speaker = Speaker()
    session = None
    manual_turns: set[int] = set()

    def on_event(event):
        # Every other turn, the candidate presses Done the moment they stop talking: the follow-up
        # answer for one question, the first answer (which needs a follow-up decided) for the next.
        i = source.clip_index
        if isinstance(event, LevelChanged) and session is not None and (i + i // 2) % 2 == 1 \
                and len(source.speech_end_times) == source.clip_index + 1 and source.clip_index not in manual_turns:
            manual_turns.add(source.clip_index)
            session.done()

    # Answers are kept as WAV files, as in a real interview (keep_audio), so the acoustic
    # analysis and, at stt_quality "accurate", the background final pass run as they would.
    answers_dir = work / "answers"
    answers_dir.mkdir()
    from ..config import Settings
    from ..speech.final_pass import for_settings

    settings = settings or Settings()
    quality = settings.stt_quality
    final_passes = for_settings(settings)
    session = InterviewSession(SessionConfig(max_follow_ups=1), questions=questions, transcriber=timed,
                               speaker=speaker, player=SilentPlayer(speed=4.0), source=source, llm=llm,
                               on_event=on_event, audio_dir=answers_dir, final_passes=final_passes)
    wall = time.perf_counter()
    session.run()
    wall = time.perf_counter() - wall
    speaker.close()
    llm.close()
    shutil.rmtree(work, ignore_errors=True)

    recs = [r for r in session.records if r.transcript.get("text")]
    per_turn = []
    for r in recs:
        t = r.timings
        first_token = 0.0 if t.get("used_prepared") else t.get("first_token_after_turn_end_s")
        audio_ready = t.get("audio_ready_after_turn_end_s")
        per_turn.append({
            "question": r.question_id, "kind": r.kind, "end": "manual" if t.get("manual_done") else "patience",
            "used_prepared_reply": t.get("used_prepared"),
            "speculative_plans": t.get("speculative_plans"),
            "turn_end_to_final_transcript_s": round(t.get("final_transcript_after_turn_end_s", 0), 3),
            "turn_end_to_first_token_s": None if first_token is None else round(max(0.0, first_token), 3),
            "turn_end_to_audio_ready_s": None if audio_ready is None else round(audio_ready, 3),
            "speech_end_to_audio_ready_s": None if audio_ready is None else
            round(t.get("speech_end_to_turn_end_s", 0) + audio_ready, 3),
            "prepared": {k[len("prepared_"):]: round(v, 3) for k, v in t.items()
                         if k.startswith("prepared_") and isinstance(v, float)},
        })

    def col(key, end=None):
        return [p[key] for p in per_turn if p[key] is not None and (end is None or p["end"] == end)]

    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "turns": len(per_turn),
        "models": {"stt": str(stt_path), "llm": str(llm_path)},
        "patience_s": session.config.turn.patience_s,
        "patience_ended": {
            "turn_end_to_final_transcript": _stats(col("turn_end_to_final_transcript_s", "patience")),
            "turn_end_to_first_token": _stats(col("turn_end_to_first_token_s", "patience")),
            "turn_end_to_audio_ready": _stats(col("turn_end_to_audio_ready_s", "patience")),
            "speech_end_to_audio_ready": _stats(col("speech_end_to_audio_ready_s", "patience")),
        },
        "manual_done": {
            "turn_end_to_final_transcript": _stats(col("turn_end_to_final_transcript_s", "manual")),
            "turn_end_to_first_token": _stats(col("turn_end_to_first_token_s", "manual")),
            "turn_end_to_audio_ready": _stats(col("turn_end_to_audio_ready_s", "manual")),
        },
        "all_turns": {
            "turn_end_to_final_transcript": _stats(col("turn_end_to_final_transcript_s")),
            "turn_end_to_first_token": _stats(col("turn_end_to_first_token_s")),
            "turn_end_to_audio_ready": _stats(col("turn_end_to_audio_ready_s")),
        },
        "prepared_reply_used": sum(1 for p in per_turn if p["used_prepared_reply"]),
        "follow_ups_asked": sum(1 for r in session.records if r.kind == "follow_up"),
        "follow_ups_worded_by_llm": sum(1 for r in session.records if r.kind == "follow_up" and r.source == "llm"),
        "transcription_rtf": round(timed.compute_s / timed.audio_s, 3) if timed.audio_s else None,
        "stt_quality": quality,
        "final_pass_wait_at_end_s": round(final_passes.waited_s, 2) if final_passes else 0.0,
        "final_pass_analyses": sum(1 for r in session.records if r.analysis and (r.analysis.get("stt") or {}).get("quality") == "accurate"),
        "model_load_s": round(load_s, 2),
        "session_wall_s": round(wall, 1),
        "peak_rss_mb": round(peak_rss_mb, 1),
        "per_turn": per_turn,
    }
