"""bench_analysis(): how long analysing a 10-minute answer takes once it is transcribed."""

from __future__ import annotations

import platform
import statistics
import time

import numpy as np

from ..audio import SAMPLE_RATE
from ..content.bank import Question
from ..transcript import Transcript, Word

_SENTENCES = [
    "Let me start with the two sources of error in a model.",
    "Bias is the error you get when the model is too simple, so it underfits the data.",
    "Um, variance is how much the model changes when you train it on a different sample.",
    "If the model is very flexible, it chases every quirk of the training set and overfits.",
    "For example, ninety five percent training accuracy but seventy percent on validation means high variance.",
    "I would compare the training error with the validation error, like, on a learning curve.",
    "Then I would add regularization, get more data, or use bagging, because each of them limits the variance.",
    "Uh, you know, the total error is bias squared plus variance plus irreducible noise.",
    "So there is a sweet spot in the middle, and I think I would pick it with cross-validation.",
    "In short, pick the complexity where the validation error is lowest.",
]

BENCH_QUESTION = {
    "id": "bench-bias-variance",
    "category": "fundamentals",
    "target_seconds": 600,
    "prompt": "Explain the bias-variance trade-off and how it guides the choice of model complexity.",
    "key_points": [
        {"id": "bias_def", "label": "Bias is error from overly simple assumptions (underfitting)", "cues": ["high bias", "underfit", "too simple"]},
        {"id": "variance_def", "label": "Variance is sensitivity to the particular training sample (overfitting)", "cues": ["high variance", "overfit", "memorize"]},
        {"id": "tradeoff", "label": "More complexity lowers bias but raises variance", "cues": ["trade-off", "bias squared", "sweet spot"]},
        {"id": "diagnosis", "label": "Diagnose with training versus validation error or learning curves", "cues": ["learning curve", "validation error"]},
        {"id": "remedies", "label": "Remedies - regularization, more data, ensembles", "cues": ["regularization", "more data", "bagging"]},
    ],
}


def synthetic_answer(minutes: float = 10.0, wpm: float = 150.0, seed: int = 0) -> tuple[Transcript, np.ndarray]:
    """A long answer with word timestamps and matching audio.

    Each sentence is one continuous voiced stretch whose pitch glides and whose loudness
    pulses at a syllable rate (as running speech does, with no silence between words);
    held hums stand where a filler was dropped; every 13th sentence is followed by a
    2.5 s silence."""
    rng = np.random.default_rng(seed)
    total = minutes * 60.0
    step = 60.0 / wpm
    sr = SAMPLE_RATE
    words: list[Word] = []
    audio = np.zeros(int(total * sr), dtype=np.float32)
    t = 0.4
    k = 0
    while t < total - 8.0:
        sentence = _SENTENCES[k % len(_SENTENCES)].split()
        s0 = t
        for raw in sentence:
            words.append(Word(raw, round(t, 3), round(t + step, 3), 0.9))
            t += step
        a, b = int(s0 * sr), int(t * sr)
        tt = np.arange(b - a) / sr
        f0 = 115 + 25 * np.sin(2 * np.pi * 0.7 * tt + rng.random() * 6) + 10 * rng.random()
        phase = 2 * np.pi * np.cumsum(f0) / sr
        formant = 1.0 + 0.8 * np.sin(2 * np.pi * 4.5 * tt)  # spectral shape changes like phonemes
        sig = np.sin(phase) + 0.5 * formant * np.sin(2 * phase) + 0.3 * (2 - formant) * np.sin(3 * phase) + 0.2 * np.sin(5 * phase)
        env = 0.55 + 0.45 * np.sin(2 * np.pi * 4.0 * tt) ** 2
        audio[a:b] += (0.25 * sig * env).astype(np.float32)
        k += 1
        t += 0.3
        if k % 7 == 0:  # a held "uhh" Whisper did not transcribe
            a, n = int((t + 0.1) * sr), int(0.45 * sr)
            tt = np.arange(n) / sr
            hum = sum(np.sin(2 * np.pi * 120 * h * tt) / h for h in (1, 2, 3))
            audio[a : a + n] += (0.2 * hum * np.hanning(n)).astype(np.float32)
            t += 0.7
        if k % 13 == 0:
            t += 2.5
    audio += (rng.standard_normal(audio.size) * 1e-4).astype(np.float32)
    return Transcript(words, total), audio


def _bench_meaning(question: Question, minutes: float) -> dict:
    """What recognising key points by meaning costs when no sentence is cached yet.

    The timed runs above repeat ten sentences, so after the warm-up their embeddings come from
    the cache (as in a live interview, where each pass re-reads the same answer). Here every
    sentence is new: a whole 10-minute answer embedded at once, then one more sentence.
    """
    from ..errors import ModelError
    from ..analysis.embed import Embedder
    from ..analysis.report import analyze
    from ..analysis import embed

    try:
        fresh = Embedder()
    except ModelError as e:
        return {"available": False, "why": str(e)}
    saved = embed._shared
    embed._shared = fresh
    try:
        step = 60.0 / 150.0
        words, t, k = [], 0.4, 0
        while t < minutes * 60.0 - 8.0:
            for raw in f"{_SENTENCES[k % len(_SENTENCES)][:-1]}, as in case {k + 1}.".split():
                words.append(Word(raw, round(t, 3), round(t + step, 3), 0.9))
                t += step
            k += 1
        t0 = time.perf_counter()
        analyze(question, Transcript(words, minutes * 60.0))
        cold = (time.perf_counter() - t0) * 1000.0
        units = fresh.calls
        more = words + [Word(w, t + i * step, t + (i + 1) * step, 0.9) for i, w in enumerate("And one more thing: I would also monitor the validation error.".split())]
        t0 = time.perf_counter()
        analyze(question, Transcript(more, minutes * 60.0 + 5.0))
        one_more = (time.perf_counter() - t0) * 1000.0
    finally:
        embed._shared = saved
    return {"available": True, "sentences": k, "texts_embedded": units, "cold_ms": round(cold, 1),
            "one_more_sentence_ms": round(one_more, 1)}


def bench_analysis(repeats: int = 7, minutes: float = 10.0) -> dict:
    from ..analysis.report import analyze

    question = Question.model_validate(BENCH_QUESTION)
    transcript, audio = synthetic_answer(minutes)
    analyze(question, transcript, audio)  # warm caches (compiled question, stems)
    with_audio, text_only = [], []
    result = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = analyze(question, transcript, audio)
        with_audio.append((time.perf_counter() - t0) * 1000.0)
        t0 = time.perf_counter()
        analyze(question, transcript, None)
        text_only.append((time.perf_counter() - t0) * 1000.0)

    def stats(xs: list[float]) -> dict:
        xs = sorted(xs)
        p90 = xs[min(len(xs) - 1, int(round(0.9 * (len(xs) - 1))))]
        return {"median_ms": round(statistics.median(xs), 2), "p90_ms": round(p90, 2), "min_ms": round(xs[0], 2), "max_ms": round(xs[-1], 2)}

    meaning = _bench_meaning(question, minutes)
    return {
        "benchmark": "analysis",
        "answer_minutes": minutes,
        "words": len(transcript.words),
        "audio_samples": int(audio.size),
        "repeats": repeats,
        "with_audio": stats(with_audio),
        "transcript_only": stats(text_only),
        "target_ms": 100.0,
        "meets_target": statistics.median(with_audio) < 100.0,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "meaning": meaning,
        "sanity": {
            "wpm": result.wpm if result else None,
            "pauses": len(result.pauses) if result else None,
            "filled_pauses": result.extra.get("filled_pauses") if result else None,
            "covered": result.key_points["covered"] if result else None,
        },
    }
