"""The question bank: every file validates, and the bank holds what the interviews need."""

from collections import Counter

import pytest

from interviewer.content.bank import CATEGORIES, Bank, lint_question, load_bank, load_file, load_question_file, parse_question
from interviewer.errors import QuestionError
from interviewer.paths import resource_dir
from interviewer.content.text import content_stems

BANK_FILES = sorted(resource_dir("questions").glob("*.yaml"))


@pytest.fixture(scope="module")
def bank():
    return load_bank(include_user=False)


@pytest.mark.parametrize("path", BANK_FILES, ids=lambda p: p.name)
def test_every_file_validates_and_holds_one_category(path):
    questions = load_file(path)
    assert questions, path
    assert {q.category for q in questions} == {path.stem}


def test_one_file_per_category():
    assert sorted(p.stem for p in BANK_FILES) == sorted(CATEGORIES)


def test_ids_are_unique_across_files():
    ids = [q.id for p in BANK_FILES for q in load_file(p)]
    assert [i for i, n in Counter(ids).items() if n > 1] == []


def test_counts(bank):
    counts = Counter(q.category for q in bank)
    assert len(bank) >= 300
    for cat in ("fundamentals", "ml_coding", "case_study", "system_design", "behavioral"):
        assert counts[cat] >= 40, (cat, counts[cat])
    assert counts["project"] >= 15
    assert set(Counter(q.difficulty for q in bank)) == {1, 2, 3}


def test_rubric_quality(bank):
    problems = [p for q in bank for p in lint_question(q)]
    assert problems == []


def test_every_key_point_has_two_exemplars_in_its_own_words(bank):
    """The meaning matcher compares answers with each point's exemplars (`says`): a bank point
    without them would be judged by the label-only rule, which credits far fewer paraphrases."""
    for q in bank:
        for kp in q.key_points:
            assert len(kp.says) >= 2, (q.id, kp.id)
            assert len(set(kp.says)) == len(kp.says), (q.id, kp.id)


def test_follow_ups_target_existing_points_and_name_their_concept(bank):
    weak = []
    for q in bank:
        assert len(q.follow_ups) >= 2, q.id
        for fu in q.follow_ups:
            kp = q.key_point(fu.targets)  # raises if the target does not exist
            fu_stems = set(content_stems(fu.text))
            cue_stems = {s for cue in kp.cues for s in content_stems(cue)} | set(content_stems(kp.label))
            if not fu_stems & cue_stems:
                weak.append((q.id, fu.targets))
    assert len(weak) <= len(bank) // 20, weak[:20]  # nearly every authored follow-up names its concept


def test_no_cue_is_shared_by_every_key_point(bank):
    for q in bank:
        if len(q.key_points) > 1:
            shared = set.intersection(*(set(kp.cues) for kp in q.key_points))
            assert not shared, (q.id, shared)


def test_topics_the_guides_name_are_covered(bank):
    text = " ".join(f"{q.prompt} {' '.join(q.tags)} {' '.join(kp.label for kp in q.key_points)}" for q in bank).lower()
    for topic in ["bias", "regularization", "cross-validation", "imbalance", "leakage", "precision", "roc", "r squared",
                  "logistic", "random forest", "boosting", "bagging", "kernel", "nearest", "k-means", "dbscan",
                  "gaussian mixture", "pca", "naive bayes", "backprop", "initializ", "convolution", "recurrent",
                  "transformer", "q-learning", "policy gradient", "adam", "bayes", "confidence interval", "eigen",
                  "missing", "one-hot", "scaling", "grid search", "early stopping", "fairness", "drift", "monitor",
                  "feature store", "canary", "a/b", "experiment tracking", "pytorch", "pipeline", "window function",
                  "cold start", "fraud", "maintenance", "churn", "ranking", "hiring", "conflict", "failure",
                  "leadership", "ambiguity"]:
        assert topic in text, topic


def test_selection_is_seeded_filtered_and_without_repeats(bank):
    a = bank.select(10, seed=7, categories=["fundamentals"])
    b = bank.select(10, seed=7, categories=["fundamentals"])
    c = bank.select(10, seed=8, categories=["fundamentals"])
    assert [q.id for q in a] == [q.id for q in b] != [q.id for q in c]
    assert len({q.id for q in a}) == 10 and all(q.category == "fundamentals" for q in a)
    hard = bank.select(500, seed=1, difficulties=[3])
    assert hard and all(q.difficulty == 3 for q in hard)
    tagged = bank.select(5, seed=1, tags=[bank.by_category("fundamentals")[0].tags[0]])
    assert tagged and all(set(q.tags) & {bank.by_category("fundamentals")[0].tags[0]} for q in tagged)


def test_priority_hook_puts_preferred_questions_first(bank):
    pool = bank.by_category("behavioral")
    favourite = pool[5].id
    picked = bank.select(3, seed=3, categories=["behavioral"], priority=lambda q: 1.0 if q.id == favourite else 0.0)
    assert picked[0].id == favourite
    assert favourite not in [q.id for q in bank.select(50, seed=3, categories=["behavioral"], exclude=[favourite])]


def test_custom_questions_in_the_user_dir_are_loaded_and_validated(isolated_home):
    from interviewer.paths import user_questions_dir

    (user_questions_dir() / "mine.yaml").write_text(
        "- id: my-q\n  category: fundamentals\n  prompt: What is my favourite loss function and why?\n"
        "  key_points:\n    - {id: a, label: names the loss, cues: [huber loss]}\n"
        "    - {id: b, label: says why, cues: [robust to outliers]}\n"
        "  follow_ups:\n    - targets: a\n      text: Why the Huber loss here?\n"
        "    - targets: b\n      text: Why is being robust to outliers useful?\n")
    assert "my-q" in load_bank().questions
    (user_questions_dir() / "broken.yaml").write_text("- id: bad\n  category: fundamentals\n  prompt: short\n")
    with pytest.raises(QuestionError) as exc:
        load_bank()
    assert "broken.yaml" in str(exc.value) and "'bad'" in str(exc.value) and "prompt" in str(exc.value)


def test_question_file_accepts_yaml_and_json(tmp_path):
    data = {"id": "j", "category": "ml_coding", "prompt": "Implement k-means from scratch.",
            "key_points": [{"id": "init", "label": "Initialise centroids", "cues": ["k-means++"]}]}
    import json

    (tmp_path / "q.json").write_text(json.dumps(data))
    assert load_question_file(tmp_path / "q.json").id == "j"
    with pytest.raises(QuestionError, match="follow_ups.0.targets"):
        parse_question({**data, "follow_ups": [{"targets": "nope", "text": "Why would you do that?"}]}, "x.yaml")


def test_duplicate_ids_are_refused(bank):
    q = next(iter(bank))
    with pytest.raises(QuestionError, match="used twice"):
        Bank([q, q])


def test_questions_cli_stats_json():
    from tests.helpers import run_json

    stats = run_json("questions", "--stats", "--json")
    assert stats["total"] >= 300 and stats["by_category"]["project"] >= 15
    assert sum(stats["by_difficulty"].values()) == stats["total"]


# A project answer is about one project: a key point that only applies to some projects ("If not
# deployed, ...", "Handled missing labels ...") was marked missed for every project it did not
# fit. Complete answers about a shipped project and about labels that were noisy, not missing.
COMPLETE_PROJECT_ANSWERS = {
    "proj-measure-impact":
        "What mattered to the business was revenue from the checkout page, so conversion was our goal metric. "
        "We ran an A/B test: a randomized control group of half the users kept the old ranking. "
        "Conversion went up by two percent, with a confidence interval from one to three percent. "
        "One caveat is seasonality, since the test overlapped a holiday sale, so the lift may be a little inflated.",
    "proj-noisy-labels":
        "First I audited a random sample of four hundred labels by hand and measured annotator agreement, which was "
        "low. For the worst classes we relabeled the data with three annotators and took the majority vote, with "
        "clearer labeling guidelines. For the noise that was left I trained with label smoothing and downweighted the "
        "examples the model strongly disagreed with. And we kept a small gold set of carefully labeled examples that "
        "we used only for evaluation.",
}


@pytest.mark.parametrize("qid", sorted(COMPLETE_PROJECT_ANSWERS))
def test_a_complete_answer_about_one_project_misses_no_point(bank, qid):
    from interviewer.analysis import analyze, transcript_from_text

    question = bank.get(qid)
    result = analyze(question, transcript_from_text(COMPLETE_PROJECT_ANSWERS[qid], wpm=150))
    assert sorted(result.covered) == sorted(kp.id for kp in question.key_points)
