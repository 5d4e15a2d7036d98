"""Resuming after a crash: a cut-off reply to a follow-up is scored on what the follow-up asked.

The engine names each recording after the turn it holds (`turnNNN-follow_up-<question>@<key
point>`); app/resume.py reads the name back. Real SQLite store, real analysis; the
transcriber is scripted (what it hears is not what is under test here).
"""

import numpy as np

from interviewer.analysis import score_answer
from interviewer.app.resume import parse_turn_key, recover_cut_off_answers
from interviewer.content.bank import load_bank
from interviewer.history import Store
from interviewer.transcript import Transcript, Word

REPLY = ("For high variance I would add regularization like L2, get more training data, or average many trees "
         "in a random forest, which cuts variance because their errors are not the same.")


class ScriptedTranscriber:
    def __init__(self, text: str) -> None:
        self.text = text

    def transcribe(self, audio, prompt=None) -> Transcript:
        words = [Word(w, i * 0.4, i * 0.4 + 0.3) for i, w in enumerate(self.text.split())]
        return Transcript(words, len(words) * 0.4)


def _session_with_cut_off_reply(store: Store, bank, first_answer: str, key: str) -> str:
    question = bank.get("fund-bias-variance")
    sid = store.begin_session(format="fundamentals", settings={"keep_audio": True}, question_ids=[question.id])
    first = ScriptedTranscriber(first_answer).transcribe(None)
    store.record_answer(sid, question={"id": question.id, "category": question.category, "prompt": question.prompt},
                        turn={"kind": "answer", "index": 0}, transcript=first, analysis=score_answer(question, first))
    writer = store.audio_writer(sid, key)
    writer.write(np.zeros(16000, np.float32))  # the crash came mid-reply; recovery marks it complete
    writer.close()
    return sid


def test_the_turn_key_carries_a_follow_ups_target():
    assert parse_turn_key("turn002-follow_up-fund-bias-variance@variance") == (
        "follow_up", "fund-bias-variance", "variance")
    assert parse_turn_key("turn001-answer-fund-bias-variance") == ("answer", "fund-bias-variance", None)
    assert parse_turn_key("turn001-answer-fund-bias-variance@x") == ("answer", "fund-bias-variance", None)
    assert parse_turn_key("q-design") is None


def test_a_cut_off_follow_up_reply_is_scored_on_what_was_asked():
    bank = load_bank(include_user=False)
    with Store.open() as store:
        sid = _session_with_cut_off_reply(store, bank,
                                          "Bias is error from a model that is too simple, so it underfits.",
                                          "turn002-follow_up-fund-bias-variance@variance")
        [stored] = recover_cut_off_answers(store, sid, ScriptedTranscriber(REPLY), bank)
        turn = store.session(sid)["turns"][-1]
    assert stored["kind"] == "follow_up"
    assert turn["turn"]["cut_off"] and turn["turn"]["targets"] == "variance"
    assert turn["analysis"]["follow_up_on"] == "variance" and not turn["analysis"]["follow_up_probe"]
    assert "structure" not in turn["analysis"]["scores"]  # a reply is not a whole answer
    assert turn["turn"]["follow_up_assessment"]["addressed"]
    as_answer = score_answer(bank.get("fund-bias-variance"), ScriptedTranscriber(REPLY).transcribe(None))
    assert "structure" in as_answer["scores"]  # what resuming used to store


def test_a_cut_off_reply_to_a_probe_is_scored_as_a_probe():
    """The first answer had covered variance: the follow-up on it went deeper."""
    bank = load_bank(include_user=False)
    with Store.open() as store:
        sid = _session_with_cut_off_reply(store, bank, "Variance is how much the model changes with the training "
                                          "sample: it fits the noise and overfits.",
                                          "turn002-follow_up-fund-bias-variance@variance")
        recover_cut_off_answers(store, sid, ScriptedTranscriber(REPLY), bank)
        turn = store.session(sid)["turns"][-1]
    assert turn["analysis"]["follow_up_probe"]
