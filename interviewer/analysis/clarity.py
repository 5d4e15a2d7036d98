"""Clarity: filled pauses, lexical fillers judged in context, hedges, repetitions, long
sentences, and jargon left unexplained."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..transcript import Word
from .lexicon import JARGON
from .text import Token, quote

# "like" is a verb or a preposition after these; after anything else, with a comma, it is filler
_LIKE_VERB_BEFORE = frozenset(
    "i you we they people users customers would 'd do don't didn't does doesn't really also to who which that might may".split()
)
_LIKE_COMPARE_BEFORE = frozenset(
    "look looks looked looking sound sounds seem seems feel feels felt something anything nothing things stuff just exactly more much "
    "less bit lot behaves behave act acts works work is it's was are were be been".split()
)
_YOU_KNOW_OBJECT_AFTER = frozenset("that what how the if when why about where which whether who a an this your it".split())
_I_MEAN_OBJECT_AFTER = frozenset("that it the to this is".split())
_KIND_OF_NOUN_BEFORE = frozenset("a the what this that some any one every which same different another each".split())

HEDGE_PHRASES: tuple[tuple[str, ...], ...] = (
    ("i", "think"), ("i", "guess"), ("i", "believe"), ("i", "suppose"), ("maybe",), ("perhaps",), ("probably",),
    ("possibly",), ("i'm", "not", "sure"), ("not", "sure"), ("i", "feel", "like"), ("somewhat",), ("might", "be"),
    ("sort", "of"), ("kind", "of"), ("more", "or", "less"), ("i", "would", "say"),
)
_HEDGES_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _seq in HEDGE_PHRASES:
    _HEDGES_BY_FIRST.setdefault(_seq[0], []).append(_seq)
EXPLAIN_MARKERS: tuple[tuple[str, ...], ...] = (
    ("which", "is"), ("which", "means"), ("that", "is"), ("i", "e"), ("meaning",), ("stands", "for"), ("refers", "to"),
    ("in", "other", "words"), ("means",), ("is", "when"), ("is", "a"), ("is", "an"), ("is", "the"), ("are", "the"),
    ("called",), ("basically",), ("where", "you"), ("where", "we"), ("which", "are"), ("that", "are"), ("is", "how"),
)
LONG_SENTENCE_WORDS = 40
FILLER_POINTS = 1.0  # clarity points per filler, on top of the per-minute rate
# Past FILLER_PENALTY_KNEE the filler penalty keeps growing, more slowly, towards the knee
# plus FILLER_PENALTY_TAIL: a hard cap at 40 gave 6 and 9 fillers in the same half minute
# the same clarity (55 and 55).
FILLER_PENALTY_KNEE, FILLER_PENALTY_TAIL = 40.0, 30.0


@dataclass
class Finding:
    word: str
    start: float
    quote: str
    kind: str = ""

    def to_dict(self) -> dict:
        d = {"word": self.word, "start": round(self.start, 2), "quote": self.quote}
        if self.kind:
            d["kind"] = self.kind
        return d


@dataclass
class ClarityResult:
    filled_pauses: list[dict]
    lexical_fillers: list[Finding]
    hedges: list[Finding]
    repetitions: list[Finding]
    long_sentences: list[dict]
    jargon: list[dict]
    score: int
    raised: list[dict] = field(default_factory=list)
    lowered: list[dict] = field(default_factory=list)


def _at(tokens: list[Token], i: int, seq: tuple[str, ...]) -> bool:
    return tuple(t.norm for t in tokens[i : i + len(seq)]) == seq


def _prev(tokens: list[Token], i: int) -> Token | None:
    return tokens[i - 1] if i > 0 else None


def _starts_clause(tokens: list[Token], i: int) -> bool:
    p = _prev(tokens, i)
    return p is None or p.sentence_end or p.comma_after or p.filled_pause


def lexical_fillers(tokens: list[Token], words: list[Word]) -> list[Finding]:
    """'like', 'you know', 'basically', 'actually', 'I mean', 'sort of' where they carry nothing."""
    out: list[Finding] = []
    n = len(tokens)
    for i, t in enumerate(tokens):
        if t.filled_pause:
            continue
        p = _prev(tokens, i)
        nxt = tokens[i + 1] if i + 1 < n else None
        q = lambda: quote(words, t.word, t.word)  # noqa: E731
        if t.norm == "like":
            comma_around = t.comma_after or (p is not None and p.comma_after) or (nxt is not None and nxt.filled_pause)
            if p is not None and p.norm in _LIKE_VERB_BEFORE and not comma_around:
                continue  # "I like gradient boosting", "you would like to"
            if p is not None and p.norm in _LIKE_COMPARE_BEFORE and not comma_around:
                continue  # "looks like", "something like"
            if nxt is not None and (nxt.is_number or nxt.norm in ("a", "an", "the")) and not comma_around and p is not None and not p.comma_after:
                continue  # "like a funnel", "like 50 ms": a comparison or an estimate
            if comma_around or _starts_clause(tokens, i) or (p is not None and p.norm in ("and", "but", "so", "just", "it's", "was")):
                out.append(Finding("like", t.start, q(), "lexical"))
        elif t.norm == "you" and nxt is not None and nxt.norm == "know":
            after = tokens[i + 2] if i + 2 < n else None
            if p is not None and p.norm in ("do", "did", "if", "don't", "as", "would", "to", "will"):
                continue  # "do you know", "as you know"
            if after is not None and after.norm in _YOU_KNOW_OBJECT_AFTER and not nxt.comma_after:
                continue  # "you know that the loss..."
            out.append(Finding("you know", t.start, q(), "lexical"))
        elif t.norm == "basically" or t.norm == "literally":
            out.append(Finding(t.norm, t.start, q(), "lexical"))
        elif t.norm == "actually":
            if _starts_clause(tokens, i) or t.comma_after:
                out.append(Finding("actually", t.start, q(), "lexical"))
        elif t.norm == "i" and nxt is not None and nxt.norm == "mean":
            after = tokens[i + 2] if i + 2 < n else None
            if p is not None and p.norm in ("what", "if", "do", "did", "don't"):
                continue  # "what I mean is"
            if after is not None and after.norm in _I_MEAN_OBJECT_AFTER and not nxt.comma_after:
                continue
            out.append(Finding("I mean", t.start, q(), "lexical"))
    return out


def hedges(tokens: list[Token], words: list[Word]) -> list[Finding]:
    out: list[Finding] = []
    i = 0
    while i < len(tokens):
        hit = None
        for seq in _HEDGES_BY_FIRST.get(tokens[i].norm, ()):
            if _at(tokens, i, seq):
                if seq in (("sort", "of"), ("kind", "of")):
                    p = _prev(tokens, i)
                    if p is not None and p.norm in _KIND_OF_NOUN_BEFORE:
                        continue  # "a kind of feature selection" names a kind
                hit = seq
                break
        if hit:
            out.append(Finding(" ".join(hit), tokens[i].start, quote(words, tokens[i].word, tokens[i + len(hit) - 1].word), "hedge"))
            i += len(hit)
        else:
            i += 1
    return out


_OK_REPEATS = frozenset({"that", "had", "very", "really", "no", "bye", "yes", "two", "four", "many", "more", "so"})


def repetitions(tokens: list[Token], words: list[Word]) -> list[Finding]:
    """Words or short phrases said twice in a row: 'the the', 'I think I think' (restarts)."""
    out: list[Finding] = []
    toks = [t for t in tokens if not t.filled_pause]
    i = 0
    while i < len(toks):
        found = 0
        for n in (3, 2, 1):
            a = [t.norm for t in toks[i : i + n]]
            b = [t.norm for t in toks[i + n : i + 2 * n]]
            if len(a) == n and a == b and not (n == 1 and (a[0] in _OK_REPEATS or toks[i].is_number)):
                if toks[i + n - 1].sentence_end:
                    continue
                out.append(Finding(" ".join(a), toks[i].start, quote(words, toks[i].word, toks[i + 2 * n - 1].word), "repetition"))
                found = 2 * n
                break
        i += found or 1
    return out


def long_sentences(views, words: list[Word]) -> list[dict]:
    out = []
    for v in views:
        if len(v.tokens) > LONG_SENTENCE_WORDS:
            out.append(
                {
                    "start": round(v.tokens[0].start, 2),
                    "words": len(v.tokens),
                    "quote": quote(words, v.tokens[0].word, v.tokens[0].word, context=0, limit=12),
                }
            )
    return out


def jargon(views, words: list[Word]) -> list[dict]:
    """First use of each technical term or acronym, and whether the sentence unpacks it."""
    seen: dict[str, dict] = {}
    for v in views:
        norms = [t.norm for t in v.tokens]
        for i, t in enumerate(v.tokens):
            raw = words[t.word].text.strip(".,;:!?\"'()")
            acronym = len(raw) >= 2 and raw.isupper() and raw.isalpha() and raw not in ("I", "OK", "AI")
            term = t.norm
            if not (term in JARGON or acronym) or term in seen or len(term) < 2:
                continue
            window = norms[max(0, i - 3) : i + 10]
            explained = any(
                any(tuple(window[j : j + len(m)]) == m for j in range(len(window) - len(m) + 1)) for m in EXPLAIN_MARKERS
            )
            seen[term] = {
                "term": raw if acronym else term,
                "start": round(t.start, 2),
                "explained": explained,
                "quote": quote(words, t.word, t.word),
            }
    return list(seen.values())


def score_clarity(
    filled: list[dict],
    lexical: list[Finding],
    hedge_list: list[Finding],
    reps: list[Finding],
    longs: list[dict],
    terms: list[dict],
    minutes: float,
    audience: str,
) -> tuple[int, list[dict], list[dict]]:
    raised, lowered = [], []
    minutes = max(minutes, 0.25)
    score = 100.0
    n_fillers = len(filled) + len(lexical)
    filler_rate = n_fillers / minutes
    examples = sorted([(f["start"], f["word"]) for f in filled] + [(f.start, f.word) for f in lexical])
    ev = ", ".join(f"'{w}' at {fmt_time(s)}" for s, w in examples[:4])
    # Every filler costs a little, so the score falls with each one (a rate threshold alone
    # let a long answer with three "um"s tie with the clean one); past 2 per minute, where
    # listeners start to notice, the rate costs much more; past the knee each further filler
    # still costs something.
    pen = FILLER_POINTS * n_fillers + max(0.0, filler_rate - 2.0) * 5.0
    if pen > FILLER_PENALTY_KNEE:
        pen = FILLER_PENALTY_KNEE + FILLER_PENALTY_TAIL * math.tanh((pen - FILLER_PENALTY_KNEE) / 80.0)
    if filler_rate > 2.0:
        score -= pen
        lowered.append({"reason": f"{n_fillers} fillers, {filler_rate:.1f} per minute (listeners notice above about 5)", "evidence": ev, "points": -round(pen)})
    else:
        score -= pen
        raised.append({"reason": f"few fillers ({filler_rate:.1f} per minute)", "evidence": ev or "none found", "points": -round(pen)})
    hedge_rate = len(hedge_list) / minutes
    if hedge_rate > 2.0:
        pen = min(15.0, (hedge_rate - 2.0) * 3.0)
        score -= pen
        lowered.append({"reason": f"{len(hedge_list)} hedges ({hedge_rate:.1f} per minute)", "evidence": "; ".join(f"'{h.word}' at {fmt_time(h.start)}" for h in hedge_list[:3]), "points": -round(pen)})
    elif hedge_list:
        pass
    else:
        raised.append({"reason": "stated things directly (no hedges)", "evidence": "none found", "points": 0})
    if len(reps) > 1:
        pen = min(12.0, 3.0 * (len(reps) - 1))
        score -= pen
        lowered.append({"reason": f"{len(reps)} repetitions or restarts", "evidence": "; ".join(f"'{r.quote}' at {fmt_time(r.start)}" for r in reps[:3]), "points": -round(pen)})
    if longs:
        pen = min(15.0, 5.0 * len(longs))
        score -= pen
        lowered.append({"reason": f"{len(longs)} very long sentence(s) (over {LONG_SENTENCE_WORDS} words)", "evidence": "; ".join(f"{s['words']} words from {fmt_time(s['start'])}: '{s['quote']}'" for s in longs[:2]), "points": -round(pen)})
    # Only a non-expert listener needs the terms unpacked. An ML interviewer shares the
    # vocabulary: docking "precision" and "recall" left unexplained read as a wrong mark (seen
    # in a fraud case answer), and naming a point without explaining it is depth's to judge.
    unexplained = [t for t in terms if not t["explained"]] if audience == "non_expert" else []
    pen = min(30.0, 5.0 * len(unexplained))
    if pen:
        score -= pen
        lowered.append({"reason": f"{len(unexplained)} technical terms used without explanation" + (" for a non-expert listener" if audience == "non_expert" else ""), "evidence": ", ".join(f"'{t['term']}' at {fmt_time(t['start'])}" for t in unexplained[:4]), "points": -round(pen)})
    explained = [t for t in terms if t["explained"]]
    if explained:
        raised.append({"reason": f"explained {len(explained)} technical term(s)", "evidence": ", ".join(f"'{t['term']}' at {fmt_time(t['start'])}" for t in explained[:3]), "points": 0})
    return int(round(max(0.0, min(100.0, score)))), raised, lowered


def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    m, s = divmod(max(0.0, float(seconds)), 60)
    return f"{int(m)}:{s:04.1f}"
