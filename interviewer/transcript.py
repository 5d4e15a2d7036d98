"""Typed values that flow from speech recognition to analysis, the store and the GUI."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .errors import UserError


# How Whisper writes a filled pause. "hum" is its spelling of an "um" said with the lips
# closed early (seen on espeak voices: "value hum, multi-head"); as a verb it has no place
# in an interview answer.
FILLED_PAUSES = frozenset(
    {"um", "umm", "ummm", "uh", "uhh", "uhm", "er", "erm", "err", "hmm", "hmmm", "hm", "hum", "mm", "mhm", "ah", "ahh", "eh"}
)


def is_filled_pause(text: str) -> bool:
    """A recognised word that is a filled pause ("Um,", "uh...").

    Whisper writes the tail of a split word with a leading hyphen ("Align -er", "trade
    -off"): that "-er" finishes a word, it is not a hesitation."""
    t = text.strip()
    if t.startswith("-"):
        return False
    word = re.sub(r"[^a-z]", "", t.lower())
    # a long hum is written with as many letters as it lasted: "Ummmmm", "uhhhh"
    spellings = {word, re.sub(r"(.)\1+", r"\1", word), re.sub(r"(.)\1+", r"\1\1", word)}
    return not spellings.isdisjoint(FILLED_PAUSES)


# Whisper splits some words in two at a token edge: "trade -off", "gradient -boosted",
# "1 ,000". The second half goes back onto the first, so the text reads as it was said.
_CONTINUES = re.compile(r"^(?:-[A-Za-z0-9]|[,.][0-9])")


def join_words(texts) -> str:
    out = ""
    for t in texts:
        t = t.strip()
        if not t:
            continue
        out += t if out and out[-1].isalnum() and _CONTINUES.match(t) else (" " + t if out else t)
    return out


@dataclass(frozen=True)
class Word:
    """One recognised word. Times are seconds from the start of the answer's audio."""

    text: str
    start: float
    end: float
    probability: float = 1.0


@dataclass
class Transcript:
    words: list[Word] = field(default_factory=list)
    duration_s: float = 0.0
    # Onset and end of speech measured on the audio itself (energy/VAD); Whisper's
    # word timestamps put the first word at 0.0 s, which would skew the pace.
    speech_start: float | None = None
    speech_end: float | None = None
    # Spans of voiced audio that Whisper gave no word for: candidate filled pauses.
    voiced_gaps: list[tuple[float, float]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return join_words(w.text for w in self.words)

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "duration_s": round(self.duration_s, 3),
            "speech_start": self.speech_start,
            "speech_end": self.speech_end,
            "voiced_gaps": [list(g) for g in self.voiced_gaps],
            "words": [
                {"word": w.text, "start": round(w.start, 3), "end": round(w.end, 3), "probability": round(w.probability, 3)}
                for w in self.words
            ],
        }

    @classmethod
    def from_dict(cls, data: dict, source: str = "transcript") -> "Transcript":
        """Accepts this class's own JSON and the common `{words: [{word|text, start, end}]}` form."""
        if not isinstance(data, dict) or not isinstance(data.get("words"), list):
            raise UserError(
                f"{source}: a transcript JSON needs a 'words' list of {{word, start, end}}",
                "Pass audio, or a transcript written by `interviewer transcribe --json`.",
            )
        words = []
        for n, item in enumerate(data["words"]):
            try:
                text = str(item.get("word", item.get("text"))).strip()
                words.append(Word(text, float(item["start"]), float(item["end"]), float(item.get("probability", 1.0))))
            except (AttributeError, KeyError, TypeError, ValueError):
                raise UserError(
                    f"{source}: words[{n}] must have 'word', 'start' and 'end' (seconds)",
                    "Fix that entry of the transcript JSON.",
                ) from None
        duration = float(data.get("duration_s") or (words[-1].end if words else 0.0))
        gaps = [tuple(map(float, g)) for g in data.get("voiced_gaps", [])]
        return cls(words, duration, data.get("speech_start"), data.get("speech_end"), gaps)

    @classmethod
    def load(cls, path: str | Path) -> "Transcript":
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise UserError(f"{path}: not a readable transcript JSON ({exc})", "Check the file.") from None
        return cls.from_dict(data, str(path))


def word_dicts(words: list[Word]) -> list[dict]:
    return [asdict(w) for w in words]
