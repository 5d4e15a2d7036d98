"""How often the LLM, not the rubric fallback, words the follow-up, and how grounded it is.

`interviewer bench follow-ups` runs the interviewer brain over partial answers to bank
questions (tests/fixtures/partial_answers.yaml, or a file given) and reports the share
of follow-ups worded by the LLM that passed validation, their grounding in the
candidate's words, and the time per follow-up.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from .paths import REPO_ROOT

FIXTURES = REPO_ROOT / "tests" / "fixtures" / "partial_answers.yaml"


def bench_follow_ups(path: Path | None = None, stt_override=None, llm_override=None, settings=None,
                     seeds: int = 1) -> dict:
    import yaml

    from .analysis_bridge import score_answer
    from .bank import load_bank
    from .llm.brain import Interviewer, grounding
    from .llm.worker import LlmSettings, LlmWorker
    from .model_registry import active_paths
    from .transcript import Transcript, Word

    items = yaml.safe_load(Path(path or FIXTURES).read_text())
    bank = load_bank(include_user=False)
    _, llm_path = active_paths(stt_override, llm_override, settings)
    llm = LlmWorker(llm_path, LlmSettings.from_settings(settings)).start()
    llm.wait_loaded()
    brain = Interviewer(llm)
    brain.prime()
    rows = []
    for seed in range(seeds):
        for item in items:
            q = bank.get(item["question"])
            text = item["answer"]
            words = [Word(t, i * 0.4, i * 0.4 + 0.35) for i, t in enumerate(text.split())]
            kp = score_answer(q, Transcript(words, len(words) * 0.4))["key_points"]
            t0 = time.perf_counter()
            d = brain.follow_up(q, text, kp["covered"], kp["missed"], seed=seed)
            rows.append({
                "question": q.id, "covered": kp["covered"], "missed": kp["missed"], "kind": d.kind,
                "text": d.text, "targets": d.targets, "source": d.source, "samples": len(d.attempts),
                "grounded": d.source == "llm" and grounding(d.text, text, d.topic or "") > 0,
                "seconds": round(time.perf_counter() - t0, 3),
                "rejected": [a["rejected"] for a in d.attempts if a["rejected"]],
            })
    llm.close()
    asked = [r for r in rows if r["kind"] == "follow_up"]
    llm_rows = [r for r in asked if r["source"] == "llm"]
    return {
        "model": str(llm_path),
        "answers": len(rows),
        "follow_ups": len(asked),
        "llm_worded": len(llm_rows),
        "llm_share": round(len(llm_rows) / len(asked), 3) if asked else None,
        "grounded_in_answer": sum(1 for r in llm_rows if r["grounded"]),
        "targeted_missed_point": sum(1 for r in asked if r["targets"] in r["missed"]),
        "median_s": round(statistics.median(r["seconds"] for r in rows), 3) if rows else None,
        "max_s": max((r["seconds"] for r in rows), default=None),
        "rows": rows,
    }
