"""The scripted demo: one question, answered from recordings, with one follow-up.

The first answer is the recording shipped in `interviewer/demo_data/answer.wav` (it
covers bias, variance and diagnosis, and misses the rest, so the interviewer follows
up). The second is synthesized with espeak-ng at run time, when it is installed, and
covers what the first one missed; without espeak-ng the first recording is reused.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

log = logging.getLogger(__name__)

# What the demo interview runs with; Home shows exactly these while in the demo.
DEMO_OPTIONS = {"format": "fundamentals", "n_questions": 1, "minutes": None, "difficulties": [1], "mode": "study",
                "persona": None, "project_title": None, "max_follow_ups": 1}

SECOND_ANSWER = (
    "To fix overfitting I would first add regularization, then get more training data, and try an ensemble "
    "such as bagging, with early stopping. More complexity lowers bias but raises variance, so the total "
    "error is bias squared plus variance plus irreducible noise, and the sweet spot is in between."
)


def demo_dir() -> Path:
    from .demo import DEMO_DIR

    return DEMO_DIR


def demo_question():
    from ..content.bank import load_question_file

    return load_question_file(demo_dir() / "question.yaml")


def synthesize(text: str, path: Path, wpm: int = 150) -> Path | None:
    """espeak-ng into a 16 kHz WAV, or None when espeak-ng is missing or fails."""
    exe = shutil.which("espeak-ng") or shutil.which("espeak")
    if exe is None:
        return None
    raw = path.with_suffix(".raw.wav")
    try:
        subprocess.run([exe, "-v", "en-us", "-s", str(wpm), "-w", str(raw), text], check=True,
                       capture_output=True, timeout=60)
        from ..audio.io import load_audio, write_wav

        write_wav(path, load_audio(raw))
        return path
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("could not synthesize the demo answer: %s", exc)
        return None
    finally:
        raw.unlink(missing_ok=True)


def demo_answers() -> list[Path]:
    """The WAVs the demo answers with (runs espeak-ng once, then reuses the file)."""
    from ..paths import cache_dir

    first = demo_dir() / "answer.wav"
    second = cache_dir() / "demo-answer-2.wav"
    if not second.exists() and synthesize(SECOND_ANSWER, second) is None:
        return [first, first]
    return [first, second]
