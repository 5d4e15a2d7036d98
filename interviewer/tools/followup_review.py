"""Are the interviewer's follow-ups questions a senior interviewer would ask? Judged by reading.

`interviewer bench follow-ups --json` runs every case of the review set
(tests/fixtures/follow_up_review: candidate answers to bank questions, to custom questions
and in project rehearsals) through the real policy and wording, then looks each reply up
in the set's verdicts, which people wrote by reading it as a senior ML interviewer would
(verdicts.yaml, keyed by case and exact text). It reports the judged shares per part
(tuning, held-out) and lists every reply nobody has judged yet: a changed wording has to
be read before any figure counts.

The second follow-up is judged the same way: second.yaml and second_heldout.yaml hold the
candidate's reply to the first follow-up, written to its exact words; the thread is carried
on as a session does, and what the interviewer says next is looked up in the verdicts. A
reply written to a first follow-up the interviewer no longer asks is reported as stale.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from ..paths import REPO_ROOT

REVIEW = REPO_ROOT / "tests" / "fixtures" / "follow_up_review"
PARTS = {"tuning": "cases.yaml", "heldout": "heldout.yaml"}
# The candidate's reply to the first follow-up, for judging the second (same parts).
SECOND_PARTS = {"tuning": "second.yaml", "heldout": "second_heldout.yaml"}
VERDICTS = ("good", "ok", "bad")


def _yaml(path: Path):
    import yaml

    return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def load_cases(parts=tuple(PARTS), folder: Path = REVIEW) -> list[dict]:
    cases = []
    for part in parts:
        for case in _yaml(folder / PARTS[part]) or []:
            cases.append({**case, "part": part})
    return cases


def load_second_cases(parts=tuple(SECOND_PARTS), folder: Path = REVIEW) -> list[dict]:
    cases = []
    for part in parts:
        path = folder / SECOND_PARTS[part]
        for case in (_yaml(path) if path.is_file() else None) or []:
            cases.append({**case, "part": part})
    return cases


def load_verdicts(folder: Path = REVIEW) -> dict[tuple[str, str], dict]:
    path = folder / "verdicts.yaml"
    if not path.is_file():
        return {}
    return {(v["case"], v["text"]): v for v in _yaml(path) or []}


def question_for(case: dict, bank, llm, folder: Path = REVIEW):
    """The question as the interview would have it: a bank question, a custom question (with
    its draft, cached beside the set by content), or a project question grounded in notes."""
    from ..content.bank import load_question_file
    from ..dialogue.drafting import drafted
    from ..content.projects import Project, ground_question

    if case.get("question_file"):
        return drafted(load_question_file(folder / case["question_file"]), llm, cache_dir=folder / "drafts")
    question = bank.get(case["question"])
    if case.get("project"):
        notes = next(p for p in _yaml(folder / "projects.yaml") if p["id"] == case["project"])
        question = ground_question(question, Project(**notes))
    return question


def reply_for(policy, question, answer: str, seed: int = 0, thread=None) -> dict:
    """What the interviewer says after `answer`; `thread`: the dialogue so far (a new one when
    None), which the session would then carry on with (see second_reply_for)."""
    from ..engine.policy import Thread

    t0 = time.perf_counter()
    thread = thread if thread is not None else Thread(question)
    plan = policy.plan(thread, answer)
    decision = policy.word(plan, thread, answer, seed=seed)
    return {"plan": plan.kind.value, "targets": decision.targets, "text": decision.text, "source": decision.source,
            "lead_in": decision.lead_in, "seconds": round(time.perf_counter() - t0, 3), "decision": decision}


def second_reply_for(policy, question, answer: str, first_follow_up: str, reply: str, seed: int = 0) -> dict:
    """What the interviewer says after the candidate's reply to its first follow-up, the thread
    carried on as the session does. The reply was written to one first follow-up; when the
    interviewer now asks another, the case is stale (`stale` holds what it asks now)."""
    from ..engine.policy import Thread

    thread = Thread(question)
    first = reply_for(policy, question, answer, seed=seed, thread=thread)
    if first["text"] != first_follow_up:
        return {"stale": first["text"]}
    thread.answers.append(answer)  # as engine.session does once the first turn is answered
    thread.asked(first["decision"])
    return reply_for(policy, question, reply, seed=seed, thread=thread)


def _shares(rows: list[dict]) -> dict:
    judged = [r for r in rows if r.get("verdict")]
    n = len(judged)

    def share(pred):
        return round(sum(1 for r in judged if pred(r)) / n, 3) if n else None

    return {
        "cases": len(rows), "judged": n, "unjudged": len(rows) - n,
        "good": sum(1 for r in judged if r["verdict"] == "good"),
        "ok": sum(1 for r in judged if r["verdict"] == "ok"),
        "bad": sum(1 for r in judged if r["verdict"] == "bad"),
        "sensible_share": share(lambda r: r["verdict"] in ("good", "ok")),
        "bad_share": share(lambda r: r["verdict"] == "bad"),
        "good_share": share(lambda r: r["verdict"] == "good"),
        "grounded_share": share(lambda r: bool(r.get("grounded"))),
    }


def bench_follow_ups(parts=tuple(PARTS), stt_override=None, llm_override=None, settings=None,
                     folder: Path = REVIEW, persona: str | None = None, mode: str = "study",
                     free_wording: bool | None = None) -> dict:
    """Every review case through the policy and the interviewer, with its verdict if judged.
    `free_wording` None leaves it to the model's size (the tiers in models/README.md)."""
    from ..content.bank import load_bank
    from ..dialogue.wording import Interviewer
    from ..engine.policy import Policy
    from ..llm.worker import LlmSettings, LlmWorker
    from ..models.registry import active_paths
    from ..content.personas import get_persona

    bank = load_bank(include_user=False)
    _, llm_path = active_paths(stt_override, llm_override, settings)
    llm = LlmWorker(llm_path, LlmSettings.from_settings(settings)).start()
    llm.wait_loaded()
    who = get_persona(persona)
    brain = Interviewer(llm, persona=who, free_wording=free_wording)
    brain.prime()
    from ..analysis.embed import shared_embedder
    from ..dialogue.off_topic import QuestionIndex

    index = QuestionIndex(list(bank), shared_embedder())  # ready before the first case, as in a warm app
    policy = Policy(brain, max_follow_ups=2, pushes_back=mode == "real" or bool(who and who.pushback),
                    index=lambda: index)
    verdicts = load_verdicts(folder)
    rows, second, stale = [], [], []
    try:
        for case in load_cases(parts, folder):
            question = question_for(case, bank, llm, folder)
            row = {"case": case["id"], "part": case["part"], "format": case["format"], "kind": case["kind"],
                   **reply_for(policy, question, case["answer"])}
            rows.append(_judged(row, verdicts))
        parents = {c["id"]: c for c in load_cases(tuple(PARTS), folder)}
        for case in load_second_cases(parts, folder):
            parent = parents[case["of"]]
            question = question_for(parent, bank, llm, folder)
            row = {"case": case["id"], "part": case["part"], "format": parent["format"], "kind": case["reply_kind"],
                   **second_reply_for(policy, question, parent["answer"], case["first_follow_up"], case["reply"])}
            if "stale" in row:
                stale.append({"case": case["id"], "written_for": case["first_follow_up"], "asked_now": row["stale"]})
            else:
                second.append(_judged(row, verdicts))
    finally:
        llm.close()
    for row in (*rows, *second):
        row.pop("decision", None)
    return {
        "model": str(llm_path),
        "parameters": llm.parameters,
        "free_wording": brain.free_wording,
        **{part: _shares([r for r in rows if r["part"] == part]) for part in parts},
        "all": _shares(rows),
        "median_reply_s": round(statistics.median(r["seconds"] for r in rows), 3) if rows else None,
        "unjudged": [{"case": r["case"], "text": r["text"]} for r in (*rows, *second) if not r.get("verdict")],
        "bad": [{"case": r["case"], "text": r["text"], "why": r.get("why")} for r in rows if r.get("verdict") == "bad"],
        "rows": rows,
        # what the interviewer says after the candidate's reply to its first follow-up
        "second": {
            **{part: _shares([r for r in second if r["part"] == part]) for part in parts},
            "all": _shares(second),
            "stale": stale,
            "bad": [{"case": r["case"], "text": r["text"], "why": r.get("why")} for r in second
                    if r.get("verdict") == "bad"],
            "rows": second,
        },
    }


def _judged(row: dict, verdicts: dict) -> dict:
    verdict = verdicts.get((row["case"], row["text"]))
    if verdict:
        row.update(verdict=verdict["verdict"], grounded=bool(verdict.get("grounded")), why=verdict.get("why"))
    return row
