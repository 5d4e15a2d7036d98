"""The interview engine's logic, fast: scripted speech, instant voice, virtual time.

The real InterviewSession runs with the stand-ins of tests/support/engine_harness.py
(no model, no sound card, no waiting), so policy, speculation, the commands, barge-in,
device recovery and recording are each checked in a fraction of a second. The same
flows with the real models are the slow tier (test_session.py).
"""

from __future__ import annotations

import json
import threading

import pytest
from support.engine_harness import (Answer, ClockPlayer, InstantSpeaker, ScriptedSource, ScriptedTranscriber,
                                    ScriptedVad)

from interviewer.content.bank import load_question_file
from interviewer.engine import InterviewSession, SessionConfig, TurnSettings
from interviewer.engine import events as ev
from interviewer.paths import REPO_ROOT

QUESTION = load_question_file(REPO_ROOT / "interviewer" / "demo_data" / "question.yaml")


@pytest.fixture(scope="module")
def bank():
    from interviewer.content.bank import load_bank

    return load_bank(include_user=False)
PARTIAL = "Bias is the error of a model that is too simple so it underfits."  # covers bias_def only
FOLLOW_UP_ANSWER = "I would compare the training error with the validation error on a learning curve."


class Run:
    """One scripted session: its events, records and the stand-ins."""

    def __init__(self, answers, *, questions=None, store=None, on_event=None, pace_s=0.0, lose_at=(), **config):
        self.source = ScriptedSource(answers, pace_s=pace_s, lose_at=lose_at)
        self.player = ClockPlayer(self.source.clock)
        self.speaker = InstantSpeaker()
        self.events: list = []
        self.hook = on_event
        self.paused_once = False
        config.setdefault("turn", TurnSettings(patience_s=2.5))
        self.session = InterviewSession(
            SessionConfig(**config), questions=questions or [QUESTION], transcriber=ScriptedTranscriber(self.source),
            speaker=self.speaker, player=self.player, source=self.source, llm=None, on_event=self._on_event,
            store=store, vad=ScriptedVad())

    def _on_event(self, event) -> None:
        self.events.append(event)
        if self.hook:
            self.hook(self, event)

    def run(self) -> dict:
        done = threading.Event()
        result = {}

        def go():
            result["summary"] = self.session.run()
            done.set()

        threading.Thread(target=go, daemon=True).start()
        assert done.wait(20), "the session did not finish"
        return result["summary"]

    def of(self, kind):
        return [e for e in self.events if isinstance(e, kind)]

    def said(self, line=None):
        return [e.text for e in self.of(ev.InterviewerSaid) if line is None or e.kind is line]


def test_a_partial_answer_gets_a_follow_up_on_a_missed_point_and_the_thread_is_recorded():
    run = Run([Answer([PARTIAL]), Answer([FOLLOW_UP_ANSWER])], max_follow_ups=1)
    summary = run.run()
    kinds = [r.kind for r in run.session.records]
    assert kinds == ["answer", "follow_up"]
    answer, follow = run.session.records
    assert answer.transcript["text"] == PARTIAL.replace(",", "")
    assert follow.targets in answer.analysis["key_points"]["missed"]
    assert follow.interviewer_text.endswith("?") and follow.follow_up_assessment["target"] == follow.targets
    # the reply is scored on what the follow-up asked (a missed point: not a probe)
    assert follow.analysis["follow_up_on"] == follow.targets and not follow.analysis["follow_up_probe"]
    assert "structure" not in follow.analysis["scores"] and "structure" in answer.analysis["scores"]
    assert summary["answers"] == 2 and summary["follow_ups_asked"] == 1
    states = [e.state for e in run.of(ev.StateChanged)]
    assert states[:3] == ["speaking", "listening", "thinking"] and states[-1] == "finished"
    assert all(r.end_reason.endswith("(patience 2.5 s)") for r in run.session.records)


def test_a_clarifying_question_is_answered_from_the_notes_and_credits_structure():
    run = Run([Answer(["Can I assume any kind of model for the example?"]), Answer([PARTIAL])], max_follow_ups=0)
    run.run()
    assert [r.kind for r in run.session.records] == ["clarification", "answer"]
    assert run.said(ev.Line.CLARIFICATION) == [QUESTION.clarifications[0].answer]


def test_an_off_topic_answer_is_brought_back_to_the_question():
    off = ("Last summer I moved to Berlin and spent most weekends cycling along the canals with friends "
           "and visiting galleries and restaurants in the old town")
    run = Run([Answer([off]), Answer([PARTIAL])], max_follow_ups=1)
    run.run()
    redirect = run.said(ev.Line.REDIRECT)
    assert len(redirect) == 1 and QUESTION.prompt in redirect[0]
    assert [r.kind for r in run.session.records] == ["answer", "follow_up"]


def test_reply_prepared_during_a_pause_is_used_when_the_answer_ends():
    run = Run([Answer([PARTIAL, 1.0, "That is the main idea in short."])], max_follow_ups=1, pace_s=0.0005)
    run.run()
    answer = run.session.records[0]
    assert answer.timings["speculative_plans"] >= 1 and answer.timings["used_prepared"]
    decided = run.of(ev.Decided)[0]
    assert decided.prepared and decided.targets == "remedies"


def test_prepared_reply_is_dropped_when_the_last_words_cover_its_point():
    run = Run([Answer([PARTIAL, 1.0, "To fix overfitting I would add regularization or collect more data."])],
              max_follow_ups=1, pace_s=0.0005)
    run.run()
    decided = run.of(ev.Decided)[0]
    assert decided.targets not in ("bias_def", "remedies")  # never the point the last words covered
    assert run.session.records[0].timings["speculative_plans"] >= 2  # the plan changed with the last sentence


def test_skip_while_the_question_is_spoken_moves_to_the_next_question(bank):
    questions = bank.select(2, seed=4, categories=["fundamentals"])

    def skip_first(run, event):
        if isinstance(event, ev.StateChanged) and event.state is ev.State.SPEAKING and len(run.of(ev.QuestionAsked)) == 1:
            run.session.skip()

    run = Run([Answer([PARTIAL])], questions=questions, on_event=skip_first, max_follow_ups=0)
    run.run()
    assert [e.id for e in run.of(ev.QuestionAsked)] == [q.id for q in questions]
    assert [r.question_id for r in run.session.records] == [questions[1].id]  # the first was never answered
    assert run.player.played[0] < len(questions[0].prompt.split()) * 0.36  # its voice was cut short


def test_repeat_during_a_follow_up_repeats_the_follow_up_not_the_question():
    def repeat_once(run, event):
        if isinstance(event, ev.StateChanged) and event.state is ev.State.LISTENING \
                and run.of(ev.InterviewerSaid)[-1].kind is ev.Line.FOLLOW_UP and not run.said(ev.Line.REPEAT):
            run.session.repeat()

    run = Run([Answer([PARTIAL]), Answer([FOLLOW_UP_ANSWER])], on_event=repeat_once, max_follow_ups=1)
    run.run()
    lines = run.of(ev.InterviewerSaid)
    follow = next(e for e in lines if e.kind is ev.Line.FOLLOW_UP)
    repeated = [e for e in lines if e.text == follow.text]
    assert len(repeated) == 2  # said, then said again on Repeat
    assert [r.kind for r in run.session.records] == ["answer", "follow_up"]


def test_pause_while_speaking_stops_the_voice_and_says_the_line_again_on_resume():
    def pause_then_resume(run, event):
        if isinstance(event, ev.StateChanged) and event.state is ev.State.SPEAKING and not run.of(ev.Final) \
                and len(run.of(ev.StateChanged)) == 1:
            run.session.pause()
        if isinstance(event, ev.StateChanged) and event.state is ev.State.PAUSED:
            assert not run.player.playing, "paused means the voice has stopped"
            run.session.resume()

    run = Run([Answer([PARTIAL])], on_event=pause_then_resume, max_follow_ups=0)
    run.run()
    assert run.said(ev.Line.QUESTION) == run.said(ev.Line.REPEAT) == [QUESTION.prompt]  # said in full again
    assert [e.state for e in run.of(ev.StateChanged)][:2] == ["speaking", "paused"]
    assert run.session.records[0].transcript["text"]


def test_skip_and_repeat_while_paused_are_not_dropped(bank):
    questions = bank.select(2, seed=9, categories=["fundamentals"])

    def pause_then_skip(run, event):
        if isinstance(event, ev.StateChanged) and event.state is ev.State.LISTENING and not run.paused_once:
            run.paused_once = True
            run.session.pause()
        elif isinstance(event, ev.StateChanged) and event.state is ev.State.PAUSED:
            run.session.skip()

    run = Run([Answer([PARTIAL], delay_s=5.0)], questions=questions, on_event=pause_then_skip, max_follow_ups=0)
    run.run()
    assert [e.id for e in run.of(ev.QuestionAsked)] == [q.id for q in questions]  # Skip acted on while paused


def test_talking_over_the_question_keeps_the_start_of_the_answer():
    run = Run([Answer([PARTIAL], start_on="speak", barge_delay_s=1.0)], max_follow_ups=0)
    run.run()
    assert run.of(ev.BargedIn)
    assert run.player.played[0] < 2.0  # the voice stopped about a second in
    assert run.session.records[0].transcript["text"].startswith("Bias is the error")


def test_a_lost_microphone_pauses_keeps_the_answer_and_resumes_after_reconnecting():
    def resume_when_paused(run, event):
        if isinstance(event, ev.StateChanged) and event.state is ev.State.PAUSED:
            run.session.resume()

    run = Run([Answer([PARTIAL, 0.5, "Variance means it overfits."])], on_event=resume_when_paused,
              lose_at=(200,), max_follow_ups=0)
    run.run()
    errors = run.of(ev.ErrorRaised)
    assert errors and "microphone" in errors[0].message
    assert run.source.starts == 2  # opened at the start, reopened on Resume
    text = run.session.records[0].transcript["text"]
    assert "underfits" in text


def test_end_while_the_interviewer_replies_keeps_the_last_answer_and_finishes_last(tmp_path):
    from interviewer.history import Store

    store = Store.open(tmp_path / "history.sqlite3")

    def end_during_reply(run, event):
        if isinstance(event, ev.InterviewerSaid) and event.kind is ev.Line.FOLLOW_UP:
            run.session.end()

    run = Run([Answer([PARTIAL]), Answer([FOLLOW_UP_ANSWER])], store=store, on_event=end_during_reply,
              max_follow_ups=2)
    summary = run.run()
    assert summary["answers"] == 1  # the answer given before End is in the summary
    stored = store.session(run.session.session_id)
    assert stored["status"] == "finished" and len(stored["turns"]) == 1
    names = [type(e).__name__ for e in run.events]
    assert names[-1] == "Finished" and names.index("AnalysisReady") < names.index("Finished")
    assert names.index("TurnRecorded") < names.index("Finished")


def test_each_record_has_its_own_timings_with_the_reply_in_them():
    run = Run([Answer([PARTIAL]), Answer([FOLLOW_UP_ANSWER])], max_follow_ups=1)
    run.run()
    answer = run.session.records[0]
    assert "audio_ready_after_turn_end_s" in answer.timings and "listen_s" in answer.timings
    json.dumps(answer.timings)  # stored as JSON: plain values only
    assert answer.timings is not run.session.records[1].timings


def test_no_speech_moves_on_with_a_kind_word():
    run = Run([], max_follow_ups=0, turn=TurnSettings(start_timeout_s=3.0))
    run.run()
    assert run.said(ev.Line.ACK) == []  # the last question: no "let's move on" after it
    assert run.session.records[0].transcript["text"] == ""
    assert run.session.records[0].end_reason.startswith("no speech")


def test_resuming_an_interrupted_session_asks_only_what_is_left(tmp_path, bank):
    from interviewer.history import Store

    first, second = bank.get("fund-bias-variance"), bank.get("fund-l1-vs-l2")
    store = Store.open(tmp_path / "history.sqlite3")
    sid = store.begin_session(format="fundamentals", question_ids=[first.id, second.id])
    store.record_answer(sid, question={"id": first.id, "category": first.category, "prompt": first.prompt, "tags": []},
                        turn={"kind": "answer", "index": 0}, transcript={"text": "bias and variance"},
                        analysis={"scores": {"overall": 50}, "key_points": {"covered": [], "missed": []}})
    store.close()
    store = Store.open(tmp_path / "history.sqlite3")
    run = Run([Answer(["L2 shrinks all the weights while L1 drives some of them exactly to zero."])],
              questions=[first, second], store=store, max_follow_ups=0, resume_session_id=sid)
    run.run()
    assert [e.id for e in run.of(ev.QuestionAsked)] == [second.id]
    assert run.session.session_id == sid and not store.incomplete_sessions()
    assert len(store.session(sid)["turns"]) == 2


def test_a_follow_ups_recording_is_named_after_the_point_it_asked_about(tmp_path):
    """After a crash, resuming reads the name back to score a cut-off reply (app/resume.py)."""
    from interviewer.app.resume import parse_turn_key
    from interviewer.history import Store

    store = Store.open(tmp_path / "history.sqlite3")
    run = Run([Answer([PARTIAL]), Answer([FOLLOW_UP_ANSWER])], store=store, max_follow_ups=1)
    run.run()
    answer, follow = run.session.records
    keys = [r["turn_key"] for r in store.session(run.session.session_id)["recordings"]]
    assert follow.targets and [parse_turn_key(k) for k in keys] == [
        ("answer", QUESTION.id, None), ("follow_up", QUESTION.id, follow.targets)]
    store.close()


@pytest.mark.parametrize("max_follow_ups", [0, 2])
def test_follow_ups_stop_at_the_limit(max_follow_ups):
    answers = [Answer([PARTIAL])] + [Answer([FOLLOW_UP_ANSWER])] * 3
    run = Run(answers, max_follow_ups=max_follow_ups)
    run.run()
    assert sum(1 for r in run.session.records if r.kind == "follow_up") == max_follow_ups


class _InstantFinalPass:
    """Stands in for speech.final_pass.FinalPass: 'transcribes' every answer again at once,
    with two filled pauses the live transcript lacks (what base's pass adds on real speech)."""

    def submit(self, audio, prompt=None):
        from concurrent.futures import Future

        from interviewer.analysis import transcript_from_text

        f = Future()
        f.set_result((transcript_from_text("Um, bias is the error of a model that is too simple, uh, so it underfits.",
                                           wpm=150), {"model": "stub"}))
        return f

    def close(self) -> None:
        pass


def test_study_feedback_shows_the_scores_the_report_will_show(tmp_path):
    """At accurate quality the live analysis plans the reply but is not shown; the feedback is
    the accurate pass's analysis, the one the records and the history keep."""
    from interviewer.history import Store
    from interviewer.speech.final_pass import FinalPasses

    store = Store.open(tmp_path / "history.sqlite3")
    seen = []  # (accurate, show_now, transcript, scores) as each event arrived

    def note(_run, e):
        if isinstance(e, ev.AnalysisReady):
            seen.append((e.accurate, e.show_now, e.analysis["transcript"], dict(e.analysis["scores"])))

    run = Run([Answer([PARTIAL])], store=store, mode="study", max_follow_ups=0, on_event=note)
    run.session.recorder.final_passes = FinalPasses(_InstantFinalPass())
    run.run()
    (live, live_shown, live_text, _), (accurate, shown, text, scores) = seen
    assert (live, live_shown) == (False, False) and (accurate, shown) == (True, True)
    assert "uh," not in live_text and "uh," in text
    (record,) = run.session.records
    assert record.analysis["scores"] == scores
    (turn,) = store.session(run.session.session_id)["turns"]
    assert turn["analysis"]["scores"] == scores


def test_a_reply_prepared_from_a_cut_partial_is_not_said_when_its_quote_is_gone():
    """Seen in a session: a follow-up prepared while the candidate spoke quoted the partial
    transcript's cut last word ("...compares the feature distribution int.") and was said as
    is, because the plan had not changed. Now the prepared reply holds only while the final
    words still contain what it quotes."""
    from interviewer.dialogue.wording import Decision
    from interviewer.engine.policy import Plan, PlanKind
    from interviewer.engine.speculation import Prepared
    from interviewer.transcript import Transcript, Word

    def transcript(text):
        return Transcript([Word(w, i * 0.3, i * 0.3 + 0.25) for i, w in enumerate(text.split())], 10.0)

    partial = "I also added a monitor that compares the feature distribution int"
    final = "I also added a monitor that compares the feature distribution in training and in serving every day."
    plan = Plan(PlanKind.PROBE, "monitoring")
    said = "You said you also added a monitor that compares the feature distribution int."
    stale = Prepared(plan, transcript(partial), Decision("follow_up", said + " How?", lead_in=said), None, {})
    assert not stale.holds_for(plan, final)
    good = "You said you also added a monitor that compares the feature distribution."
    fresh = Prepared(plan, transcript(partial), Decision("follow_up", good + " How?", lead_in=good), None, {})
    assert fresh.holds_for(plan, final)
    assert not fresh.holds_for(Plan(PlanKind.MISSED, "other"), final)
    plain = Prepared(plan, transcript(partial), Decision("follow_up", "How?"), None, {})
    assert plain.holds_for(plan, final)


def test_a_follow_up_on_a_point_the_thread_covered_is_scored_as_a_probe():
    from interviewer.engine.recorder import Recorder
    from interviewer.engine.values import TurnRecord

    rec = Recorder.__new__(Recorder)  # only the records matter to this check
    rec.records = [TurnRecord("q", "answer", "", None, "bank", {}, {"key_points": {"covered": ["bias"], "missed": ["variance"]}},
                              None, "", {})]
    assert rec._covered_before("q", "bias") and not rec._covered_before("q", "variance")
    assert not rec._covered_before("other", "bias") and not rec._covered_before("q", None)
