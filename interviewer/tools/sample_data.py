"""A few weeks of plausible practice, for screenshots and GUI tests that need a history
without running the models: answers are written from each question's own key points
(some left out, a filler and a hedge here and there) and scored by the real analysis.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta


def _answer_text(question, rng: random.Random, coverage: float) -> tuple[str, list[str]]:
    points = list(question.key_points)
    rng.shuffle(points)
    n = max(1, round(len(points) * coverage))
    chosen = points[:n]
    openers = ["So,", "Um, so", "Okay.", "Right, so", "I think"]
    parts = [f"{rng.choice(openers)} {chosen[0].label.rstrip('.')}."]
    for kp in chosen[1:]:
        lead = rng.choice(["Also,", "Second,", "Um,", "And maybe", "For example,", "Then"])
        parts.append(f"{lead} {kp.label[0].lower()}{kp.label[1:].rstrip('.')}.")
    if rng.random() < 0.5:
        parts.append("So overall that is the trade-off I would weigh, you know.")
    return " ".join(parts), [kp.id for kp in chosen]


def populate(store, bank, *, sessions: int = 8, days: int = 35, seed: int = 7, now: datetime | None = None,
             clock_setter=None) -> list[str]:
    """Write `sessions` finished sessions spread over the last `days` days; returns their ids.

    `clock_setter(datetime)` moves the store's clock (Store.open(clock=...)) so sessions
    land on past dates.
    """
    from ..analysis import analyze, summarize_session, transcript_from_text

    rng = random.Random(seed)
    now = now or datetime.now().astimezone()
    formats = ["fundamentals", "ml_coding", "system_design", "fundamentals", "behavioral", "ml_coding"]
    pools = {f: bank.select(3, seed=seed, categories=[f]) for f in set(formats)}  # repeats build key-point histories
    ids = []
    for k in range(sessions):
        when = now - timedelta(days=days * (sessions - k) / sessions, hours=rng.randint(0, 5))
        if clock_setter:
            clock_setter(when)
        fmt = formats[k % len(formats)]
        questions = rng.sample(pools[fmt], 2)
        mode = "real" if k % 3 == 2 else "study"
        sid = store.begin_session(format=fmt, mode=mode, settings={"keep_audio": False},
                                  question_ids=[q.id for q in questions])
        results = []
        for qi, q in enumerate(questions):
            coverage = min(1.0, 0.35 + 0.07 * k + rng.random() * 0.2)
            text, _ = _answer_text(q, rng, coverage)
            transcript = transcript_from_text(text, wpm=rng.choice([125, 140, 150, 165]))
            analysis = analyze(q, transcript).to_dict()
            question = {"id": q.id, "category": q.category, "prompt": q.prompt, "tags": q.tags}
            store.record_answer(sid, question, {"kind": "answer", "index": qi * 2, "interviewer_text": q.prompt,
                                                "source": "bank"}, transcript.to_dict(), analysis)
            results.append({"analysis": analysis})
            missed = analysis["key_points"]["missed"]
            if missed and q.follow_ups_for(missed[0]) and rng.random() < 0.7:
                target = missed[0]
                fu_text = q.follow_ups_for(target)[0].text
                kp = q.key_point(target)
                reply = transcript_from_text(f"Right. {kp.label}. That is what I would check first.")
                results[-1]["follow_ups"] = [_record_follow_up(store, sid, question, q, target, fu_text, reply,
                                                               qi * 2 + 1)]
        summary = summarize_session(results)
        summary.update({"questions": len(questions), "format": fmt, "mode": mode,
                        "duration_s": round(240 + rng.random() * 300, 1)})
        store.finish_session(sid, summary)
        ids.append(sid)
    if clock_setter:
        clock_setter(now)
    return ids


def drill_sample(concept: str = "gradient descent", target_s: int = 30, text: str | None = None,
                 audience: str = "interviewer", wpm: int = 150) -> tuple:
    """(question, analysis, drill report) of a typed-in drill answer, scored by the real analysis."""
    from ..analysis import analyze, transcript_from_text
    from ..content.drills import concept_question, drill_report
    from ..app.demo_drills import DRILL_ANSWER

    question = concept_question(concept, target_s, audience)
    analysis = analyze(question, transcript_from_text(text or DRILL_ANSWER, wpm=wpm), audience=audience).to_dict()
    return question, analysis, drill_report(question, analysis, target_s, audience)


def populate_rehearsal(store, bank, *, deep_dive_id: str = "proj-measure-impact", persona: str = "manager") -> str:
    """A finished rehearsal of the demo project (pitch, two follow-ups, one deep dive and its
    follow-up), written from the demo's scripted answers and scored by the real analysis.
    Returns the session id; the project is saved too."""
    from ..analysis import analyze, summarize_session, transcript_from_text
    from ..content.projects import Project, ground_question
    from ..app.demo_drills import DEMO_PROJECT, REHEARSAL_ANSWERS, ensure_demo_project

    ensure_demo_project(store)
    project = Project.model_validate(DEMO_PROJECT)
    pitch = ground_question(bank.get("proj-pitch-two-minutes"), project)
    deep_id = deep_dive_id if deep_dive_id in bank.questions else next(
        q.id for q in bank.by_category("project") if "pitch" not in q.id)
    deep = ground_question(bank.get(deep_id), project)
    sid = store.begin_session(format="project", mode="study", persona=persona, settings={"keep_audio": False},
                              question_ids=[pitch.id, deep.id])
    results = []
    answers = iter(REHEARSAL_ANSWERS)
    index = 0
    for q, follow_targets in ((pitch, ("impact", "lessons")), (deep, ())):
        info = {"id": q.id, "category": q.category, "prompt": q.prompt, "tags": q.tags}
        tr = transcript_from_text(next(answers), wpm=150)
        analysis = analyze(q, tr).to_dict()
        store.record_answer(sid, info, {"kind": "answer", "index": index, "interviewer_text": q.prompt,
                                        "source": "bank"}, tr.to_dict(), analysis)
        index += 1
        result = {"analysis": analysis, "follow_ups": []}
        missed = analysis["key_points"]["missed"]
        targets = [t for t in follow_targets if t in missed] or [k for k in missed if q.follow_ups_for(k)][:1]
        for target in targets:
            asked = q.follow_ups_for(target)
            if not asked:
                continue
            reply = transcript_from_text(next(answers, "I would have to check that."), wpm=150)
            result["follow_ups"].append(_record_follow_up(store, sid, info, q, target, asked[-1].text, reply, index))
            index += 1
        results.append(result)
    summary = summarize_session(results)
    summary.update({"questions": 2, "format": "project", "mode": "study", "duration_s": 214.0})
    store.finish_session(sid, summary)
    return sid


def populate_demo(store, bank) -> str:
    """A finished demo session (the demo's question, answered with its recorded text), as
    the demo leaves in History; `store` is a TaggedStore that labels it."""
    from ..analysis import analyze, summarize_session, transcript_from_text
    from ..app.demo import DEMO_DIR
    from ..app.demo_answers import demo_question

    q = demo_question()
    text = (DEMO_DIR / "answer.txt").read_text(encoding="utf-8").strip()
    sid = store.begin_session(format="fundamentals", mode="study", settings={"keep_audio": False},
                              question_ids=[q.id])
    tr = transcript_from_text(text, wpm=150)
    analysis = analyze(q, tr).to_dict()
    store.record_answer(sid, {"id": q.id, "category": q.category, "prompt": q.prompt, "tags": q.tags},
                        {"kind": "answer", "index": 0, "interviewer_text": q.prompt, "source": "bank"},
                        tr.to_dict(), analysis)
    summary = summarize_session([{"analysis": analysis}])
    summary.update({"questions": 1, "format": "fundamentals", "mode": "study", "duration_s": 95.0})
    store.finish_session(sid, summary)
    return sid


def sample_custom_question() -> tuple[dict, object]:
    """(what a user types into My questions, a plausible draft of it) for screenshots."""
    from ..content.bank import parse_question

    typed = {"prompt": "How would you detect data drift in a deployed fraud model, and what would you do about it?",
             "key_points": [
                 {"label": "Compare live feature distributions with the training data",
                  "cues": ["distribution", "population stability index", "psi", "kolmogorov"],
                  "says": "Every day I would check whether the inputs still look like what the model was trained on."},
                 {"label": "Watch the label delay: fraud labels arrive weeks later",
                  "cues": ["label delay", "chargeback", "delayed labels"]},
                 {"label": "Retrain on a schedule or on a drift alarm, and shadow-test first",
                  "cues": ["retrain", "shadow", "champion challenger"]}]}
    drafted = parse_question({
        "id": "my-detect-data-drift-sample", "category": "system_design", "prompt": typed["prompt"],
        "key_points": [
            {"id": "distribution", "label": typed["key_points"][0]["label"], "cues": typed["key_points"][0]["cues"],
             "topic": "comparing live and training distributions"},
            {"id": "label-delay", "label": typed["key_points"][1]["label"], "cues": typed["key_points"][1]["cues"],
             "topic": "the delay before fraud labels arrive"},
            {"id": "retrain", "label": typed["key_points"][2]["label"], "cues": typed["key_points"][2]["cues"]}],
        "follow_ups": [
            {"targets": "distribution", "text": "Which statistic would you track to see the inputs drifting?"},
            {"targets": "label-delay", "text": "Fraud labels come weeks late. How does that change your monitoring?"},
            # a point the drafter could not name gets the format's general line (shown in italics)
            {"targets": "retrain", "text": "What else would the design need to handle in production?"}],
        "probes": [
            {"after": "distribution", "text": "How would you set the alarm threshold without drowning in alerts?"},
            {"after": "retrain", "text": "How would a shadow deployment tell you the new model is better?"},
            {"text": "What would you log today so that next year's investigation is easy?"}]}, "sample")
    return typed, drafted


def _record_follow_up(store, sid, info: dict, q, target: str, asked: str, reply, index: int, audio_path=None) -> dict:
    """Store a follow-up turn (`asked` about `target`, answered with the transcript `reply`),
    scored and assessed by the real analysis; returns the assessment."""
    from ..analysis import analyze, assess_follow_up

    analysis = analyze(q, reply, follow_up_on=target).to_dict()
    assessment = assess_follow_up(q, target, analysis)
    store.record_answer(sid, info, {"kind": "follow_up", "index": index, "targets": target, "interviewer_text": asked,
                                    "source": "rubric", "follow_up_assessment": assessment}, reply.to_dict(), analysis,
                        audio_path=audio_path)
    return assessment


def _silent_wav(path, seconds: float):
    """A recording of silence, as long as an answer, for replay in a report."""
    import numpy as np

    from ..audio import SAMPLE_RATE
    from ..audio.io import write_wav

    return write_wav(path, np.zeros(int(seconds * SAMPLE_RATE), np.float32))


def populate_with_audio(store, bank, folder, *, seed: int = 11) -> str:
    """A finished two-question session whose answers have recordings (silence as long as
    each answer), so a report can replay them; the first question has a follow-up whose
    answer makes a point the first answer missed (credit from anywhere in the thread).
    Returns its id."""
    from ..analysis import analyze, summarize_session, transcript_from_text

    rng = random.Random(seed)
    questions = bank.select(2, seed=seed, categories=["fundamentals"])
    sid = store.begin_session(format="fundamentals", mode="study", settings={"keep_audio": True},
                              question_ids=[q.id for q in questions])
    results = []
    index = 0
    for qi, q in enumerate(questions):
        text, _ = _answer_text(q, rng, 0.6)
        tr = transcript_from_text("Um, " + text, wpm=145)
        wav = _silent_wav(folder / f"sample-answer-{qi}.wav", tr.duration_s + 1)
        analysis = analyze(q, tr).to_dict()
        info = {"id": q.id, "category": q.category, "prompt": q.prompt, "tags": q.tags}
        store.record_answer(sid, info, {"kind": "answer", "index": index, "interviewer_text": q.prompt,
                                        "source": "bank"}, tr.to_dict(), analysis, audio_path=wav)
        index += 1
        result = {"analysis": analysis, "follow_ups": []}
        missed = [k for k in analysis["key_points"]["missed"] if q.follow_ups_for(k)]
        if qi == 0 and missed:
            kp = q.key_point(missed[-1])
            reply = transcript_from_text(f"Right, {kp.label[0].lower()}{kp.label[1:].rstrip('.')}.", wpm=140)
            wav = _silent_wav(folder / f"sample-answer-{qi}-follow-up.wav", reply.duration_s + 1)
            result["follow_ups"].append(_record_follow_up(store, sid, info, q, kp.id, q.follow_ups_for(kp.id)[0].text,
                                                          reply, index, audio_path=wav))
            index += 1
        results.append(result)
    summary = summarize_session(results)
    summary.update({"questions": 2, "format": "fundamentals", "mode": "study", "duration_s": 312.0})
    store.finish_session(sid, summary)
    return sid
