"""Structure, by answer format: which elements are present, where, and what they say.

technical (fundamentals, ml_coding, case_study): signposting, a concrete example,
assumptions or clarifying questions, a conclusion (for fundamentals, assumptions only count
in the answer's favour: see OPTIONAL). behavioral: STAR (situation, task, action, result) and the
lesson. system_design: requirements, components, trade-offs, monitoring. project:
problem, data, approach, results, impact, lessons.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .clarity import fmt_time
from .depth import SentenceView, find_phrase, make_phrase
from .text import quote

FORMAT_OF = {
    "fundamentals": "technical",
    "ml_coding": "technical",
    "case_study": "technical",
    "system_design": "system_design",
    "behavioral": "behavioral",
    "project": "project",
}

_M = lambda *xs: [make_phrase(x) for x in xs]  # noqa: E731

LESSON = _M(
    "i learned", "i've learned", "lesson", "next time", "in hindsight", "taught me", "now i always", "these days",
    "stayed with me", "do differently", "takeaway", "i realized", "i realised", "from then on", "since then",
    "took away", "take away", "looking back", "in retrospect", "i should have",
)
RESULT = _M(
    "as a result", "in the end", "the result", "results", "reduced", "improved", "went back to", "dropped to", "increased",
    "saved", "cut the", "up from", "down from", "out of ten", "percent", "accuracy", "reached",
    "the outcome", "ended up", "it worked", "held up", "went live", "we shipped", "we rolled it out", "paid off",
)

ELEMENTS: dict[str, list[tuple[str, list, dict]]] = {
    "technical": [
        ("signposting", _M(
            "first", "firstly", "second", "secondly", "third", "thirdly", "finally", "lastly", "let me start", "to start",
            "there are two", "there are three", "two things", "three things", "two parts", "step one", "on the one hand",
            "next", "the other",
        ), {"min_hits": 2, "weight": 30, "not_dates": True}),
        # A concrete example is how spoken technical answers show understanding.
        ("example", _M(
            "for example", "for instance", "say we", "say you", "imagine", "such as", "in my last project", "e g",
            "let's say", "a good example", "suppose",
        ), {"weight": 20}),
        ("assumptions", _M(
            "assume", "assuming", "assumption", "it depends", "depends on", "clarify", "do you mean", "are we", "given that",
            "if the data", "if we have", "before anything", "let me check", "i'd ask", "i would ask", "first question",
        ), {"weight": 20}),
        ("conclusion", _M(
            "so overall", "overall", "in summary", "to summarize", "to summarise", "to sum up", "in short", "in conclusion",
            "bottom line", "so the answer", "that's why", "so in practice", "my recommendation", "so i would", "so i use",
            "pick the", "in the end", "matter more", "the key is", "so the",
            # a closing "so you / so we ..." draws the consequence ("So you look for the sweet
            # spot where validation error is lowest": a bias-variance answer marked 'no conclusion')
            "so you", "so we", "which is why", "this is why", "that is why",
        ), {"where": "end", "weight": 30}),
    ],
    "behavioral": [
        ("situation", _M(
            "at my last", "at my previous", "at a previous", "in my last", "in my previous", "at my current",
            "at our company", "when i was", "we had", "our team", "i was working", "last year", "at the time",
            "the context", "my team", "a few years ago", "years ago", "months ago", "a while back", "i joined",
            "i was on",
        ), {"weight": 20}),
        ("task", _M(
            "i was responsible", "responsible for", "my job was", "my role", "i needed to", "i had to", "the goal was",
            "my task", "i was asked", "i owned", "i was in charge", "i led", "i was leading", "my part", "my piece",
            "on the hook", "up to me", "at stake", "my responsibility",
        ), {"weight": 20}),
        ("action", _M(
            "i decided", "i built", "i added", "i changed", "i rolled back", "i investigated", "i proposed", "i wrote",
            "i set up", "i started", "i talked", "i fixed", "i retrained", "i traced", "i compared", "i ran", "i moved",
            "i replaced", "i rebuilt", "i reverted", "i worked with", "i introduced", "i switched", "i asked",
            "i brought", "i showed", "i suggested", "i pulled", "i dug", "i met", "i explained", "i put together",
            "i sat down", "i reached out", "i wrote up", "i checked", "i prepared", "i presented", "i pushed",
        ), {"weight": 20}),
        ("result", RESULT, {"weight": 20}),
        ("lesson", LESSON, {"weight": 20}),
    ],
    "system_design": [
        ("requirements", _M(
            "requirements", "requirement", "clarify", "assume", "latency", "throughput", "per second", "scale", "how many",
            "sla", "constraints", "budget", "how fast", "qps", "peak",
        ), {"weight": 25}),
        ("components", _M(
            "pipeline", "service", "feature store", "database", "cache", "queue", "api", "stream", "streaming", "kafka",
            "candidate generation", "ranking", "storage", "scoring", "component", "components", "rules engine", "endpoint",
            "batch job", "model server",
        ), {"min_hits": 2, "weight": 25}),
        ("trade_offs", _M(
            "trade off", "tradeoff", "versus", "instead of", "at the cost", "on the other hand", "the downside", "cheaper",
            "simpler but", "rather than", "whereas", "falls back", "fall back", "fallback",
        ), {"weight": 25}),
        ("monitoring", _M(
            "monitor", "monitoring", "drift", "alert", "alerts", "dashboard", "a b test", "retrain", "retraining", "logging",
            "watch", "track", "feedback loop",
        ), {"weight": 25}),
    ],
    "project": [
        ("problem", _M(
            "the problem", "the goal", "we wanted", "needed to", "pain point", "the challenge", "backlog", "by hand",
            "the issue", "was slow", "piling up", "were losing",
        ), {"weight": 17}),
        ("data", _M(
            "data", "dataset", "labels", "labeled", "labelled", "examples", "records", "annotated", "cleaned", "tickets",
        ), {"weight": 17}),
        ("approach", _M(
            "approach", "baseline", "i chose", "i used", "architecture", "fine tune", "fine tuned", "we trained",
            "i trained", "i started with", "model",
        ), {"weight": 17}),
        ("results", RESULT, {"weight": 17}),
        ("impact", _M(
            "impact", "saved", "revenue", "customers", "users", "business", "backlog dropped", "dropped to", "hours",
            "adoption", "no longer",
        ), {"where": "late", "weight": 16}),
        ("lessons", LESSON, {"weight": 16}),
    ],
}


# A behavioral story's key points of the same kind prove its STAR elements: the marker lists
# cannot know every way people tell a story, and the Questions tab said "lesson: covered" for
# "What I took away is that..." while structure said "no clear lesson" (a well-told disagreement
# story scored structure 0). Behavioral points that are none of these are what the candidate
# did: actions.
KEY_POINT_ELEMENTS: dict[str, dict[str, frozenset[str]]] = {
    "behavioral": {
        "situation": frozenset({"situation", "context", "background"}),
        "task": frozenset({"task"}),
        "result": frozenset({"result", "outcome"}),
        "lesson": frozenset({"lesson", "ownership", "own_it", "growth", "learned"}),
    },
}
ACTION_ELEMENT = {"behavioral": "action"}


def _key_point_proof(fmt: str, name: str, credited: dict[str, dict]) -> tuple[str, dict] | None:
    """(key point id, its first evidence) that proves element `name`, if a credited point does."""
    kinds = KEY_POINT_ELEMENTS.get(fmt, {})
    if name in kinds:
        wanted = [k for k in credited if k in kinds[name]]
    elif ACTION_ELEMENT.get(fmt) == name:
        others = set().union(*kinds.values())
        wanted = [k for k in credited if k == name or k not in others]
    else:
        return None
    return (wanted[0], credited[wanted[0]]) if wanted else None


# Formats whose elements come one after another (a story's situation, then its task, action,
# result, lesson): an element's evidence is best quoted from a sentence no earlier element quoted.
TOLD_IN_TURN = frozenset({"behavioral"})


# Elements that earn credit when present but cost nothing when absent, per question category.
# Explaining bias-variance or a confusion matrix calls for no stated assumptions: an answer to
# "walk me through the bias-variance trade-off" was marked down 20 for "no clear assumptions".
OPTIONAL: dict[str, frozenset[str]] = {"fundamentals": frozenset({"assumptions"})}


# "over the next month", "the last few months", "the first week": an ordinal before a span of
# time dates something, it does not order the answer. A churn answer was credited with
# signposting for "...churn over the next month" and "usage over the last few months".
_TIME_AFTER_ORDINAL = frozenset(
    "month months week weeks day days year years quarter quarters hour hours minute minutes decade few couple time "
    "times".split())


def _dates_something(view: SentenceView, last: int) -> bool:
    return last + 1 < len(view.tokens) and view.tokens[last + 1].norm in _TIME_AFTER_ORDINAL


@dataclass
class StructureResult:
    format: str
    elements: list[dict]
    score: int
    raised: list[dict] = field(default_factory=list)
    lowered: list[dict] = field(default_factory=list)


def analyze_structure(category: str, views: list[SentenceView], words, answer_end: float,
                      credited: dict[str, dict] | None = None) -> StructureResult:
    """`credited`: the key points the answer was credited with, each with its first evidence
    ({"quote", "start"}); in stories they prove elements the markers missed (KEY_POINT_ELEMENTS)."""
    fmt = FORMAT_OF.get(category, "technical")
    credited = credited or {}
    optional = OPTIONAL.get(category, frozenset())
    total_weight = 0
    got = 0.0
    elements, raised, lowered = [], [], []
    n_views = len(views)
    quoted_sentences: set[int] = set()
    for name, phrases, opts in ELEMENTS[fmt]:
        hits = []
        for si, v in enumerate(views):
            if opts.get("where") == "end" and n_views >= 3 and si < n_views - max(1, n_views // 3):
                continue
            if opts.get("where") == "late" and n_views >= 3 and si < n_views // 2:
                continue
            for ph in phrases:
                for a, b in find_phrase(v, ph):
                    if opts.get("not_dates") and _dates_something(v, b):
                        continue
                    hits.append((v.tokens[a].start, v.tokens[a].word, v.tokens[b].word, ph.text, si))
        hits.sort()
        if fmt in TOLD_IN_TURN:
            # quote the element where the story tells it: "I built a demand forecasting model"
            # sits in the set-up sentence ("At my last job I built...") and was quoted as the
            # action, before "I rolled back to the previous model"
            hits.sort(key=lambda h: h[4] in quoted_sentences)
        distinct = {h[3] for h in hits}
        found = len(distinct) >= opts.get("min_hits", 1)
        proof = None if found else _key_point_proof(fmt, name, credited)
        found = found or proof is not None
        if not found and name in optional:
            continue
        total_weight += opts["weight"]
        entry = {"name": name, "found": found}
        if proof is not None:
            kp_id, ev = proof
            entry.update({"evidence": ev.get("quote", ""), "start": ev.get("start"), "key_point": kp_id, "markers": []})
        elif hits:
            h = hits[0]
            entry.update({"evidence": quote(words, h[1], h[2]), "start": round(h[0], 2), "markers": sorted(distinct)[:5]})
            quoted_sentences.add(h[4])
        elements.append(entry)
        if found:
            got += opts["weight"]
            raised.append({"reason": f"{name.replace('_', ' ')} present", "evidence": entry["evidence"], "start": entry["start"]})
        else:
            lowered.append(
                {
                    "reason": f"no clear {name.replace('_', ' ')}",
                    "evidence": f"not found in {fmt_time(0)}-{fmt_time(answer_end)}"
                    + (f" (only '{sorted(distinct)[0]}')" if distinct else ""),
                    "points": -opts["weight"],
                }
            )
    score = int(round(100.0 * got / total_weight)) if views and total_weight else 0
    return StructureResult(fmt, elements, score, raised, lowered)


# The element a good clarifying question counts as, per format.
CLARIFYING_ELEMENT = {"technical": "assumptions", "system_design": "requirements"}


def credit_clarifying_questions(analysis: dict, asked: list[str]) -> dict:
    """Asking good clarifying questions before answering counts in the candidate's favour.

    The engine calls this for an answer that followed one or more clarifying questions: the
    format's assumptions/requirements element is marked found, with the question as evidence,
    and the structure and overall scores are recomputed from their weights.
    """
    structure = analysis.get("structure") or {}
    element_name = CLARIFYING_ELEMENT.get(structure.get("format", ""))
    if not asked or not element_name:
        return analysis
    elements = structure.get("elements", [])
    element = next((e for e in elements if e["name"] == element_name), None)
    if element is None:  # an optional element the answer lacked (OPTIONAL): it now counts, found
        element = {"name": element_name}
        elements.append(element)
    elif element.get("found"):
        return analysis
    weights = {name: opts["weight"] for name, _, opts in ELEMENTS[structure["format"]]}
    element.update({"found": True, "evidence": f"asked: '{asked[0][:80]}'", "markers": ["clarifying question"]})
    got = sum(weights[e["name"]] for e in elements if e.get("found"))
    scores = analysis["scores"]
    scores["structure"] = int(round(100.0 * got / sum(weights[e["name"]] for e in elements)))
    w = analysis.get("weights") or {}
    if w:
        scores["overall"] = int(round(sum(scores[k] * wk for k, wk in w.items())))
    expl = analysis.setdefault("score_explanations", {}).setdefault("structure", {"raised": [], "lowered": []})
    expl.setdefault("raised", []).append({"reason": "asked a clarifying question before answering",
                                          "evidence": f"'{asked[0][:80]}'"})
    expl["lowered"] = [x for x in expl.get("lowered", []) if element_name.replace("_", " ") not in x.get("reason", "")]
    return analysis
