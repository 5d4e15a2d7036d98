"""Whole interviews driven from WAV answers (espeak-ng), through the real models, in real time.

Only the hardware is faked: the microphone is a FileSource replaying WAVs at the pace
they were spoken, the speaker a SilentPlayer that takes the clip's real duration.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from interviewer.audio import SAMPLE_RATE
from interviewer.audio.io import load_audio
from interviewer.audio.playback import SilentPlayer
from interviewer.audio.sources import DeviceLost, FileSource
from interviewer.content.bank import load_question_file
from interviewer.paths import REPO_ROOT
from interviewer.engine import InterviewSession, SessionConfig
from interviewer.speech.tts import Speaker
from interviewer.engine.turn import TurnSettings

pytestmark = pytest.mark.slow

QUESTION = load_question_file(REPO_ROOT / "interviewer" / "demo_data" / "question.yaml")


@pytest.fixture(scope="module")
def llm(llm_model_path):
    from interviewer.llm.worker import LlmWorker

    worker = LlmWorker(llm_model_path).start()
    worker.wait_loaded()
    yield worker
    worker.close()


@pytest.fixture(scope="module")
def speaker():
    s = Speaker()
    yield s
    s.close()


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * SAMPLE_RATE), dtype=np.float32)


def run_session(source, transcriber, speaker, llm, tmp_path, questions=None, **config):
    events = []
    player = SilentPlayer()
    session = InterviewSession(SessionConfig(**config), questions=questions or [QUESTION], transcriber=transcriber,
                               speaker=speaker, player=player, source=source, llm=llm,
                               on_event=events.append, audio_dir=tmp_path / "audio")
    return session, events, player


def kinds(events, kind):
    return [e for e in events if e.name == kind]


def test_full_session_with_clarifying_question_and_follow_up(transcriber, speaker, llm, make_speech, tmp_path):
    clips = [
        make_speech("Can I assume I may pick any kind of model for the example?"),
        make_speech("Bias is the error of a model that is too simple, so it underfits. Variance means the model is "
                    "too sensitive to the training data, so it overfits."),
        make_speech("I would compare the training error with the validation error on a learning curve."),
    ]
    session, events, player = run_session(FileSource(clips), transcriber, speaker, llm, tmp_path, max_follow_ups=1)
    summary = session.run()

    assert [r.kind for r in session.records] == ["clarification", "answer", "follow_up"], [r.transcript["text"] for r in session.records]
    clar, answer, follow = session.records
    said = kinds(events, "interviewer")
    assert said[0].kind == "question" and said[1].kind == "clarification"
    assert said[1].text == QUESTION.clarifications[0].answer  # the question's own clarification note
    assert "overfit" in answer.transcript["text"].lower() and "underfit" in answer.transcript["text"].lower()
    assert answer.analysis["key_points"]["missed"], "a partial answer misses key points"
    assert follow.targets in answer.analysis["key_points"]["missed"]
    assert follow.source in ("llm", "authored", "template") and follow.interviewer_text.endswith("?")
    assert follow.follow_up_assessment and follow.follow_up_assessment["target"] == follow.targets
    for rec in session.records:
        audio = load_audio(rec.audio_path)
        assert audio.size / SAMPLE_RATE > 2.0 and rec.transcript["words"]
        assert "patience" in rec.end_reason
    states = [d.state for d in kinds(events, "state")]
    assert states[:3] == ["speaking", "listening", "thinking"] and states[-1] == "finished"
    assert kinds(events, "partial"), "the transcript streams while the candidate speaks"
    assert summary["questions"] == 1 and summary["follow_ups_asked"] == 1


def test_thinking_pause_does_not_end_the_turn(transcriber, speaker, llm, make_speech, tmp_path):
    first = load_audio(make_speech("Okay. Let me think about that for a moment."))
    second = load_audio(make_speech("Bias comes from a model that is too simple and it underfits the data."))
    answer = np.concatenate([first, silence(4.5), second])  # 4.5 s > the 2.5 s patience
    session, events, _ = run_session(FileSource(audio=[answer]), transcriber, speaker, llm, tmp_path,
                                     max_follow_ups=0, turn=TurnSettings(patience_s=2.5, thinking_patience_s=8))
    session.run()
    rec = session.records[0]
    text = rec.transcript["text"].lower()
    assert "think" in text and "underfit" in text, text  # one turn holds both halves
    assert "thinking phrase" not in rec.end_reason  # it ended on the normal patience after the second half


def test_plain_pause_shorter_than_patience_keeps_the_turn(transcriber, speaker, llm, make_speech, tmp_path):
    a = load_audio(make_speech("Variance is sensitivity to the training sample."))
    b = load_audio(make_speech("A learning curve shows which problem you have."))
    session, _, _ = run_session(FileSource(audio=[np.concatenate([a, silence(1.8), b])]), transcriber, speaker, llm,
                                tmp_path, max_follow_ups=0)
    session.run()
    assert len(session.records) == 1 and "learning curve" in session.records[0].transcript["text"].lower()


def test_barge_in_stops_the_interviewer_and_keeps_the_answer(transcriber, speaker, llm, make_speech, tmp_path):
    clip = make_speech("Bias means underfitting and variance means overfitting.")
    source = FileSource([clip], start_on=["speak"], barge_delay_s=1.0)
    session, events, player = run_session(source, transcriber, speaker, llm, tmp_path, max_follow_ups=0)
    session.run()
    full = speaker.synthesize(QUESTION.prompt).result(30).size / SAMPLE_RATE
    assert kinds(events, "barge_in")
    assert player.played[0] < full - 1.5  # the voice stopped well before the end of the question
    text = session.records[0].transcript["text"].lower()
    assert text.startswith("bias") and "overfit" in text  # the start of the answer was not lost


def test_manual_done_ends_at_once(transcriber, speaker, llm, make_speech, tmp_path):
    clip = make_speech("High bias is underfitting.")
    source = FileSource([clip])
    session, events, _ = run_session(source, transcriber, speaker, llm, tmp_path, max_follow_ups=0)

    pressed = []

    def press_done(event):  # the candidate presses Done as soon as they stop talking
        if event.name == "level" and source.speech_end_times and not pressed:
            pressed.append(True)
            session.done()

    session.on_event = lambda e: (events.append(e), press_done(e))
    session.run()
    rec = session.records[0]
    assert rec.end_reason.startswith("manual")
    assert rec.timings["listen_s"] < load_audio(clip).size / SAMPLE_RATE + 1.0  # no patience wait
    assert "underfit" in rec.transcript["text"].lower()


def test_device_lost_mid_answer_pauses_and_keeps_the_answer(transcriber, speaker, llm, make_speech, tmp_path):
    clip = make_speech("Bias is the error from wrong assumptions, which makes the model underfit.")

    class FlakySource(FileSource):
        reads = 0
        failed = False

        def read(self, timeout=1.0):
            if self.playing_clip:
                self.reads += 1
            if self.reads == 60 and not self.failed:  # ~2 s into the answer
                self.failed = True
                raise DeviceLost("The microphone stopped delivering audio (unplugged?).", "Reconnect it.")
            return super().read(timeout)

    source = FlakySource([clip])
    session, events, _ = run_session(source, transcriber, speaker, llm, tmp_path, max_follow_ups=0)

    def on_event(e):
        events.append(e)
        if e.name == "state" and e.state == "paused":
            session.resume()  # the user reconnects and presses Resume

    session.on_event = on_event
    session.run()
    errors = kinds(events, "error")
    assert errors and "microphone" in errors[0].message
    assert "underfit" in session.records[0].transcript["text"].lower()


def test_skip_and_end(transcriber, speaker, llm, make_speech, tmp_path):
    from interviewer.content.bank import load_bank

    bank = load_bank(include_user=False)
    questions = bank.select(3, seed=1, categories=["fundamentals"])
    clip = make_speech("I am not sure about this one.")
    source = FileSource([clip, clip, clip])
    session, events, _ = run_session(source, transcriber, speaker, llm, tmp_path, questions=questions,
                                     max_follow_ups=0)
    asked = []

    def on_event(e):
        events.append(e)
        if e.name == "question":
            asked.append(e.id)
            if len(asked) == 1:
                session.skip()
            elif len(asked) == 2:
                session.end()

    session.on_event = on_event
    session.run()
    assert asked == [questions[0].id, questions[1].id]  # skipped the first, ended during the second
    assert kinds(events, "finished")


def test_ten_minute_answer_keeps_memory_flat(transcriber, make_speech, tmp_path):
    """The answer is spooled to disk as it arrives; closed segments drop their audio."""
    from interviewer.history.recording import AudioWriter
    from interviewer.audio.sources import FRAME
    from interviewer.audio.vad import StreamingVad
    from interviewer.speech.streaming import StreamingTranscriber

    burst = load_audio(make_speech("Gradient descent."))
    block = np.concatenate([burst, silence(30 - burst.size / SAMPLE_RATE)])  # 30 s: speech then quiet
    spool = AudioWriter(tmp_path / "long.wav")
    stream = StreamingTranscriber(transcriber)
    vad = StreamingVad()
    tracemalloc.start()
    for _ in range(20):  # 20 x 30 s = 10 minutes
        for i in range(0, block.size - FRAME + 1, FRAME):
            frame = block[i:i + FRAME]
            spool.write(frame)
            stream.add(frame, vad(frame) > 0.5)
        stream.partial_text()
    transcript = stream.finish()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    path = spool.close()
    assert abs(load_audio(path).size / SAMPLE_RATE - 600) < 1.0
    assert peak < 40 * 1024 * 1024  # 10 min of float32 would be 38 MB on its own; segments hold seconds
    assert transcript.text.lower().count("gradient") >= 15
    assert transcript.words[-1].start > 560  # timestamps are offset into the whole answer


def test_resuming_an_interrupted_session_asks_only_what_is_left(transcriber, speaker, llm, make_speech, tmp_path):
    from interviewer.content.bank import load_bank
    from interviewer.history import Store

    bank = load_bank(include_user=False)
    first, second = bank.get("fund-bias-variance"), bank.get("fund-l1-vs-l2")
    store = Store.open(tmp_path / "history.sqlite3")
    sid = store.begin_session(format="fundamentals", question_ids=[first.id, second.id])
    store.record_answer(sid, question={"id": first.id, "category": first.category, "prompt": first.prompt, "tags": []},
                        turn={"kind": "answer", "index": 0}, transcript={"text": "bias and variance"},
                        analysis={"scores": {"overall": 50}, "key_points": {"covered": [], "missed": []}})
    store.close()  # the app died here; the session was never finished
    store = Store.open(tmp_path / "history.sqlite3")
    assert [s["id"] for s in store.incomplete_sessions()] == [sid]
    clip = make_speech("L2 shrinks all the weights smoothly, while L1 drives some of them exactly to zero.")
    events = []
    session = InterviewSession(SessionConfig(max_follow_ups=0, resume_session_id=sid), questions=[first, second],
                               transcriber=transcriber, speaker=speaker, player=SilentPlayer(),
                               source=FileSource([clip]), llm=llm, on_event=events.append, store=store)
    session.run()
    assert [e.id for e in events if e.name == "question"] == [second.id]
    assert session.session_id == sid and not store.incomplete_sessions()
    report = store.session(sid)
    assert [t["question"]["id"] if isinstance(t.get("question"), dict) else t.get("question_id")
            for t in report["turns"]] == [first.id, second.id]


FIRST_SENTENCE = "Bias is the error of a model that is too simple, so it underfits."


def _answer_in_two_sentences_then_done(second: str, transcriber, speaker, llm, make_speech, tmp_path):
    """One answer: the first sentence, a 0.8 s pause, the second, and Done pressed as it ends."""
    first = load_audio(make_speech(FIRST_SENTENCE))
    source = FileSource(audio=[np.concatenate([first, silence(0.8), load_audio(make_speech(second))])])
    session, events, _ = run_session(source, transcriber, speaker, llm, tmp_path, max_follow_ups=1)
    pressed = []

    def on_event(event):
        events.append(event)
        if event.name == "level" and source.speech_end_times and not pressed:
            pressed.append(True)
            session.done()

    session.on_event = on_event
    session.run()
    return session.records[0], events, first.size / SAMPLE_RATE


def test_reply_prepared_while_talking_is_used_when_done_is_pressed(transcriber, speaker, llm, make_speech, tmp_path):
    """The first sentence is transcribed during the pause after it and the follow-up is
    prepared then; the last sentence changes nothing, so Done plays the prepared reply."""
    answer, events, first_s = _answer_in_two_sentences_then_done("That is the main idea in short.", transcriber,
                                                                 speaker, llm, make_speech, tmp_path)
    assert answer.end_reason.startswith("manual")
    assert answer.timings["speculative_plans"] >= 1
    assert answer.timings["used_prepared"], "the reply prepared during the pause fits the final answer"
    assert answer.timings["prepared_offered_at_s"] < first_s + 1.0  # prepared from the first sentence
    decisions = kinds(events, "decision")
    assert decisions[0].prepared and decisions[0].targets == "remedies"  # the last point missed is asked first


def test_prepared_reply_is_dropped_when_the_last_words_change_the_plan(transcriber, speaker, llm, make_speech,
                                                                       tmp_path):
    """The last sentence covers the point the prepared follow-up was about: it must not be asked."""
    answer, events, _ = _answer_in_two_sentences_then_done(
        "To fix overfitting I would add regularization or collect more data.", transcriber, speaker, llm, make_speech,
        tmp_path)
    assert "regulariz" in answer.transcript["text"].lower()
    assert answer.timings["speculative_plans"] >= 1 and not answer.timings["used_prepared"]
    decision = kinds(events, "decision")[0]
    assert decision.targets not in ("bias_def", "remedies") and not decision.prepared
    assert answer.timings["audio_ready_after_turn_end_s"] < 3.0  # decided at once, not after a long LLM wait
