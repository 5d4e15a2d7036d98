"""Telling an answer that is about something else from one that is thin on the subject.

An off-topic answer gets a polite redirect that restates the question; a vague one gets a
request for specifics. The difference: a vague answer uses the question's own words
(or few words of substance at all), an off-topic one talks at length about other things.
"""

from __future__ import annotations

from ..bank import Question
from ..textutil import content_stems

# Words any answer uses, on or off topic: they say nothing about what the answer is about.
_GENERIC = frozenset(content_stems(
    "think know guess mean say said like well okay right yeah sure thing things stuff way ways lot kind sort really "
    "actually basically probably maybe definitely important good great better best bad work working worked make made "
    "get got go going want need needs use used using look looking see time times people team one two first "
    "also would could should might will"))

MIN_SUBSTANCE = 12  # distinct content words before an answer can be called off-topic rather than thin
# Share of those that the question's own vocabulary explains. Measured on the review set's
# tuning part: answers that make their points in other words (paraphrases, stories) overlap
# as little as 0.09, so only a near-total miss counts; a wrong redirect insults a good answer.
MAX_OVERLAP = 0.08
STORY_FORMATS = ("behavioral", "project")  # a story uses its own words: never called off-topic


def question_vocabulary(question: Question) -> set[str]:
    parts = [question.prompt]
    for kp in question.key_points:
        parts += [kp.label, kp.topic or "", *kp.cues]
    return set(content_stems(" ".join(parts)))


def is_off_topic(question: Question, text: str, covered: list[str]) -> bool:
    if covered or question.category in STORY_FORMATS:
        return False
    said = set(content_stems(text)) - _GENERIC
    if len(said) < MIN_SUBSTANCE:
        return False
    return len(said & question_vocabulary(question)) / len(said) < MAX_OVERLAP
