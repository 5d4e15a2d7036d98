"""Tokens, light stemming and sentences over a timed transcript.

Every token remembers which recognised word it came from, so any finding can quote the
words around it and give the time they were said.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..content.text import stem  # noqa: F401  (the scoring stemmer lives with the other text helpers)
from ..transcript import Transcript, Word, is_filled_pause, join_words  # noqa: F401  (is_filled_pause is re-exported)


STOPWORDS = frozenset(
    """a an the and or but if then so of to in on at by for with from as into onto over under about than
    is are was were be been being am do does did done have has had having it its it's this that these those
    there their they them we our us you your i me my he she his her not no yes can could would should will
    shall may might must just also very really quite more most less much many some any each every all both
    which who whom what when where why how while because since until also too up down out off again still
    i'm i'd i'll i've we're we'll we'd you're you'd they're that's there's let let's get got one""".split()
)

_TOKEN = re.compile(r"[a-z]+\d+[a-z]*|\d+(?:[.,]\d+)*%?|[a-z]+(?:'[a-z]+)?", re.IGNORECASE)
_END = re.compile(r"[.!?]+[\"')\]]*$")


@dataclass(frozen=True)
class Token:
    norm: str  # lower case, as said
    stem: str
    word: int  # index into the transcript's words
    start: float
    end: float
    comma_after: bool  # the recognised word ended with , ; : or a dash
    sentence_end: bool  # ... or with . ! ?
    is_number: bool
    filled_pause: bool


def split_word(text: str) -> list[str]:
    """'trade-off' -> ['trade', 'off']; '95%' -> ['95', 'percent'] (as said, so "percent"
    cues match what Whisper writes as a sign); 'A/B' -> ['a', 'b']."""
    out = []
    for m in _TOKEN.finditer(text.replace("-", " ").replace("/", " ")):
        part = m.group(0).lower()
        out.extend((part[:-1], "percent") if part.endswith("%") else (part,))
    return out


def tokenize(words: list[Word]) -> list[Token]:
    out: list[Token] = []
    for i, w in enumerate(words):
        raw = w.text.strip()
        parts = split_word(raw)
        if not parts:
            continue
        tail = raw.rstrip("\"')]")
        sent_end = bool(_END.search(tail))
        comma = tail.endswith((",", ";", ":", "-", "\u2014"))
        fp = is_filled_pause(raw)
        for j, p in enumerate(parts):
            last = j == len(parts) - 1
            out.append(
                Token(
                    norm=p,
                    stem=stem(p),
                    word=i,
                    start=w.start,
                    end=w.end,
                    comma_after=comma and last,
                    sentence_end=sent_end and last,
                    is_number=p[0].isdigit(),
                    filled_pause=fp,
                )
            )
    return out


@dataclass
class Sentence:
    first: int  # token index, inclusive
    last: int  # token index, exclusive
    start: float
    end: float

    def __len__(self) -> int:
        return self.last - self.first


def sentences(tokens: list[Token], max_gap_s: float = 1.0) -> list[Sentence]:
    """Split at sentence punctuation, and at long silences when the recogniser gave none."""
    out: list[Sentence] = []
    begin = 0
    for i, t in enumerate(tokens):
        boundary = t.sentence_end
        if not boundary and i + 1 < len(tokens):
            nxt = tokens[i + 1]
            boundary = nxt.word != t.word and nxt.start - t.end >= max_gap_s and i + 1 - begin >= 3
        if boundary or i == len(tokens) - 1:
            out.append(Sentence(begin, i + 1, tokens[begin].start, t.end))
            begin = i + 1
    return out


def quote(transcript_words: list[Word], first_word: int, last_word: int, context: int = 3, limit: int = 14) -> str:
    """The words from first_word to last_word (inclusive) with a little context, as said."""
    lo = max(0, first_word - context)
    hi = min(len(transcript_words), max(last_word + 1 + context, lo + 1))
    if hi - lo > limit:
        hi = lo + limit
    text = join_words(w.text for w in transcript_words[lo:hi])
    return ("..." if lo > 0 else "") + text + ("..." if hi < len(transcript_words) else "")


def transcript_from_text(text: str, wpm: float = 150.0, start: float = 0.0) -> Transcript:
    """Evenly timed words for typed answers (the `follow-up --answer-text` path) and tests."""
    words = []
    t = start
    step = 60.0 / wpm
    for raw in text.split():
        words.append(Word(raw, round(t, 3), round(t + step * 0.85, 3)))
        t += step
        if _END.search(raw):
            t += 0.3
    duration = round(t + 0.5, 3)
    return Transcript(words, duration, speech_start=start if words else None, speech_end=words[-1].end if words else None)
