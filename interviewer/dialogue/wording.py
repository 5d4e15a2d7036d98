"""The interviewer's words for a decided reply.

What to ask is already decided (policy: a missed key point, a probe of a covered one, a
push for specifics, a redirect, or moving on). This module words it so that it is always
something a senior interviewer would say:

- the question itself is authored text from the bank (a follow-up for the missed point,
  a deeper probe for a covered one), or, for a custom question, the draft the user
  accepted (drafting.py); templates over the key point's spoken `topic` are the last
  resort;
- a lead-in in the candidate's own words ties it to what they said ("You said you'd
  look at accuracy on a test set.") when a clause of the answer relates to it;
- a model of a billion parameters or more may word the follow-up itself, grounded in the
  answer, and it is used only when it passes validation (validate.py). Smaller models
  (the 135M default) invent content when they word questions, so they never do it live.
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass, field

from ..content.bank import STORY_CATEGORIES, KeyPoint, Probe, Question
from ..llm import prompts
from ..content.text import content_stems, jaccard, phrase_in, sentences
from .lead_in import lead_in
from .validate import clean, validate

log = logging.getLogger(__name__)

FREE_WORDING_MIN_PARAMS = 1_000_000_000  # below this the LLM does not word live follow-ups
REPEAT_SIMILARITY = 0.7  # an authored line this close to something already asked is not asked again


@dataclass
class Decision:
    kind: str  # "follow_up" | "clarification" | "move_on"
    text: str
    targets: str | None = None  # key point id
    source: str = "authored"  # "authored" (the bank or an accepted draft) | "template" | "llm" | "rubric"
    topic: str | None = None
    lead_in: str | None = None  # the candidate's own words the line builds on
    attempts: list[dict] = field(default_factory=list)  # every LLM sample with its verdict
    seconds: float = 0.0
    first_token_s: float | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def topic_of(kp: KeyPoint) -> str:
    """How the interviewer names a key point aloud: its authored topic, else the cue that
    reads best as a noun phrase (a custom question nobody drafted)."""
    if kp.topic:
        return kp.topic
    label_stems = set(content_stems(kp.label))

    def score(cue: str) -> tuple:
        words = cue.split()
        starts_badly = words[0] in {"i", "we", "my", "our", "you", "it", "they", "he", "she", "as"}
        return (not starts_badly, bool(content_stems(cue)), 1 <= len(words) <= 3,
                len(set(content_stems(cue)) & label_stems), -abs(len(words) - 2))

    return max(kp.cues, key=score)


def question_vocabulary(question: Question) -> str:
    """The words two thirds of the question's key points share ("centroid" in five of k-means' six):
    they name the question, not one point, so they must not tie a quote to a follow-up. A
    seeding probe opened with "You said each point gets the label of its closest centroid."."""
    labels = [set(content_stems(kp.label)) for kp in question.key_points]
    if len(labels) < 3:
        return ""
    words = {w for label in labels for w in label}
    return " ".join(sorted(w for w in words if 3 * sum(w in label for label in labels) >= 2 * len(labels)))


def open_probes(question: Question, kp_id: str | None, answer: str) -> list[Probe]:
    """The probes after `kp_id` that the answer has not already answered (their `unless` words).
    After "I started with a TF-IDF and logistic regression baseline", a pitch was probed with
    "What is the simplest version ... and did you start there?"."""
    said = set(content_stems(answer))
    return [p for p in question.probes_after(kp_id) if not any(phrase_in(w, said) for w in p.unless)]


def evidence_phrase(kp: KeyPoint, answer: str) -> str | None:
    """The longest cue of `kp` the answer used: what the candidate said about it."""
    stems = set(content_stems(answer))
    for cue in sorted(kp.cues, key=len, reverse=True):
        if phrase_in(cue, stems):
            return cue
    return None


# Authored and template lines that open by naming what the candidate said get no lead-in quote.
_NAMES_WHAT_WAS_SAID = ("you said", "you mentioned", "you brought up", "tell me more about", "going back to")
# Key points every story answer sets up before anything else: after a story of this length
# an interviewer asks about what the candidate did, how it ended and what they learned.
STORY_CONTEXT = frozenset({"situation", "task", "context", "background"})
STORY_WORDS = 50
# A whole story (this long or more) is followed by a probe into what the candidate told, not by
# a question on a point the matcher thinks is missing: in stories that point had been told in
# other words in 24 of 52 cases (the review set's tuning part), and re-asking is the worst move.
# After that first probe, the question's closing point (the lesson, in 46 of 52 behavioral
# questions) is asked if the story left it out: a failure story with no lesson was probed twice
# ("Which check would have caught this root cause?", then "How did you make sure your fix did
# not just patch the one failure?") and never asked what the candidate would do differently, the
# question every behavioral interviewer asks. Earlier points stay unasked: a disagreement story
# was asked "How and where did you raise the disagreement?" after "I asked for half an hour
# with him alone and brought the numbers", which the recogniser heard as "wind in Malone".
FULL_STORY_WORDS = 80


def likely_said(question: Question, kp: KeyPoint, answer: str) -> bool:
    """The answer probably made this point in words the cue matcher missed: one sentence
    shares two distinctive words with what the point is about (its label, topic and the
    follow-ups written for it). Asking it anyway would re-ask what was said, the worst
    thing an interviewer can do; skipping a truly missed point only moves on to the next.
    Measured on the review set's tuning part: 20 of 31 points it skips were covered."""
    if question.category in STORY_CATEGORIES and kp.id in STORY_CONTEXT \
            and len(answer.split()) >= STORY_WORDS:
        return True
    focus = " ".join([kp.label, kp.topic or "", *(fu.text for fu in question.follow_ups_for(kp.id))])
    wanted = {s for s in content_stems(focus) if len(s) >= 4} - _subject_stems(question)
    return any(len(wanted & set(content_stems(sent))) >= 2 for sent in sentences(answer) or [answer])


def _subject_stems(question: Question) -> set[str]:
    """Words that say what the question is about (its prompt, and words several key points'
    labels share), plus words every answer uses: they say nothing about a particular point."""
    from collections import Counter

    counts: Counter[str] = Counter()
    for kp in question.key_points:
        counts.update(set(content_stems(kp.label)))
    return set(content_stems(question.prompt)) | {s for s, n in counts.items() if n >= 2} | _COMMON


_COMMON = frozenset(content_stems(
    "model models data dataset thing things way ways use used using would could make made get good better best "
    "work really just also first then one two lot time people point case answer question system approach value "
    "values result results feature features train training test"))


def plain_lines(category: str, kind: str) -> list[str]:
    """The format's general follow-ups (prompts/draft_plain.txt): `kind` "missed" or "probe"."""
    lines = prompts.lines("draft_plain.txt")
    return [line.split(":", 2)[2].strip() for line in lines if line.split(":", 2)[:2] == [category, kind]] or \
        [line.split(":", 2)[2].strip() for line in lines if line.split(":", 2)[:2] == ["any", kind]]


def is_general_line(category: str, text: str) -> bool:
    """One of the format's general lines: what a draft says where it could not name the point."""
    return text.strip() in {*plain_lines(category, "missed"), *plain_lines(category, "probe")}


def _fresh(text: str, asked: list[str]) -> bool:
    return all(jaccard(text, a) < REPEAT_SIMILARITY for a in asked)


# Alternating free and opener-forced samples: free ones ground themselves in what the
# candidate said more often, a forced "How"/"What" makes a model ask rather than state.
OPENERS = ("", " How", "", " What", " Why", " How")


def snippet_for(answer: str, terms: list[str], max_words: int = 25) -> str:
    """The sentence of the answer that matters most for `terms`, shortened for the prompt
    (a short prompt keeps the first token fast)."""
    sents = sentences(answer) or [answer]
    term_stems = {s for t in terms for s in content_stems(t)}
    scored = [(len(term_stems & set(content_stems(s))), -i, s) for i, s in enumerate(sents)]
    best = max(scored)[2] if any(sc[0] for sc in scored) else sents[-1]
    words = best.split()
    if len(words) > max_words:
        words = words[-max_words:]
    return " ".join(words).replace('"', "'")


def grounding(text: str, said: str, topic: str) -> int:
    """How many words of the candidate's own sentence (beyond the topic) the line reuses."""
    return len((set(content_stems(text)) & set(content_stems(said))) - set(content_stems(topic)))


class Interviewer:
    """Words the interviewer's replies. `llm` may be None (authored text only).

    `free_wording`: whether the LLM words follow-ups itself; by default only a model of
    FREE_WORDING_MIN_PARAMS or more (its size read from the GGUF)."""

    def __init__(self, llm=None, *, persona=None, free_wording: bool | None = None, samples: int = 6,
                 temperature: float = 0.7, max_tokens: int = 40) -> None:
        self.llm = llm
        self.persona = persona
        if free_wording is None:
            free_wording = llm is not None and llm.parameters >= FREE_WORDING_MIN_PARAMS
        self.free_wording = free_wording and llm is not None
        self.missed_prompt = persona.prompt_file if persona else "follow_up_missed.txt"
        self.samples = samples
        self.temperature = temperature
        self.max_tokens = max_tokens
        self._primed: set[str] = set()
        self.sample_s: float | None = None  # running estimate of one sample's wall time

    def prime(self) -> None:
        """Evaluate the fixed few-shot prefixes now (background), so a free wording starts fast."""
        if not self.free_wording:
            return
        for name in (self.missed_prompt, "follow_up_probe.txt"):
            if name not in self._primed:
                self.llm.prime(prompts.few_shot(name).prefix)
                self._primed.add(name)

    # -- choosing ------------------------------------------------------------------------
    def choose_target(self, question: Question, answer: str, covered: list[str], missed: list[str],
                      asked_targets: list[str], nearly: set[str] = frozenset()) -> tuple[str, KeyPoint] | None:
        """("missed" | "probe", key point) to ask about next, or None to move on.

        Missed points come first, the last of them first (a persona reorders them): answers
        run in the order of the question, so the points a candidate really leaves out are the
        late ones (results, lessons, the harder considerations), while an early point that
        looks missed was more often said in words the matcher did not recognise. Measured on
        the review set's tuning part: the first missed point had been said in 12 of 50
        answers, the last in 5. Once all are asked about, a probe goes one level deeper on a
        covered point: the one the candidate said most about. A whole story is probed first,
        and then only its closing point comes back as missed (FULL_STORY_WORDS)."""
        order = [kp.id for kp in reversed(question.key_points) if kp.id in missed]
        if self.persona is not None:
            order = self.persona.order_missed(question, order)

        def first_missed(ids: list[str]) -> tuple[str, KeyPoint] | None:
            for kp_id in ids:
                if kp_id not in asked_targets and kp_id not in nearly \
                        and not likely_said(question, question.key_point(kp_id), answer):
                    return "missed", question.key_point(kp_id)
            return None

        if question.category in STORY_CATEGORIES and len(answer.split()) >= FULL_STORY_WORDS:
            if not asked_targets:
                probe = self._probe_target(question, answer, covered, asked_targets)
                if probe is not None:
                    return probe
            else:  # only the story's closing point (its lesson) comes back as missed
                chosen = first_missed([k for k in order if k == question.key_points[-1].id]) \
                    or self._probe_target(question, answer, covered, asked_targets)
                if chosen is not None:
                    return chosen
                # Once no authored probe is left, a missed point's own question beats a template
                # probe on a told point ("Tell me more about the corrected result ...", after a
                # reply that admitted nobody was ever told about the bad data). With nothing left
                # to probe at all the story is done: moving on beats asking an early point again.
                template = self._probe_target(question, answer, covered, asked_targets, any_probe=True)
                return (template and first_missed(order)) or template
        return first_missed(order) or self._probe_target(question, answer, covered, asked_targets, any_probe=True)

    @staticmethod
    def _probe_target(question: Question, answer: str, covered: list[str], asked_targets: list[str],
                      any_probe: bool = False) -> tuple[str, KeyPoint] | None:
        """A covered point to go deeper on: the one the candidate said most about that has an
        authored probe; with `any_probe`, failing that, any covered point the answer names.
        An authored probe comes first even when another point was said more about: after a full
        k-means walk-through the template asked "Let's go one level deeper on assign each point.
        When would it not work well?", where the bank had "Why can the within-cluster sum of
        squares never go up from one iteration to the next?" for the convergence check."""
        candidates = [kp for kp in question.key_points if kp.id in covered and kp.id not in asked_targets]
        said = set(content_stems(answer))
        candidates.sort(key=lambda kp: -len(said & set(content_stems(" ".join(kp.cues)))))
        for kp in candidates:
            if open_probes(question, kp.id, answer):
                return "probe", kp
        for kp in candidates if any_probe else ():
            if evidence_phrase(kp, answer):
                return "probe", kp
        return None

    def pushback_target(self, question: Question, missed: list[str], asked_targets: list[str] = ()) -> KeyPoint:
        order = [k for k in (self.persona.order_missed(question, missed) if self.persona else missed)
                 if k not in asked_targets]
        return question.key_point(order[0]) if order else question.key_points[0]

    # -- wording -------------------------------------------------------------------------
    def move_on(self, seed: int = 0) -> Decision:
        acks = list(self.persona.acknowledgements) if self.persona else prompts.lines("acknowledge.txt")
        return Decision("move_on", acks[seed % len(acks)])

    @staticmethod
    def redirect(question: Question, seed: int = 0) -> Decision:
        """Back to the question after an answer about something else: restate what was asked."""
        variants = prompts.lines("redirect.txt")
        return Decision("follow_up", variants[seed % len(variants)].format(question=question.prompt))

    def pushback(self, question: Question, kp_id: str, answer: str, seed: int = 0,
                 confident_words: set[str] | None = None) -> Decision:
        """Ask for specifics after a vague answer, aimed at a point it missed, building on
        the candidate's own (vague) words where they relate."""
        kp = question.key_point(kp_id)
        topic = topic_of(kp)
        variants = prompts.lines("pushback.txt")
        core = variants[seed % len(variants)].format(topic=topic)
        said = lead_in(answer, f"{question.prompt} {kp.label} {topic}", confident_words=confident_words)
        return Decision("follow_up", f"{said} {core}" if said else core, targets=kp.id, source="template",
                        topic=topic, lead_in=said)

    def follow_up(self, question: Question, answer: str, mode: str, kp_id: str, *, asked_texts: list[str] = (),
                  seed: int = 0, budget_s: float | None = None, cancel=None, before_sample=None,
                  confident_words: set[str] | None = None) -> Decision:
        """The follow-up on key point `kp_id`: "missed" asks about it, "probe" goes deeper on it.

        `budget_s`: no LLM sample is started that would not be done within this long (judged
        by the running estimate of a sample's time). `cancel`: an Event that stops sampling.
        `before_sample`: called before each sample (the engine holds sampling while the final
        transcription needs the CPU). `confident_words`: the words the recogniser was sure of
        (lead_in.heard_words); None for typed answers."""
        t0 = time.perf_counter()
        kp = question.key_point(kp_id)
        # a probe names the point by its authored topic ("the assignment step"); the cue the answer
        # used can be a verb phrase ("Let's go one level deeper on assign each point")
        topic = topic_of(kp) if mode == "missed" or kp.topic else (evidence_phrase(kp, answer) or topic_of(kp))
        asked = [question.prompt, *asked_texts]
        decision = Decision("follow_up", "", targets=kp.id, topic=topic)
        if self.free_wording:
            self._free_wording(decision, question, answer, mode, kp, topic, asked, seed, budget_s, cancel,
                               before_sample, t0)
        if not decision.text:
            core, decision.source = self._authored(question, kp, topic, asked, mode, seed, answer)
            focus = f"{core} {kp.label} {topic} {' '.join(kp.cues)}"
            general = question.prompt + " " + " ".join(k.label for k in question.key_points) \
                if core in self._general_lines(question) else ""
            said = None if core.lower().startswith(_NAMES_WHAT_WAS_SAID) else \
                lead_in(answer, focus, avoid=[question.prompt, question_vocabulary(question)], fallback=general,
                        confident_words=confident_words, quoted=asked_texts)
            decision.lead_in = said
            decision.text = f"{said} {core}" if said else core
        decision.seconds = time.perf_counter() - t0
        return decision

    def asks_only_generally(self, question: Question, kp_id: str, mode: str, asked_texts: list[str] = (),
                            answer: str = "") -> bool:
        """Whether the follow-up on this point would be one of the format's general lines ("What
        would you add to that, if you had another minute?"): all a custom question's draft has
        for a point the drafting model could not name."""
        if self.free_wording:
            return False
        kp = question.key_point(kp_id)
        core, _source = self._authored(question, kp, topic_of(kp), [question.prompt, *asked_texts], mode, 0, answer)
        return core in self._general_lines(question)

    @staticmethod
    def _general_lines(question: Question) -> set[str]:
        """The format's general follow-ups (drafted for points that could not be named): they
        relate to the answer as a whole, so any statement about the question may lead in."""
        return set(plain_lines(question.category, "missed")) | set(plain_lines(question.category, "probe"))

    @staticmethod
    def _authored(question: Question, kp: KeyPoint, topic: str, asked: list[str], mode: str,
                  seed: int, answer: str = "") -> tuple[str, str]:
        """(text, source): the bank's (or accepted draft's) own line for this point, else a template."""
        lines = [fu.text for fu in question.follow_ups_for(kp.id)] if mode == "missed" else \
            [p.text for p in open_probes(question, kp.id, answer) + open_probes(question, None, answer)]
        for text in lines:
            if _fresh(text, asked):
                return text, "authored"
        if mode == "missed":
            variants = prompts.lines("fallback_missed.txt")
        else:
            story = question.category in STORY_CATEGORIES
            variants = prompts.lines("fallback_probe_story.txt" if story else "fallback_probe.txt")
        return variants[seed % len(variants)].format(topic=topic), "template"

    def _free_wording(self, decision: Decision, question: Question, answer: str, mode: str, kp: KeyPoint,
                      topic: str, asked: list[str], seed: int, budget_s, cancel, before_sample, t0: float) -> None:
        """A large model words the follow-up from a few-shot prompt; the best valid sample
        (most grounded in the candidate's words) is kept."""
        template = prompts.few_shot(self.missed_prompt if mode == "missed" else "follow_up_probe.txt")
        said = snippet_for(answer, [topic, *kp.cues]) if answer.strip() else "(nothing yet)"
        prompt = template.render(question=question.prompt, said=said, topic=topic)
        examples = [line.split(":", 1)[1].strip() for line in template.prefix.splitlines()
                    if line.startswith("Follow-up:")]
        terms = [topic] + (kp.cues if mode == "missed" else [])
        best: tuple[int, str] | None = None
        for attempt in range(self.samples):
            if before_sample is not None:
                before_sample()
            if cancel is not None and cancel.is_set():
                break
            if budget_s is not None and self.sample_s is not None \
                    and time.perf_counter() - t0 + self.sample_s > budget_s:
                break  # this sample would not be ready in time: the best so far, or the authored line
            opener = OPENERS[attempt % len(OPENERS)]
            t_sample = time.perf_counter()
            try:
                out = self.llm.complete(prompt + opener, max_tokens=self.max_tokens, temperature=self.temperature,
                                        stop=["\n", "Question:", "Candidate:"], seed=seed * 97 + attempt,
                                        cancel=cancel).result(timeout=30)
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
            reason = validate(text, question=question, topic_terms=terms, asked=asked, examples=examples,
                              answer=answer)
            decision.attempts.append({"text": text, "rejected": reason})
            if reason is None:
                score = grounding(text, said, topic)
                if best is None or score > best[0]:
                    best = (score, text)
                if score > 0:  # grounded in the candidate's words: good enough
                    break
        if best is not None:
            decision.text, decision.source = best[1], "llm"
