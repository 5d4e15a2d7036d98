"""Clarifying questions: telling one from an answer, and answering it from the question's notes."""

from __future__ import annotations

import re

from ..content.bank import Question
from ..llm import prompts
from ..content.text import content_stems, phrase_in, sentences, tokens

_CLARIFY_OPENERS = re.compile(
    r"^(can|could|may|should|shall|do|does|did|is|are|am|will|would|what|which|how many|how much|how big|how large|"
    r"how fast|how long|who|when|where)\b",
    re.I,
)
_CLARIFY_PHRASES = re.compile(
    r"\b(can i assume|may i assume|should i assume|am i allowed|is it okay if|are we assuming|do we have|do we know|"
    r"is there a|what is the (budget|scale|latency|size)|just to clarify|to clarify|quick question|"
    r"before i start|before i begin|before i answer|before i get into it|could you clarify|what do you mean|"
    r"just to check|quick check|sorry, quick question|can you tell me|do you want me to|should i focus)\b",
    re.I,
)


def is_clarifying_question(text: str) -> bool:
    """A short turn that asks the interviewer something rather than answering."""
    text = text.strip()
    if not text:
        return False
    n = len(tokens(text))
    if n > 45:
        return False
    if _CLARIFY_PHRASES.search(text):
        return True
    # The question ends the turn, give or take a short tag ("Can I assume X? All right.");
    # a rhetorical question that opens an answer ("What is overfitting? It is ...") does not count.
    sents = sentences(text) or [text]
    if len(sents) > 1 and len(tokens(sents[-1])) <= 3:
        sents = sents[:-1]
    last = re.sub(r"^(and|so|also|or|but)\s+", "", sents[-1], flags=re.I)
    return last.endswith("?") and (bool(_CLARIFY_OPENERS.match(last)) or n <= 20)


def _asks_about(cue: str, text: str, stems: set[str]) -> bool:
    """The candidate's question uses this cue: as a phrase, or, for a cue of two or more
    content words, all of them ("which model" is one content word: only the phrase counts)."""
    if re.search(rf"\b{re.escape(cue)}", text):
        return True
    return len(content_stems(cue)) >= 2 and phrase_in(cue, stems)


def answer_clarification(question: Question, text: str) -> str:
    stems = set(content_stems(text))
    lowered = " ".join(text.lower().split())
    best, best_hits = None, 0
    for clar in question.clarifications:
        hits = sum(1 for cue in clar.cues if _asks_about(cue, lowered, stems))
        if hits > best_hits:
            best, best_hits = clar, hits
    if best is not None:
        return best.answer
    asked = lowered
    for line in prompts.lines("clarify_general.txt"):
        cues, _, reply = line.partition("|")
        if any(re.search(rf"\b{re.escape(c.strip())}\b", asked) for c in cues.split(",") if c.strip()):
            return reply.strip()
    return prompts.text("clarify.txt")
