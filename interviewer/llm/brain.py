"""The interviewer brain: decides what to say after an answer, and words it.

The rubric decides *what* to ask (the first key point the answer missed, or, when all
are covered, something the candidate actually said); the LLM only words it, from a
few-shot completion prompt grounded in the sentence that matters. Every wording is
validated; a failure is retried with a new sample and finally replaced by the
question's authored follow-up. This is what makes a 135M model usable: it cannot
derail the interview, only fail to improve on the rubric.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import asdict, dataclass, field

from ..bank import KeyPoint, Question
from ..textutil import content_stems, jaccard, phrase_in, sentences, tokens
from . import prompts

log = logging.getLogger(__name__)

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
@dataclass
class Decision:
    kind: str  # "follow_up" | "clarification" | "move_on"
    text: str
    targets: str | None = None  # key point id
    source: str = "rubric"  # "llm" | "rubric"
    topic: str | None = None
    attempts: list[dict] = field(default_factory=list)  # every LLM sample with its verdict
    seconds: float = 0.0
    first_token_s: float | None = None

    def to_dict(self) -> dict:
        return asdict(self)


# -- validation -----------------------------------------------------------------------


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
) -> str | None:
    """None when `text` is a usable follow-up, else the reason it is not."""
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


# -- choosing and wording a follow-up ----------------------------------------------------


def snippet_for(answer: str, terms: list[str], max_words: int = 25) -> str:
    """The sentence of the answer that matters most for `terms`, shortened for the prompt.

    Keeping the prompt short keeps the first token fast (SmolLM2 reads ~250 tokens/s).
    """
    sents = sentences(answer) or [answer]
    term_stems = {s for t in terms for s in content_stems(t)}
    scored = [(len(term_stems & set(content_stems(s))), -i, s) for i, s in enumerate(sents)]
    best = max(scored)[2] if any(sc[0] for sc in scored) else sents[-1]
    words = best.split()
    if len(words) > max_words:
        words = words[-max_words:]
    return " ".join(words).replace('"', "'")


def _probe_phrase(kp: KeyPoint, answer: str) -> str | None:
    stems = set(content_stems(answer))
    for cue in sorted(kp.cues, key=len, reverse=True):
        if phrase_in(cue, stems):
            return cue
    return None


def _example_follow_ups(prefix: str) -> list[str]:
    return [line.split(":", 1)[1].strip() for line in prefix.splitlines() if line.startswith("Follow-up:")]


# Alternating free and opener-forced samples: free ones ground themselves in what the
# candidate said more often, a forced "How"/"What" makes a tiny model ask rather than state.
OPENERS = ("", " How", "", " What", " Why", " How")


def grounding(text: str, said: str, topic: str) -> int:
    """How many words of the candidate's own sentence (beyond the topic) the follow-up reuses."""
    topic_stems = set(content_stems(topic))
    return len((set(content_stems(text)) & set(content_stems(said))) - topic_stems)


class Interviewer:
    """Decides and words the interviewer's next line. `llm` may be None (rubric only)."""

    def __init__(self, llm=None, *, samples: int = 6, temperature: float = 0.7, max_tokens: int = 40,
                 persona=None) -> None:
        self.llm = llm
        self.persona = persona
        self.missed_prompt = persona.prompt_file if persona else "follow_up_missed.txt"
        self.samples = samples
        self.temperature = temperature
        self.max_tokens = max_tokens
        self._primed: set[str] = set()
        self.sample_s: float | None = None  # running estimate of one sample's wall time (LLM busy or not)

    def prime(self) -> None:
        """Evaluate the fixed few-shot prefixes now (background), so follow-ups start fast."""
        if self.llm is None:
            return
        for name in (self.missed_prompt, "follow_up_probe.txt"):
            if name not in self._primed:
                self.llm.prime(prompts.few_shot(name).prefix)
                self._primed.add(name)

    @staticmethod
    def topic_of(kp: KeyPoint) -> str:
        """The cue that reads best as a topic name: a short noun phrase, not "i was responsible"."""
        label_stems = set(content_stems(kp.label))

        def score(cue: str) -> tuple:
            words = cue.split()
            starts_badly = words[0] in {"i", "we", "my", "our", "you", "it", "they", "he", "she", "as"}
            content = content_stems(cue)
            return (not starts_badly, bool(content), 1 <= len(words) <= 3,
                    len(set(content) & label_stems), -abs(len(words) - 2))

        return max(kp.cues, key=score)

    def choose_target(
        self, question: Question, answer: str, covered: list[str], missed: list[str], asked_targets: list[str]
    ) -> tuple[str, KeyPoint, str] | None:
        """(mode, key point, topic phrase) to ask about next, or None to move on."""
        order = [kp.id for kp in question.key_points if kp.id in missed]
        if self.persona is not None:
            order = self.persona.order_missed(question, order)
        for kp_id in order:
            if kp_id not in asked_targets:
                kp = question.key_point(kp_id)
                return "missed", kp, self.topic_of(kp)
        for kp in question.key_points:
            if kp.id in covered and kp.id not in asked_targets:
                phrase = _probe_phrase(kp, answer)
                if phrase:
                    return "probe", kp, phrase
        return None

    def follow_up(
        self,
        question: Question,
        answer: str,
        covered: list[str],
        missed: list[str],
        *,
        asked_targets: list[str] = (),
        asked_texts: list[str] = (),
        seed: int = 0,
        cancel=None,
        budget_s: float | None = None,
        before_sample=None,
        target: tuple[str, str] | None = None,
    ) -> Decision:
        """`budget_s`: no sample is started that would not be done within this long of the
        call (judged by the running estimate of a sample's time); the best valid sample, or
        the authored follow-up, is used. `cancel`: an Event that
        stops sampling at once. `before_sample`: called before each sample (the engine uses
        it to hold speculative sampling while the final transcription needs the CPU)."""
        t0 = time.perf_counter()
        if target is not None:  # the plan already chose: (mode, key point id)
            kp = question.key_point(target[1])
            mode = target[0]
            topic = self.topic_of(kp) if mode == "missed" else (_probe_phrase(kp, answer) or self.topic_of(kp))
            choice = (mode, kp, topic)
        else:
            choice = self.choose_target(question, answer, covered, missed, list(asked_targets))
        if choice is None:
            return self.move_on(seed)
        mode, kp, topic = choice
        asked = [question.prompt, *asked_texts]
        decision = Decision("follow_up", "", targets=kp.id, topic=topic)
        terms = [topic] + (kp.cues if mode == "missed" else [])

        if self.llm is not None:
            template = prompts.few_shot(self.missed_prompt if mode == "missed" else "follow_up_probe.txt")
            said = snippet_for(answer, [topic, *kp.cues]) if answer.strip() else "(nothing yet)"
            prompt = template.render(question=question.prompt, said=said, topic=topic)
            examples = _example_follow_ups(template.prefix)
            best: tuple[int, str] | None = None
            for attempt in range(self.samples):
                if before_sample is not None:
                    before_sample()
                if cancel is not None and cancel.is_set():
                    break
                if budget_s is not None and self.sample_s is not None \
                        and time.perf_counter() - t0 + self.sample_s > budget_s:
                    break  # this sample would not be ready in time: the best so far, or the authored one
                opener = OPENERS[attempt % len(OPENERS)]
                t_sample = time.perf_counter()
                try:
                    out = self.llm.complete(
                        prompt + opener, max_tokens=self.max_tokens, temperature=self.temperature,
                        stop=["\n", "Question:", "Candidate:"], seed=seed * 97 + attempt, cancel=cancel,
                    ).result(timeout=30)
                except Exception as exc:  # a failing model must never stall the interview
                    log.warning("LLM follow-up failed: %s", exc)
                    decision.attempts.append({"text": "", "rejected": f"error: {exc}"})
                    break
                if out.finish_reason == "cancelled":
                    decision.attempts.append({"text": out.text, "rejected": "cut off: the reply was due"})
                    break
                took = time.perf_counter() - t_sample
                self.sample_s = took if self.sample_s is None else 0.7 * self.sample_s + 0.3 * took
                if decision.first_token_s is None:
                    decision.first_token_s = out.first_token_s
                text = clean(opener + out.text)
                reason = validate(text, question=question, topic_terms=terms, asked=asked, examples=examples)
                decision.attempts.append({"text": text, "rejected": reason})
                log.debug("follow-up sample %d: %r -> %s", attempt, text, reason or "ok")
                if reason is None:
                    score = grounding(text, said, topic)
                    if best is None or score > best[0]:
                        best = (score, text)
                    if score > 0:  # grounded in the candidate's words: good enough, stop sampling
                        break
            if best is not None:
                decision.text, decision.source = best[1], "llm"

        if not decision.text:
            decision.text = self._authored(question, kp, topic, asked, mode, seed)
            decision.source = "rubric"
        decision.seconds = time.perf_counter() - t0
        return decision

    def move_on(self, seed: int = 0) -> Decision:
        acks = list(self.persona.acknowledgements) if self.persona else prompts.lines("acknowledge.txt")
        return Decision("move_on", acks[seed % len(acks)])

    @staticmethod
    def redirect(question: Question, seed: int = 0) -> Decision:
        """Back to the question after an answer about something else: restate what was asked."""
        variants = prompts.lines("redirect.txt")
        return Decision("follow_up", variants[seed % len(variants)].format(question=question.prompt))

    def pushback(self, question: Question, missed: list[str], asked_targets: list[str] = (), seed: int = 0) -> Decision:
        """Ask for specifics after a vague answer, aimed at the first point it missed."""
        kp = self.pushback_target(question, missed, asked_targets)
        topic = self.topic_of(kp)
        variants = prompts.lines("pushback.txt")
        return Decision("follow_up", variants[seed % len(variants)].format(topic=topic), targets=kp.id,
                        source="rubric", topic=topic)

    def pushback_target(self, question: Question, missed: list[str], asked_targets: list[str] = ()) -> KeyPoint:
        order = [k for k in (self.persona.order_missed(question, missed) if self.persona else missed)
                 if k not in asked_targets]
        return question.key_point(order[0]) if order else question.key_points[0]

    @staticmethod
    def _authored(question: Question, kp: KeyPoint, topic: str, asked: list[str], mode: str = "missed",
                  seed: int = 0) -> str:
        for fu in question.follow_ups_for(kp.id):
            if all(jaccard(fu.text, a) < 0.7 for a in asked):
                return fu.text
        variants = prompts.lines("fallback_probe.txt" if mode == "probe" else "fallback_missed.txt")
        return variants[seed % len(variants)].format(topic=topic)
