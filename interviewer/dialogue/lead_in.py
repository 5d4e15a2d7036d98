"""A lead-in in the candidate's own words: "You said you'd look at accuracy on a test set."

Interviewers build on what was said. The lead-in is a clause of the answer itself, turned
to the second person, so it can only quote the candidate, never put words in their mouth:
no paraphrase, no added claim. A clause qualifies when it reads as a statement on its own
(it starts with a subject, has a few words, no question, no hedge), every word of it was
heard with confidence, and it shares a distinctive word with what the follow-up asks about,
so the two lines belong together. Otherwise there is no lead-in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..content.text import content_stems, sentences

MIN_WORDS, MAX_WORDS = 4, 20

# Spoken padding dropped from the quote: it is how people talk, not what they said.
_FILLERS = re.compile(r"\b(um+|uh+|erm|er|ah|hmm|you know|i mean|kind of|sort of)\b,?\s*|\blike,\s*", re.I)
_OPENERS = re.compile(
    r"^(so|well|okay|ok|right|yeah|yes|and|but|then|also|actually|basically|honestly|first|firstly|second|"
    r"secondly|finally|now|plus|i think|i guess|i'd say|i would say|i believe)\b[,\s]*", re.I)
# A clause reads as a statement after "You said" when it starts with a pronoun and a verb
# ("I'd look at...", "it keeps..."), or with a noun phrase followed soon by one of these verbs.
_PRONOUNS = frozenset("i we you it they he she there this that".split())
_CONTRACTED = re.compile(r"^(i|we|you|it|they|he|she|there|that)'(d|s|re|ve|ll|m)$", re.I)
_DETERMINERS = frozenset("the a an my our your its their each every these those".split())
_VERBS = frozenset(
    "is are was were be been has have had can could will would should may might must does do did gets get got "
    "means mean makes make keeps keep gives give needs need goes go takes take becomes stays looks seems works "
    "helps tends depends uses learns shows grows drops falls rises changes measures tells".split())
# Uncertain or self-deprecating clauses are not worth quoting back.
_HEDGED = re.compile(r"\b(not sure|don't know|do not know|no idea|i guess|maybe|probably|i think|i forget|"
                     r"can't remember|cannot remember|kind of|sort of|or something|whatever)\b", re.I)
_DANGLING = frozenset("a an the and or but so of to in on at by for with from as is are was were be that which "
                      "who than then if because like very its their our my your".split())
_SECOND_PERSON = [
    (r"\bI am\b", "you are"), (r"\bI'm\b", "you're"), (r"\bI was\b", "you were"), (r"\bI'd\b", "you'd"),
    (r"\bI've\b", "you've"), (r"\bI'll\b", "you'll"), (r"\bI\b", "you"),
    (r"\bwe're\b", "you're"), (r"\bwe've\b", "you've"), (r"\bwe'd\b", "you'd"), (r"\bwe'll\b", "you'll"),
    (r"\bwe were\b", "you were"), (r"\bwe are\b", "you are"), (r"\bwe\b", "you"),
    (r"\bmyself\b", "yourself"), (r"\bourselves\b", "yourselves"), (r"\bmine\b", "yours"), (r"\bours\b", "yours"),
    (r"\bmy\b", "your"), (r"\bour\b", "your"), (r"\bme\b", "you"), (r"\bus\b", "you"),
]
# Distinctive words only: these say nothing about what the follow-up is about. The everyday
# verbs are here because a key point's "labels come from chargebacks" once tied a question on
# label timing to "the features need to come from a feature store".
_GENERIC = frozenset(content_stems(
    "model models data dataset thing things way ways use used using would could make makes made get gets good "
    "better best work works really just also first then one two lot time times people point points case "
    "come comes came coming go goes going went need needs needed take takes took give gives gave keep keeps kept "
    "look looks see sees saw think thinks know knows want wants say says said put puts set sets find finds found "
    "try tries tried call calls called feel feels become becomes seem seems show shows shown"))


def to_second_person(clause: str) -> str:
    out = clause
    for pattern, repl in _SECOND_PERSON:
        # "I" is a capital letter in a transcript; the other pronouns may start a sentence
        out = re.sub(pattern, repl, out, flags=0 if pattern.startswith(r"\bI") else re.I)
    return out


_INDEPENDENT = re.compile(r"^(and|but|so|because|which|then|or|while|whereas)\b|^(i|we|you|it|they|he|she|there|"
                          r"this|that)\b", re.I)


def clauses(answer: str) -> list[str]:
    """Whole statements of the answer: its sentences, and the parts of a sentence that stand
    on their own (a part counts when what follows it is a new clause, or nothing)."""
    out: list[str] = []
    for sent in sentences(answer) or [answer]:
        sent = sent.strip().rstrip(".!")
        if "?" in sent:
            continue
        if ":" not in sent:
            out.append(sent)
        parts = [p.strip() for p in re.split(r"[,;:]\s+|\s+-+\s+|\s+—\s+", sent) if p.strip()]
        if len(parts) > 1:
            out.extend(part for part, after in zip(parts, [*parts[1:], None])
                       if after is None or _INDEPENDENT.match(after))
    return out


def _tidy(clause: str) -> str | None:
    text = _FILLERS.sub("", clause)
    for _ in range(3):
        text = _OPENERS.sub("", text).strip(" ,")
    words = text.split()
    if not words or words[-1].lower().strip(",") in _DANGLING:
        return None  # the thought goes on past the cut: not a whole statement
    if not (MIN_WORDS <= len(words) <= MAX_WORDS):
        return None
    if _HEDGED.search(text) or not _is_statement([w.lower().strip(",") for w in words]):
        return None
    return " ".join(words).strip(" ,")


def _is_statement(words: list[str]) -> bool:
    if _CONTRACTED.match(words[0]):
        return True
    if words[0] in _PRONOUNS:
        return words[1] not in _DANGLING
    if words[0] in _DETERMINERS:
        return any(w in _VERBS or _CONTRACTED.match(w) for w in words[1:6])
    # a bare noun phrase as subject ("Log loss looks at the probabilities"): a verb soon after,
    # with nothing between that would start another clause ("check before it can be used" is
    # an order cut out of a sentence, not a statement)
    if words[0] in _DANGLING or words[0] in _OPENER_WORDS:
        return False
    verb = next((i for i, w in enumerate(words[1:4], 1) if w in _VERBS), None)
    return verb is not None and not any(w in _SUBORDINATORS or w in _PRONOUNS for w in words[1:verb])


_SUBORDINATORS = frozenset("because if when where while unless although though since before after until whether".split())
_OPENER_WORDS = frozenset("so well okay ok right yeah yes first second then also actually basically because if when before after until "
                          "where while unless although though since how what why which who whether to for in on "
                          "at by with from about like".split())


def _quoted(clause: str, said_before: str) -> bool:
    """The clause, or a quote inside it, was already quoted ("you said it underfits, and the
    training error itself is high" after "you said the training error itself is high")."""
    if not said_before:
        return False
    mine = to_second_person(clause).lower().rstrip(".")
    earlier = [q.strip() for q in re.findall(r"you said (.+?)[.?!](?:\s|$)", said_before)]
    return mine in said_before or any(q and (q in mine or mine in q) for q in earlier)


def _quote_form(word: str) -> str:
    return word.lower().strip(".,;:!?'\"")


def _confident(clause: str, confident_words: set[str] | None) -> bool:
    if confident_words is None:
        return True
    return all(_quote_form(w) in confident_words for w in clause.split())


# A word the recogniser gave less than this is not quoted back. On the tuning real recordings
# (tests/fixtures/speech, tiny.en) 0.4 marks 5 of its 20 wrong words and 5 of its 126 right
# ones: a weak signal, but a misheard word in "You said ..." puts words in the candidate's mouth.
QUOTE_MIN_PROBABILITY = 0.4


def heard_words(words, min_probability: float = QUOTE_MIN_PROBABILITY) -> set[str]:
    """The words of a transcript heard with confidence, in the form lead_in() compares: a word
    Whisper split in two ("gradient -boosted") counts only when both halves were sure."""
    from ..transcript import join_words

    marked = join_words(w.text if w.probability >= min_probability else "\x00" for w in words)
    return {_quote_form(t) for t in marked.split() if "\x00" not in t}


def lead_in(answer: str, focus: str, *, avoid: Iterable[str] = (), confident_words: set[str] | None = None,
            fallback: str = "", quoted: Iterable[str] = ()) -> str | None:
    """'You said ...' from the clause of `answer` that best relates to `focus` (what the follow-up
    asks about), or None. `avoid`: text whose words say nothing (the interview question itself).
    `confident_words`: the words the recogniser was sure of (None: all). `fallback`: what the
    question is about at large, for a general follow-up that no clause relates to. `quoted`:
    the interviewer's lines so far: a clause one of them already quoted is not quoted again
    (seen: "You said the training error itself is high." opening two follow-ups in a row)."""
    said_before = " ".join(quoted).lower()
    focus_stems = set(content_stems(focus)) - set(content_stems(" ".join(avoid))) - _GENERIC
    focus_stems = {s for s in focus_stems if len(s) >= 3}
    candidates = []
    for order, raw in enumerate(clauses(answer)):
        clause = _tidy(raw)
        if clause is None or not _confident(clause, confident_words) or _quoted(clause, said_before):
            continue
        shared = len(focus_stems & set(content_stems(clause)))
        if shared:
            # more shared words first; then the shorter clause (a crisper quote), then the later one
            candidates.append(((shared, -len(clause.split()), order), clause))
    if not candidates and fallback:
        # nothing relates to the follow-up itself: a statement about the question at large,
        # so a general follow-up still starts from what this candidate said
        topic = {s for s in content_stems(fallback) if len(s) >= 3} - _GENERIC
        for order, raw in enumerate(clauses(answer)):
            clause = _tidy(raw)
            if clause is not None and _confident(clause, confident_words) and not _quoted(clause, said_before):
                shared = len(topic & set(content_stems(clause)))
                if shared >= 2:
                    candidates.append(((shared, -len(clause.split()), order), clause))
    if not candidates:
        return None
    said = to_second_person(max(candidates)[1])
    first = said.split()[0]
    if first[:1].isupper() and first[1:] == first[1:].lower():  # a sentence's capital, not "PyTorch" or "AUC"
        said = said[0].lower() + said[1:]
    return f"You said {said}."
