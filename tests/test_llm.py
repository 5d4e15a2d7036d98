"""The local LLM worker, and how the interviewer uses (and checks) a model's wording, with the real SmolLM2."""

import threading

import pytest

from interviewer.content.bank import load_question_file
from interviewer.dialogue.clarify import answer_clarification, is_clarifying_question
from interviewer.dialogue.validate import clean, validate
from interviewer.dialogue.wording import Interviewer
from interviewer.paths import REPO_ROOT

QUESTION = load_question_file(REPO_ROOT / "interviewer" / "demo_data" / "question.yaml")


@pytest.fixture(scope="module")
def llm(llm_model_path):
    from interviewer.llm.worker import LlmWorker

    worker = LlmWorker(llm_model_path).start()
    worker.wait_loaded()
    yield worker
    worker.close()


@pytest.mark.slow
def test_llm_answers_a_chat_prompt(llm):
    out = llm.chat([{"role": "user", "content": "What is the capital of France? Answer in one word."}],
                   max_tokens=16, temperature=0.0).result(timeout=60)
    assert "paris" in out.text.lower()


@pytest.mark.slow
def test_worker_serialises_requests_from_many_threads(llm):
    results = []

    def ask(i):
        results.append(llm.complete(f"Count: {i}, {i + 1},", max_tokens=4, temperature=0.0).result(timeout=60).text)

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4 and all(isinstance(r, str) for r in results)


@pytest.mark.slow
def test_primed_prefix_stays_in_the_kv_cache(llm):
    """After prime(), a prompt that starts with the prefix only evaluates its tail (timing: bench latency)."""
    from interviewer.llm import prompts

    template = prompts.few_shot("follow_up_missed.txt")
    llm.prime(template.prefix).result(timeout=60)

    def cached_prefix_len(llama):
        want = llama.tokenize(template.prefix.encode(), add_bos=True, special=True)
        have = llama._input_ids.tolist()
        same = 0
        while same < min(len(want), len(have)) and want[same] == have[same]:
            same += 1
        return same, len(want)

    llm.complete(template.render(question="Q one?", said="x", topic="t"), max_tokens=2).result(timeout=60)
    n_same, n_prefix = llm.submit(cached_prefix_len).result(timeout=10)
    assert n_same >= n_prefix - 2  # all but the boundary tokens of the prefix are still cached


@pytest.mark.slow
def test_the_135m_default_never_words_live_follow_ups_but_a_forced_free_wording_is_validated(llm):
    assert 100e6 < llm.parameters < 200e6  # read from the GGUF's tensor table
    answer = "Bias means the model underfits because it is too simple. Variance means it overfits the training data."
    authored = Interviewer(llm)
    assert not authored.free_wording  # too small to trust with wording
    d = authored.follow_up(QUESTION, answer, "missed", "tradeoff")
    assert d.source == "authored" and not d.attempts and QUESTION.follow_ups_for("tradeoff")[0].text in d.text
    free = Interviewer(llm, free_wording=True)  # what a large model does: sampled, and every sample checked
    free.prime()
    d = free.follow_up(QUESTION, answer, "missed", "tradeoff")
    assert d.attempts and all(a["rejected"] is None or isinstance(a["rejected"], str) for a in d.attempts)
    if d.source == "llm":
        assert validate(d.text, question=QUESTION, topic_terms=[d.topic, *QUESTION.key_point("tradeoff").cues],
                        answer=answer) is None
    else:
        assert d.source == "authored"


def test_choosing_what_to_ask_goes_to_missed_points_first_then_probes():
    brain = Interviewer(None)
    # the last missed point first: the one answers really leave out
    assert brain.choose_target(QUESTION, "Bias is underfitting.", ["bias_def"], ["variance_def", "tradeoff"],
                               [])[1].id == "tradeoff"
    assert brain.choose_target(QUESTION, "Bias is underfitting.", ["bias_def"], ["variance_def", "tradeoff"],
                               ["tradeoff"])[1].id == "variance_def"
    everything = [kp.id for kp in QUESTION.key_points]
    mode, kp = brain.choose_target(QUESTION, "a learning curve shows the gap", everything, [], [])
    assert mode == "probe" and QUESTION.probes_after(kp.id)
    assert brain.choose_target(QUESTION, "x", everything, [], everything) is None


def test_templates_over_a_topic_are_valid_spoken_questions():
    """A key point with no authored line left gets a template over its spoken topic: each
    variant must pass the same validator as a model's wording."""
    brain = Interviewer(None)
    kp = QUESTION.key_point("variance_def")
    asked = [fu.text for fu in QUESTION.follow_ups_for("variance_def")]
    texts = {brain.follow_up(QUESTION, "Bias is underfitting.", "missed", "variance_def", asked_texts=asked,
                             seed=seed).text for seed in range(8)}
    assert len(texts) >= 3  # varied across turns, not one stock phrase
    for text in texts:
        assert kp.topic in text
        assert validate(text, question=QUESTION, topic_terms=[kp.topic, *kp.cues]) is None, text


@pytest.mark.parametrize(
    "text,reason",
    [
        ("Interviewer: How would you handle the trade-off?", "role label"),
        ("How does the trade-off work? And why?", "exactly one question"),
        ("Trade-off?", "words"),
        ("How would you choose a model for the data you have?", "name the concept"),
        ("Explain the bias-variance trade-off and how it guides the choice of model complexity?", "repeats"),
        ("The candidate said the trade-off matters, how so?", "echoes"),
    ],
)
def test_validator_rejects(text, reason):
    terms = ["trade-off", "tradeoff"]
    assert reason in (validate(text, question=QUESTION, topic_terms=terms) or "")


def test_validator_accepts_and_cleaner_repairs():
    terms = ["trade-off"]
    assert validate("How would you pick the point on that trade-off for a small dataset?", question=QUESTION,
                    topic_terms=terms) is None
    assert clean(' "Follow-up: Why does the trade-off matter?" extra') == "Why does the trade-off matter?"
    assert clean("Explain how that trade-off guides model selection.") == \
        "Can you explain how that trade-off guides model selection?"


def test_clarifying_questions_are_recognised_and_answered():
    assert is_clarifying_question("Can I assume we are talking about a specific model?")
    assert is_clarifying_question("Just to clarify, which model should I use")
    assert not is_clarifying_question("Bias is the error from wrong assumptions, and variance is sensitivity to data.")
    reply = answer_clarification(QUESTION, "Should I pick a specific algorithm?")
    assert reply == QUESTION.clarifications[0].answer
    generic = answer_clarification(QUESTION, "Is there a time limit?")
    assert "assumption" in generic


@pytest.mark.slow
def test_follow_up_cli_json(tmp_path):
    from tests.helpers import run_json

    data = run_json("follow-up", "--question-file", str(REPO_ROOT / "interviewer" / "demo_data" / "question.yaml"),
                    "--answer-text", "Bias means the model is too simple and underfits. Variance means it overfits.",
                    "--json")
    assert set(data) >= {"text", "targets", "source"}
    assert data["source"] in ("llm", "authored", "template") and data["text"].endswith("?")
    assert data["targets"] in [kp.id for kp in QUESTION.key_points] and data["targets"] in data["missed"]
    clar = run_json("follow-up", "--question-file", str(REPO_ROOT / "interviewer" / "demo_data" / "question.yaml"),
                    "--answer-text", "Can I assume any model family is fine?", "--json")
    assert clar["kind"] == "clarification" and clar["targets"] is None
