"""Interviewer personas: who is asking changes what is asked, how hard, and in what voice.

Each persona differs in question choice (difficulty and format preferences), follow-up
style (its own few-shot prompt and which missed points it goes after first), strictness
(how many follow-ups, whether vague answers are pushed back on) and voice (rate, pitch).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .bank import KeyPoint, Question
from .text import content_stems


@dataclass(frozen=True)
class Persona:
    id: str
    name: str
    description: str
    rate: int  # words per minute
    pitch: int  # espeak 0-99; other drivers ignore it
    max_follow_ups: int
    pushback: bool  # ask for specifics when an answer is vague
    prompt_file: str  # few-shot prompt for follow-ups on missed points
    difficulty_weight: dict = field(default_factory=dict)
    category_weight: dict = field(default_factory=dict)
    prefers: tuple[str, ...] = ()  # words that move a key point up the follow-up order
    acknowledgements: tuple[str, ...] = ()

    def question_weight(self, q: Question) -> float:
        return self.difficulty_weight.get(q.difficulty, 0.5) + self.category_weight.get(q.category, 0.0)

    def order_missed(self, question: Question, missed: list[str]) -> list[str]:
        """Missed key points in the order this persona would chase them."""
        if not self.prefers:
            return missed
        wanted = set(content_stems(" ".join(self.prefers)))

        def affinity(kp: KeyPoint) -> int:
            return len(wanted & set(content_stems(kp.label + " " + " ".join(kp.cues))))

        kps = [question.key_point(k) for k in missed]
        return [kp.id for kp in sorted(kps, key=affinity, reverse=True)]


PERSONAS: dict[str, Persona] = {
    "friendly": Persona(
        id="friendly", name="Friendly screener",
        description="A recruiter-style first screen: easier questions, one gentle follow-up, encouraging.",
        rate=172, pitch=58, max_follow_ups=1, pushback=False, prompt_file="follow_up_missed.txt",
        difficulty_weight={1: 1.0, 2: 0.6, 3: 0.1},
        acknowledgements=("Great, thank you.", "That's helpful, thanks.", "Nice, let's keep going."),
    ),
    "rigorous": Persona(
        id="rigorous", name="Rigorous technical lead",
        description="Harder questions, up to three follow-ups, pushes back on vague answers and asks why.",
        rate=185, pitch=38, max_follow_ups=3, pushback=True, prompt_file="follow_up_missed_rigorous.txt",
        difficulty_weight={1: 0.1, 2: 0.7, 3: 1.0},
        category_weight={"ml_coding": 0.2, "system_design": 0.2},
        prefers=("trade-off", "complexity", "assumption", "failure", "edge case", "why"),
        acknowledgements=("Okay.", "Noted.", "Let's move on."),
    ),
    "manager": Persona(
        id="manager", name="Hiring manager (impact)",
        description="Cares about results and impact: business metrics, stakeholders, what changed because of you.",
        rate=165, pitch=50, max_follow_ups=2, pushback=False, prompt_file="follow_up_missed_manager.txt",
        difficulty_weight={1: 0.6, 2: 0.8, 3: 0.6},
        category_weight={"behavioral": 0.4, "project": 0.4, "case_study": 0.3},
        prefers=("impact", "result", "business", "metric", "revenue", "customer", "stakeholder", "measure", "cost"),
        acknowledgements=("Thanks, that's clear.", "Good to hear.", "Thank you."),
    ),
}


def get_persona(persona_id: str | None) -> Persona | None:
    if not persona_id:
        return None
    try:
        return PERSONAS[persona_id]
    except KeyError:
        from ..errors import UserError

        raise UserError(f"Unknown persona '{persona_id}'", f"Choose one of: {', '.join(PERSONAS)}.") from None
