"""Small text helpers shared by the brain and the analysis: tokens, stems, sentences."""

from __future__ import annotations

import re

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")

STOPWORDS = frozenset(
    "a an the and or but if of to in on at by for with from as is are was were be been being it its this that these "
    "those i you he she we they me my your our their them his her do does did so than then there here what which who "
    "whom how why when where can could would should will shall may might must not no yes about into over under up down "
    "out just also very really more most some any each other such only own same too s t".split()
)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def stem(word: str) -> str:
    """A light suffix stripper: enough that 'regularizing' meets 'regularization'."""
    w = word.lower()
    for suffix in ("izations", "ization", "isations", "isation", "ations", "ation", "ings", "ing", "ities", "ity",
                   "ness", "ments", "ment", "ies", "ied", "ers", "er", "ed", "es", "ly", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            if suffix in ("ing", "ings", "ed", "er", "ers") and len(w) >= 4 and w[-1] == w[-2] and w[-1] not in "lsz":
                w = w[:-1]  # overfitting, embedded -> overfit, embed
            break
    if w.endswith("iz") or w.endswith("is"):
        w = w[:-2] if len(w) > 5 else w
    return w


def content_stems(text: str) -> list[str]:
    return [stem(t) for t in tokens(text) if t not in STOPWORDS]


def phrase_in(phrase: str, text_stems: set[str]) -> bool:
    """Every content word of `phrase` (stemmed) occurs in the text's stems."""
    wanted = content_stems(phrase)
    return bool(wanted) and all(w in text_stems for w in wanted)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text.strip()) if s.strip()]


def jaccard(a: str, b: str) -> float:
    sa, sb = set(content_stems(a)), set(content_stems(b))
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)
