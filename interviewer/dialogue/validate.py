"""Checking what a language model wrote before the interviewer says it.

A small model's wording is used only when it passes every check: one spoken question of a
sensible length, no role labels or echoed instructions, not a repeat of the interview
question or of anything asked before, and it names the concept it is meant to ask about.
Any quote of the candidate ("you said ...") must be words the candidate actually said.
"""

from __future__ import annotations

import re

from ..content.bank import Question
from ..content.text import content_stems, jaccard, phrase_in, sentences, tokens

MIN_WORDS, MAX_WORDS = 4, 40

# Stems too common in ML talk to show that a follow-up is about a particular concept.
GENERIC_STEMS = frozenset(content_stems(
    "model models data dataset feature features train training test testing value values result results use "
    "using approach method way thing time number problem answer question system performance good better"))

_ROLE_LABEL = re.compile(
    r"\b(interviewer|candidate|follow[- ]?up|question|topic|probe|answer|assistant|user|system)\s*:", re.I
)
_INSTRUCTION_ECHO = re.compile(
    r"(candidate said|missing topic|interview question|the candidate|follow-up question about|as an ai|"
    r"i am an ai|language model|previous answer|in the prompt)",
    re.I,
)
_IMPERATIVE = re.compile(r"^(explain|describe|walk me through|tell me|talk me through|give me)\b", re.I)


def clean(text: str) -> str:
    """Trim what small models wrap around a question: quotes, labels, trailing chatter.

    An imperative request ("Explain how X.") is a follow-up in all but punctuation, so it
    is turned into a question rather than thrown away.
    """
    text = text.strip().strip('"“”').strip()
    text = re.sub(r"^(follow[- ]?up|question|interviewer)\s*:\s*", "", text, flags=re.I)
    if text.count("?") == 1:
        text = text[: text.index("?") + 1]
    elif "?" not in text and _IMPERATIVE.match(text) and len(sentences(text)) == 1:
        text = "Can you " + text[0].lower() + text[1:].rstrip(".!") + "?"
    return text.strip().strip('"“”').strip()


def validate(
    text: str,
    *,
    question: Question,
    topic_terms: list[str],  # the topic phrase the LLM was given first, then the key point's other cues
    asked: list[str] = (),
    examples: list[str] = (),
    answer: str | None = None,
) -> str | None:
    """None when `text` is a usable follow-up, else the reason it is not. With `answer`,
    anything the text says the candidate said must be in it."""
    if not text:
        return "empty"
    if text.count("?") != 1 or not text.endswith("?"):
        return "not exactly one question ending with '?'"
    n = len(tokens(text))
    if n < MIN_WORDS or n > MAX_WORDS:
        return f"{n} words (want {MIN_WORDS} to {MAX_WORDS})"
    if _ROLE_LABEL.search(text):
        return "contains a role label"
    if _INSTRUCTION_ECHO.search(text):
        return "echoes the instructions"
    if not text[0].isupper():
        return "does not start a sentence"
    toks = tokens(text)
    trigrams = [tuple(toks[i:i + 3]) for i in range(len(toks) - 2)]
    if len(trigrams) != len(set(trigrams)):
        return "repeats itself"
    if answer is not None and misattributes(text, answer):
        return "attributes words the candidate did not say"
    if jaccard(text, question.prompt) >= 0.6:
        return "repeats the interview question"
    for previous in list(asked) + list(examples):
        if jaccard(text, previous) >= 0.7:
            return "repeats an earlier or example follow-up"
    stems = set(content_stems(text))
    if not any(phrase_in(term, stems) for term in topic_terms):
        # A cue's distinctive stem counts too ("regularizing" for "l2 regularization"), but not
        # words the interview question already used: repeating the question names nothing new.
        known = set(content_stems(question.prompt)) | GENERIC_STEMS
        distinctive = {st for st in content_stems(topic_terms[0]) if len(st) >= 4} - known if topic_terms else set()
        if not stems & distinctive:
            return "does not name the concept it targets"
    return None


_ATTRIBUTION = re.compile(
    r"\byou(?:'ve| have)? (?:said|mentioned|talked about|described|suggested|noted|brought up|used|chose)\b([^.?!;]*)",
    re.I)


# "You would check the data distribution, so ..." states what the candidate would do.
_INTENT = re.compile(r"^(?:so,? |okay,? )?you(?:'d| would| will|'ll| want to| plan to|'re going to| are going to)"
                     r"\b([^.?!;,]*)[.,;]", re.I)


def misattributes(text: str, answer: str) -> bool:
    """The text claims the candidate said something (content words) that is not in the answer."""
    said = set(content_stems(answer))
    for match in [*_ATTRIBUTION.finditer(text), *_INTENT.finditer(text)]:
        claimed = {s for s in content_stems(match.group(1)) if len(s) >= 3 and "'" not in s} - GENERIC_STEMS
        if claimed - said:
            return True
    return False
