"""Answer analysis without the speech model: matching, context rules, scores, API shape, bad input.

The fixture answers are scored here from their reference text (evenly timed words), so
the depth and key-point bars are checked in the fast tier too; tests/test_analysis_audio.py
checks the same bars on real transcriptions of synthesized speech.
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures" / "analysis"))

import corpus  # noqa: E402

from interviewer.analysis import (  # noqa: E402
    analyze,
    assess_follow_up,
    summarize_session,
    transcript_from_text,
)
from interviewer.app.score_file import score_file  # noqa: E402
from interviewer.tools.analysis_bench import bench_analysis  # noqa: E402
from interviewer.analysis.text import stem  # noqa: E402
from interviewer.content.bank import Question  # noqa: E402
from interviewer.errors import AudioError, QuestionError, UserError  # noqa: E402
from interviewer.transcript import Transcript, Word  # noqa: E402

ISSUE_FIELDS = {
    "transcript", "duration_s", "word_count", "wpm", "fillers", "fillers_per_min", "pauses", "key_points", "scores", "feedback",
}


def q_of(qid: str) -> Question:
    return corpus.questions()[qid]


def text_analysis(answer: corpus.Answer):
    return analyze(q_of(answer.question), transcript_from_text(answer.text, wpm=150))


@pytest.fixture(scope="module")
def text_results():
    return {a.id: (a, text_analysis(a)) for a in corpus.answers()}


def _pairs(results, score_key):
    by_q: dict[str, dict[str, list[int]]] = {}
    for a, r in results.values():
        by_q.setdefault(a.question, {}).setdefault(a.level, []).append(score_key(r))
    pairs = ok = 0
    bad = []
    for qid, lv in by_q.items():
        for hi, lo in (("strong", "partial"), ("partial", "off_topic"), ("strong", "off_topic")):
            for x, y in itertools.product(lv.get(hi, []), lv.get(lo, [])):
                pairs += 1
                ok += x > y
                if x <= y:
                    bad.append((qid, hi, x, lo, y))
    return ok, pairs, bad


def key_point_f1(pairs) -> tuple[float, float, float]:
    tp = fp = fn = 0
    for want, got in pairs:
        tp += len(got & want)
        fp += len(got - want)
        fn += len(want - got)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


# ------------------------------------------------------------------ the fixture set itself


def test_fixture_set_is_well_formed():
    qs = corpus.questions()
    answers = corpus.answers()
    assert len(qs) >= 6
    assert {q.category for q in qs.values()} >= {"fundamentals", "system_design", "behavioral", "project", "case_study"}
    for qid in qs:
        levels = {a.level for a in answers if a.question == qid}
        assert {"strong", "partial", "off_topic", "paraphrase", "buzzwords"} <= levels, qid
    for a in answers:
        ids = {kp.id for kp in qs[a.question].key_points}
        assert set(a.covered) <= ids, a.id
        if a.level in ("off_topic", "buzzwords"):
            assert not a.covered
    assert {a.rate for a in answers} == set(corpus.RATES)


def test_paraphrases_avoid_the_cue_words_of_what_they_cover():
    """A paraphrase that said a cue would test nothing: check, word by word, that it does not."""
    import re

    for a in corpus.answers() + corpus.heldout():
        if a.level != "paraphrase":
            continue
        said = " " + " ".join(re.findall(r"[a-z0-9]+", a.clean_text.lower())) + " "
        for kp in q_of(a.question).key_points:
            if kp.id in a.covered:
                for cue in kp.cues:
                    c = " " + " ".join(re.findall(r"[a-z0-9]+", cue.lower())) + " "
                    assert c not in said, f"{a.id} says cue '{cue}' of {kp.id}"


# ------------------------------------------------------------------ depth and key points (text tier)


def test_depth_orders_strong_partial_off_topic_from_text(text_results):
    ok, pairs, bad = _pairs(text_results, lambda r: r.scores["depth"])
    print(f"\n[text] depth ordering: {ok}/{pairs} pairs = {ok / pairs:.1%}; misordered: {bad}")
    assert ok / pairs >= 0.95


def test_key_point_f1_from_text(text_results):
    p, r, f1 = key_point_f1((set(a.covered), set(res.covered)) for a, res in text_results.values())
    print(f"\n[text] key points: precision {p:.3f} recall {r:.3f} F1 {f1:.3f}")
    assert f1 >= 0.9


def test_paraphrases_credited_and_buzzwords_not_from_text(text_results):
    para = [(a, r) for a, r in text_results.values() if a.level == "paraphrase"]
    credited = sum(len(set(a.covered) & set(r.covered)) for a, r in para)
    labelled = sum(len(a.covered) for a, _ in para)
    print(f"\n[text] paraphrase key points credited: {credited}/{labelled}")
    assert credited / labelled >= 0.8
    for a, r in para:
        assert set(a.covered) & set(r.covered), f"{a.id}: no paraphrased point credited"
    strong = {a.question: r.scores["depth"] for a, r in text_results.values() if a.level == "strong"}
    for a, r in text_results.values():
        if a.level == "buzzwords":
            assert r.covered == [], f"{a.id} credited {r.covered}"
            assert r.scores["depth"] < strong[a.question]
            assert r.extra["named_not_explained"] or any(e["named_only"] for e in r.extra["key_point_evidence"])


def test_heldout_paraphrases(text_results):
    """Paraphrases written after the lexicon was frozen: the honest generalisation figure."""
    p, r, f1 = key_point_f1(
        (set(a.covered), set(text_analysis(a).covered)) for a in corpus.heldout()
    )
    print(f"\n[text] held-out paraphrases: precision {p:.3f} recall {r:.3f} F1 {f1:.3f}")
    assert r >= 0.8


def test_answers_to_other_questions_credit_little(text_results):
    """Every fixture answer scored against every other question: the off-topic stress test."""
    hits = total = 0
    for a in corpus.answers():
        for qid, q in corpus.questions().items():
            if qid == a.question:
                continue
            r = analyze(q, transcript_from_text(a.text))
            hits += len(r.covered)
            total += len(q.key_points)
    print(f"\n[text] cross-question credits: {hits}/{total} = {hits / total:.1%}")
    assert hits / total < 0.10


# ------------------------------------------------------------------ matching rules


def make(qdict: dict) -> Question:
    base = {"id": "t-q", "category": "fundamentals", "prompt": "A question for the unit tests.", "key_points": []}
    base.update(qdict)
    return Question.model_validate(base)


def covered(q: Question, text: str) -> list[str]:
    return analyze(q, transcript_from_text(text)).covered


def test_cues_respect_word_boundaries_and_stems():
    q = make({"key_points": [
        {"id": "auc", "label": "Report the area under the curve", "cues": ["auc"]},
        {"id": "l1", "label": "Use an absolute value penalty", "cues": ["l1"]},
        {"id": "fit", "label": "The model underfits the training data", "cues": ["underfitting"]},
    ]})
    assert covered(q, "I would do that because the scores are, in general, well calibrated for this model.") == []
    assert covered(q, "The model here was underfitting the training data badly, so I added more features to it.") == ["fit"]
    assert covered(q, "When the model under fits the data, the error stays high on the training set as well.") == ["fit"]
    assert "auc" in covered(q, "I would report the AUC, which tells you how well the model ranks the positives.")
    assert covered(q, "The L12 network has too many layers for the little data that we have in this case.") == []


def test_compounds_and_asr_slips_match():
    q = make({"key_points": [
        {"id": "to", "label": "There is a trade-off", "cues": ["trade-off"]},
        {"id": "var", "label": "Variance of the estimator", "cues": ["high variance"]},
    ]})
    assert "to" in covered(q, "There is a tradeoff here, because a more complex model can fit noise in the data.")
    assert "to" in covered(q, "There is a trade off here, because a more complex model can fit noise in the data.")
    assert "var" in covered(q, "A deep tree has high variants, so its predictions change a lot from sample to sample.")


def test_naming_is_not_explaining():
    q = q_of("fx-bias-variance")
    r = analyze(q, transcript_from_text("Underfitting. Overfitting. Regularization, dropout, bagging, learning curves, cross-validation."))
    assert r.covered == []
    assert r.scores["depth"] < 20
    assert any("named" in t["tip"] or "Naming" in t["tip"] for t in r.feedback)


# ------------------------------------------------------------------ clarity rules


def lexical(text: str) -> list[str]:
    r = analyze(q_of("fx-bias-variance"), transcript_from_text(text))
    return [f["word"] for f in r.extra["lexical_fillers"]]


def test_like_judged_in_context():
    assert lexical("I like gradient boosting for tabular data because it is fast to train.") == []
    assert lexical("It looks like the model overfits, something like a memorizing student.") == []
    assert lexical("It's, like, a really flexible model, and, like, it overfits.") == ["like", "like"]
    assert lexical("You know, the model is too simple. You know that the bias is high.") == ["you know"]
    assert lexical("Basically the model memorizes. I mean, it overfits. What I mean is that it fails.") == ["basically", "I mean"]


def test_hedges_repetitions_long_sentences_and_jargon():
    q = q_of("fx-bias-variance")
    long = " ".join(["the model keeps fitting noise"] * 10) + "."
    r = analyze(q, transcript_from_text(f"I think maybe the the model overfits. I guess it is sort of too flexible. {long} We use SMOTE and PCA."))
    hedges = [h["word"] for h in r.extra["hedges"]]
    assert hedges[:4] == ["i think", "maybe", "i guess", "sort of"]
    assert [x["word"] for x in r.extra["repetitions"]] == ["the"]
    assert len(r.extra["long_sentences"]) == 1
    terms = {j["term"]: j["explained"] for j in r.extra["jargon"]}
    assert terms.get("SMOTE") is False and terms.get("PCA") is False
    # "a kind of X" names a kind; it is not a hedge
    r2 = analyze(q, transcript_from_text("L1 gives a kind of feature selection, which is useful."))
    assert r2.extra["hedges"] == []


def test_non_expert_audience_weighs_unexplained_jargon():
    q = q_of("fx-class-imbalance")
    text = "Use SMOTE, then XGBoost with PR AUC and F1, and calibrate the logits after the softmax on a stratified split."
    expert = analyze(q, transcript_from_text(text))
    lay = analyze(q, transcript_from_text(text), audience="non_expert")
    assert lay.scores["clarity"] < expert.scores["clarity"] - 10
    # an ML interviewer shares the vocabulary: nothing is docked or advised for it
    expert_says = [x["reason"] for x in expert.extra["score_explanations"]["clarity"]["lowered"]]
    assert not any("technical terms" in r for r in expert_says), expert_says
    assert not any("plain words" in t["tip"] for t in expert.feedback)
    with pytest.raises(ValueError):
        analyze(q, transcript_from_text(text), audience="kids")


# ------------------------------------------------------------------ scores, explanations, JSON


def test_to_dict_has_every_issue_field_and_explanations(text_results):
    a, r = text_results["bv-strong"]
    d = r.to_dict()
    assert ISSUE_FIELDS <= set(d)
    json.dumps(d)
    assert set(d["key_points"]) == {"covered", "missed"}
    assert set(d["scores"]) == {"clarity", "pacing", "depth", "structure", "overall"}
    assert all(0 <= v <= 100 and isinstance(v, int) for v in d["scores"].values())
    for f in d["fillers"]:
        assert {"word", "start"} <= set(f)
    for k in ("clarity", "pacing", "depth", "structure", "overall"):
        assert set(d["score_explanations"][k]) == {"raised", "lowered"}
    assert d["score_explanations"]["depth"]["raised"], "a strong answer's depth says what raised it"
    assert d["feedback"], "a tip is always given"
    for tip in d["feedback"]:
        assert tip["tip"] and tip["evidence"], tip
    assert d["wpm_windows"] and d["structure"]["elements"]
    assert all(e["evidence"] for e in d["key_point_evidence"] if e["covered"])


def test_overall_weights_follow_the_category():
    from interviewer.analysis.report import WEIGHTS

    assert WEIGHTS["fundamentals"]["depth"] > WEIGHTS["fundamentals"]["structure"]
    assert WEIGHTS["behavioral"]["structure"] > WEIGHTS["behavioral"]["depth"]
    for w in WEIGHTS.values():
        assert abs(sum(w.values()) - 1.0) < 1e-9


def test_structure_elements_by_format(text_results):
    def found(aid):
        return {e["name"] for e in text_results[aid][1].extra["structure"]["elements"] if e["found"]}

    assert found("mf-strong") == {"situation", "task", "action", "result", "lesson"}
    assert found("fr-strong") == {"requirements", "components", "trade_offs", "monitoring"}
    assert {"problem", "data", "approach", "results", "impact"} <= found("pp-strong")
    assert {"signposting", "conclusion"} <= found("ci-strong")
    assert text_results["mf-strong"][1].scores["structure"] > text_results["mf-partial"][1].scores["structure"]


def test_pacing_band_and_windows():
    q = q_of("fx-bias-variance")
    text = " ".join(["The model memorizes noise in the training data so it overfits badly."] * 30)
    slow = analyze(q, transcript_from_text(text, wpm=95))
    good = analyze(q, transcript_from_text(text, wpm=145))
    fast = analyze(q, transcript_from_text(text, wpm=210))
    assert good.scores["pacing"] > slow.scores["pacing"] and good.scores["pacing"] > fast.scores["pacing"]
    assert len(good.extra["wpm_windows"]) >= 2
    assert any("Slow down" in t["tip"] for t in fast.feedback)


def test_a_short_answer_charts_how_its_pace_moved():
    """A 30-second answer is one 30 s scoring window (a flat line); the chart's windows are
    shorter, so a rush in its second half shows."""
    words, t = [], 0.5
    for i in range(80):  # about 15 s at 130 wpm, then about 15 s at 190 wpm
        step = 60 / 130 if i < 32 else 60 / 190
        words.append(Word("noise" if i % 5 else "variance.", t, t + step * 0.8))
        t += step
    r = analyze(q_of("fx-bias-variance"), Transcript(words, t + 0.5))
    assert len(r.extra["wpm_windows"]) == 1  # the score still judges 30 s windows
    curve = r.extra["pace_curve"]
    assert len(curve) >= 3 and all(8.0 <= w["end"] - w["start"] <= 15.0 for w in curve)
    assert curve[0]["wpm"] < 145 and curve[-1]["wpm"] > 175  # the rush is visible
    assert sum(w["words"] for w in curve) == r.word_count
    long = analyze(q_of("fx-bias-variance"), transcript_from_text(" ".join(["word"] * 450), wpm=150))
    assert long.extra["pace_curve"] == long.extra["wpm_windows"]  # long answers: the score's own windows


def test_transcript_without_audio_uses_timestamp_gaps_for_pauses():
    words = [Word("Bias", 0.5, 0.8), Word("is", 0.8, 1.0), Word("error.", 1.0, 1.4), Word("Variance", 3.9, 4.4), Word("too.", 4.4, 4.8), Word("Done", 5.2, 5.5)]
    r = analyze(q_of("fx-bias-variance"), Transcript(words, 6.0))
    assert [p["start"] for p in r.pauses] == [1.4] and r.pauses[0]["duration"] == 2.5
    assert r.word_count == 6


def test_voiced_gaps_from_a_transcript_json_count_as_fillers():
    words = [Word("Bias", 0.5, 0.8), Word("is", 0.8, 1.0), Word("error.", 1.0, 1.4), Word("Variance", 2.3, 2.8)]
    t = Transcript(words, 3.0, speech_start=0.5, speech_end=2.8, voiced_gaps=[(1.5, 2.0)])
    r = analyze(q_of("fx-bias-variance"), t)
    assert r.extra["filled_pause_sources"] == {"transcript": 0, "acoustic": 1}


# ------------------------------------------------------------------ follow-ups and sessions


def test_assess_follow_up_direct_partial_and_missed():
    q = q_of("fx-class-imbalance")
    direct = analyze(q, transcript_from_text("I would pick the decision threshold on validation data, trading missed positives against false alarms for the business."))
    named = analyze(q, transcript_from_text("Threshold, cutoff, operating point."))
    off = analyze(q, transcript_from_text("I would collect more data and train a deeper network for longer, which usually helps a lot."))
    a = assess_follow_up(q, "threshold", direct)
    assert a["addressed"] is True and a["directness"] >= 0.8 and a["evidence"]
    b = assess_follow_up(q, "threshold", named.to_dict())
    assert b["addressed"] is False and 0 < b["directness"] <= 0.5
    c = assess_follow_up(q, "threshold", off)
    assert c["addressed"] is False and c["directness"] == 0.0 and c["directness_label"] == "not addressed"
    with pytest.raises(KeyError):
        assess_follow_up(q, "nope", off)

    summary = summarize_session([
        {"question": q, "analysis": direct, "follow_ups": [a, b]},
        {"question": q, "analysis": off.to_dict(), "follow_ups": [c]},
    ])
    json.dumps(summary)
    assert summary["answers"] == 2
    assert summary["follow_ups"]["count"] == 3 and summary["follow_ups"]["addressed"] == 1
    assert set(summary["scores"]) == {"clarity", "pacing", "depth", "structure", "overall"}


# ------------------------------------------------------------------ no speech and bad input


def test_empty_transcript_means_no_speech():
    r = analyze(q_of("fx-bias-variance"), Transcript([], 20.0), np.zeros(16000 * 20, dtype=np.float32))
    d = r.to_dict()
    assert d["word_count"] == 0 and d["transcript"] == "" and d["wpm"] == 0
    assert any("No speech was detected" in t["tip"] for t in d["feedback"])
    assert d["scores"]["overall"] == 0


def test_score_file_bad_inputs(tmp_path):
    qf = corpus.question_file("fx-bias-variance")
    garbage = tmp_path / "answer.wav"
    garbage.write_bytes(b"RIFF\x00\x00not really a wave file at all" * 10)
    with pytest.raises(AudioError) as e:
        score_file(garbage, qf)
    assert "answer.wav" in str(e.value)
    with pytest.raises(AudioError):
        score_file(tmp_path / "missing.wav", qf)

    bad_q = tmp_path / "bad.yaml"
    bad_q.write_text("id: x\ncategory: cooking\nprompt: Explain something here.\nkey_points: [{id: a, label: abc, cues: [a]}]\n")
    with pytest.raises(QuestionError) as e:
        score_file(garbage, bad_q)
    assert "bad.yaml" in str(e.value) and "category" in str(e.value)

    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps({"words": []}))
    with pytest.raises(UserError) as e:
        score_file(empty, qf)
    assert "empty" in str(e.value)


def test_score_file_accepts_a_transcript_json(tmp_path):
    a = next(x for x in corpus.answers() if x.id == "ci-strong")
    path = tmp_path / "t.json"
    path.write_text(json.dumps(transcript_from_text(a.text).to_dict()))
    d = score_file(path, corpus.question_file(a.question))
    assert ISSUE_FIELDS <= set(d)
    assert set(d["key_points"]["covered"]) == set(a.covered)
    assert d["stt"] == {"source": "transcript"}


def test_bench_analysis_is_json_and_complete():
    r = bench_analysis(repeats=2, minutes=2.0)
    json.dumps(r)
    assert r["with_audio"]["median_ms"] > 0 and r["transcript_only"]["p90_ms"] > 0
    assert r["sanity"]["covered"] and r["sanity"]["pauses"] >= 1


def test_stem_is_conservative():
    assert stem("underfitting") == stem("underfits") == stem("underfit")
    assert stem("bias") == "bias" and stem("analysis") == "analysis"
    assert stem("regularization") == stem("regularize") == stem("regularized")
    assert stem("classes") == stem("class")


def test_summarize_session_takes_the_engines_turn_records():
    """The session engine passes TurnRecord.to_dict(): analysis + follow_up_assessment per turn."""
    q = q_of("fx-class-imbalance")
    first = analyze(q, transcript_from_text("Accuracy is useless here, so I would report precision and recall, which count the flagged and the found positives.")).to_dict()
    fu = analyze(q, transcript_from_text("I would move the decision threshold until missed positives and false alarms match the business cost."))
    records = [
        {"question_id": q.id, "kind": "answer", "analysis": first, "follow_up_assessment": None},
        {"question_id": q.id, "kind": "follow_up", "analysis": fu.to_dict(), "targets": "threshold",
         "follow_up_assessment": assess_follow_up(q, "threshold", fu)},
        {"question_id": q.id, "kind": "clarification", "analysis": None, "follow_up_assessment": None},
    ]
    s = summarize_session(records)
    json.dumps(s)
    assert s["answers"] == 2 and s["by_kind"] == {"answer": 1, "follow_up": 1}
    assert s["follow_ups"]["count"] == 1 and s["follow_ups"]["addressed"] == 1
    assert s["follow_ups"]["items"][0]["question_id"] == q.id
    assert isinstance(s["overall"], int)


def test_each_further_filler_lowers_clarity():
    """No ceiling on the filler penalty: 9 fillers in half a minute must score below 6."""
    from interviewer.analysis.clarity import score_clarity

    def clarity(n: int, minutes: float) -> int:
        filled = [{"word": "um", "start": float(i)} for i in range(n)]
        return score_clarity(filled, [], [], [], [], [], minutes, "expert")[0]

    for minutes in (0.5, 1.0, 3.0):
        scores = [clarity(n, minutes) for n in range(0, 19, 3)]  # up to 36 a minute
        assert all(a > b for a, b in zip(scores, scores[1:])), (minutes, scores)
    assert clarity(1, 1.0) >= 98  # one "um" in a minute costs next to nothing


def bank_question(qid: str) -> Question:
    from interviewer.content.bank import load_bank

    return next(q for q in load_bank(include_user=False) if q.id == qid)


THRESHOLD_REPLY = ("I would pick the threshold from the costs. Blocking a good customer costs us their purchase and "
                   "some goodwill, and missing a fraud costs the full amount plus the chargeback fee. So I'd choose "
                   "the score cutoff that minimises expected cost, and send the middle band to manual review "
                   "instead of blocking.")


def test_a_follow_up_reply_is_scored_on_what_the_follow_up_asked():
    """A 20-second reply that answers "how would you choose the threshold?" in full, read
    first as the whole answer to the case study (how it was scored before) and then as the
    reply to that follow-up. As a whole answer it 'missed' four other points, had no
    signposts or conclusion and was far short of the 9-minute target: depth and structure
    around 40 and 0, which a candidate who answered well would rightly not believe."""
    q = bank_question("case-fraud-payments")
    tr = transcript_from_text(THRESHOLD_REPLY, wpm=150)
    whole = analyze(q, tr).to_dict()
    reply = analyze(q, tr, follow_up_on="threshold_cost").to_dict()

    assert "threshold_cost" in reply["key_points"]["covered"]  # the thread still gets its credit
    assert reply["key_points"] == whole["key_points"]
    assert reply["scores"]["depth"] >= 80 > whole["scores"]["depth"]
    assert "structure" not in reply["scores"] and "not scored" in reply["score_explanations"]["structure"]["note"]
    assert set(reply["weights"]) == {"depth", "clarity", "pacing"}
    assert reply["target_seconds"] is None and reply["time_vs_target"] == "no target"
    reasons = [x["reason"] for x in reply["score_explanations"]["depth"]["lowered"]]
    assert not any(r.startswith("missed:") for r in reasons), reasons  # other points are not owed in a reply
    assert not any("Cover this point" in t["tip"] for t in reply["feedback"])
    assert reply["score_explanations"]["depth"]["raised"][0]["reason"].startswith("answered what was asked")
    assert reply["follow_up_on"] == "threshold_cost" and whole["follow_up_on"] is None


LABELS_REPLY = ("Right, the labels. Chargebacks can arrive weeks or even a couple of months after the payment, so "
                "the most recent data has a lot of fraud that is not labelled yet. I'd train on data that is old "
                "enough for the labels to have matured, and validate on a later time period, not a random split.")


def test_a_follow_up_reply_that_answers_something_else_scores_low_and_says_so():
    """The label-timing reply given to the threshold follow-up: a good answer to another question."""
    q = bank_question("case-fraud-payments")
    reply = analyze(q, transcript_from_text(LABELS_REPLY, wpm=150), follow_up_on="threshold_cost").to_dict()
    assert "label_delay" in reply["key_points"]["covered"]  # the thread is still credited with it
    assert reply["scores"]["depth"] <= 20
    lowered = reply["score_explanations"]["depth"]["lowered"]
    assert lowered[0]["reason"].startswith(("did not answer what was asked: Cost-sensitive thresholds",
                                            "named what was asked without explaining it: Cost-sensitive"))
    assert any(x["reason"].startswith("also explained: Labels come from") for x in reply["score_explanations"]["depth"]["raised"])
    assert any(t.get("key_point") == "threshold_cost" for t in reply["feedback"])  # the tip is about what was asked
    # a point the question no longer has: the reply is scored as a whole answer
    assert "structure" in analyze(q, transcript_from_text(THRESHOLD_REPLY), follow_up_on="gone").scores


def test_a_closing_so_you_is_a_conclusion():
    """A well-ordered bias-variance answer that ends "So you look for the sweet spot where
    validation error is lowest" was marked 'no clear conclusion'."""
    q = bank_question("fund-bias-variance")
    body = ("Bias is the error from a model too simple for the problem, and it underfits. Variance is the "
            "opposite: the model fits the noise, so it changes with the sample and overfits. As the model "
            "gets more complex, bias goes down and variance goes up.")
    ending = " So you look for the sweet spot where validation error is lowest."
    found = lambda text: {e["name"]: e["found"] for e in analyze(q, transcript_from_text(text)).extra["structure"]["elements"]}  # noqa: E731
    assert found(body + ending)["conclusion"] and not found(body)["conclusion"]


def test_a_fundamentals_answer_is_not_marked_down_for_stating_no_assumptions():
    """Explaining bias-variance calls for no stated assumptions: the element is credited when
    present and costs nothing when absent. A coding walk-through still owes them."""
    body = ("First, bias is the error from a model too simple for the problem, so it underfits. Second, variance "
            "is the opposite: the model fits the noise. For example, a deep tree changes with every sample. "
            "So you look for the sweet spot where validation error is lowest.")
    plain = analyze(bank_question("fund-bias-variance"), transcript_from_text(body)).to_dict()
    lowered = [x["reason"] for x in plain["score_explanations"]["structure"]["lowered"]]
    assert "assumptions" not in {e["name"] for e in plain["structure"]["elements"]}
    assert not any("assumptions" in r for r in lowered) and plain["scores"]["structure"] == 100
    assumed = analyze(bank_question("fund-bias-variance"),
                      transcript_from_text("Assuming a fixed dataset, " + body[0].lower() + body[1:])).to_dict()
    assert {"name": "assumptions", "found": True}.items() <= next(
        e for e in assumed["structure"]["elements"] if e["name"] == "assumptions").items()
    assert assumed["scores"]["structure"] == 100
    from interviewer.content.bank import load_bank

    coding = next(q for q in load_bank(include_user=False) if q.category == "ml_coding")
    coded = analyze(coding, transcript_from_text(body)).to_dict()
    assert any("no clear assumptions" in x["reason"] for x in coded["score_explanations"]["structure"]["lowered"])
    assert coded["scores"]["structure"] < 100


def test_a_cue_that_negates_needs_the_speaker_to_negate():
    """"no points assigned" (an empty k-means cluster) matched "the mean of the points assigned
    to it": "no" is a stopword, skipped between content words."""
    q = bank_question("code-kmeans")
    covered = lambda text: analyze(q, transcript_from_text(text)).covered  # noqa: E731
    assert "empty" not in covered("In the update step each centroid becomes the mean of the points assigned to it.")
    assert "empty" in covered("Sometimes no point is assigned to a centroid, so I move it to a random row.")
    assert "empty" in covered("If a centroid has no points assigned, I reseed it.")


def test_an_ordinal_that_dates_something_is_not_a_signpost():
    """"churn over the next month", "usage over the last few months" were read as signposting."""
    q = bank_question("case-churn-telecom")
    found = lambda text: {e["name"]: e["found"] for e in analyze(q, transcript_from_text(text)).extra["structure"]["elements"]}  # noqa: E731
    dated = ("I would predict churn over the next month. I would use tenure and the usage trend over the last few "
             "months, and I would validate on a later month.")
    assert not found(dated)["signposting"]
    assert found("First, I would define churn over the next month. Next, I would build the features.")["signposting"]


def test_a_failure_story_is_read_for_its_situation_and_not_credited_a_result_it_never_gave():
    """"At my last company I built..." was marked 'no clear situation', and "roll back to the
    previous model" credited the result ("States the outcome in measurable terms")."""
    q = bank_question("beh-failure-model-in-production")
    story = ("At my last company I built a demand forecasting model that the operations team used to schedule "
             "pickers. Two weeks after we launched, the warehouses were understaffed on weekends. It turned out to "
             "be training serving skew, so I rolled back to the previous model and retrained.")
    a = analyze(q, transcript_from_text(story)).to_dict()
    assert {e["name"]: e["found"] for e in a["structure"]["elements"]}["situation"]
    assert "result" in a["key_points"]["missed"]
    ended = analyze(q, transcript_from_text(story + " The weekend error went back to the weekday level.")).to_dict()
    assert "result" in ended["key_points"]["covered"]


def test_a_story_told_in_its_own_words_gets_its_star_structure():
    """A full disagreement story ("A couple of years ago...", "I asked for half an hour with him",
    "What I took away is...") scored structure 20, while its key points were covered."""
    q = bank_question("beh-disagree-manager")
    story = ("A couple of years ago my manager wanted us to ship a new ranking model two weeks early, without the "
             "usual online experiment. I thought that was risky, because if it went wrong it would hit our biggest "
             "revenue week. I asked for half an hour with him and brought the numbers from our last three launches. "
             "He explained that sales had already promised the feature to a partner. So we launched to five percent "
             "of traffic for a week with the old model as a fallback, and the model held up. What I took away is "
             "that it is easier to change a decision when you understand the pressure your manager is under.")
    a = analyze(q, transcript_from_text(story)).to_dict()
    elements = {e["name"]: e for e in a["structure"]["elements"]}
    assert all(e["found"] for e in elements.values()), elements
    assert a["scores"]["structure"] == 100
    covered_by_point = [e for e in elements.values() if e.get("key_point")]
    assert all(e["key_point"] in a["key_points"]["covered"] and e["evidence"] for e in covered_by_point)
    # the story is the example: no "Give an example" tip, and depth counts it as one
    assert not any("example" in t["tip"].lower() for t in a["feedback"])
    assert any(r["reason"].startswith("told a story") for r in a["score_explanations"]["depth"]["raised"])
    untold = story[:story.index(" What I took away")]
    assert not {e["name"]: e["found"] for e in analyze(q, transcript_from_text(untold)).to_dict()["structure"]["elements"]}["lesson"]


def test_a_story_quotes_each_star_part_from_where_it_is_told():
    """The action was quoted from the set-up sentence ("At my last job I built a demand
    forecasting model"), not from what the candidate did about the failure."""
    q = bank_question("beh-failure-model-in-production")
    story = ("At my last job I built a demand forecasting model for our grocery stores. One weekend it predicted "
             "twice the usual orders for milk. I rolled back to the previous model within the hour and traced the "
             "problem to a holiday feature missing from the live pipeline. What I learned is to check that training "
             "and serving compute features the same way.")
    elements = {e["name"]: e for e in analyze(q, transcript_from_text(story)).to_dict()["structure"]["elements"]}
    assert "At my last job" in elements["situation"]["evidence"]
    assert "rolled back" in elements["action"]["evidence"], elements["action"]
    assert "i built" in elements["action"]["markers"]  # still one of its markers


def test_star_elements_on_held_out_stories():
    """tests/fixtures/analysis/star_heldout.yaml was written blind to the markers, before any
    result was seen, and is never tuned on. Measured when it was written: precision 0.943,
    recall 0.926 (the marker lists alone: 1.0 and 0.556)."""
    from measure_star import measure  # fixtures/analysis is on sys.path (top of this file)

    rates = measure(Path(__file__).resolve().parent / "fixtures" / "analysis" / "star_heldout.yaml")["all"]
    assert rates["recall"] >= 0.85 and rates["precision"] >= 0.9, rates


def test_a_probe_reply_is_credited_only_for_what_can_be_checked():
    """A probe goes deeper on a point already made ("how would you estimate the variance with
    one dataset?"). A reply about remedies mentions variance too: the rubric cannot tell it
    from a real answer, so it says only that the reply kept to the point, and keeping to it
    earns half of what answering a missed point does."""
    q = bank_question("fund-bias-variance")
    reply = transcript_from_text("For high variance I would add regularization, like L2 or dropout, get more training "
                                 "data, or use a simpler model. Ensembles like bagging also reduce variance.")
    asked = analyze(q, reply, follow_up_on="variance").to_dict()
    probed = analyze(q, reply, follow_up_on="variance", probe=True).to_dict()
    assert "variance" in probed["key_points"]["covered"]
    assert probed["scores"]["depth"] < asked["scores"]["depth"] and probed["scores"]["depth"] <= 60
    assert probed["score_explanations"]["depth"]["raised"][0]["reason"].startswith("kept to the point probed")
    verdict = assess_follow_up(q, "variance", probed)
    assert verdict["probe"] and not assess_follow_up(q, "variance", asked)["probe"]
    from interviewer.analysis.followup import verdict_sentence

    assert verdict_sentence(verdict).startswith("kept to the point it probed")
