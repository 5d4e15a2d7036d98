"""The scenes `screenshots` renders, in order: each puts the real window in a state a user
would see (sample data, scripted session events, no models) and saves it."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea

from .event_loop import settle, wait_for

DRILL_PARTIAL = ("Gradient descent is a way to minimise a loss function by taking small steps downhill. For example, "
                 "imagine you are training a linear regression model. You start with random weights")
SAMPLE_VOICES = [{"id": f"gmw/{code}", "name": name} for code, name in (
    ("en-us", "English (America)"), ("en", "English (Great Britain)"), ("en-gb-scotland", "English (Scotland)"),
    ("en-gb-x-rp", "English (Received Pronunciation)"), ("en-029", "English (Caribbean)"))] + [
    {"id": "art/qya", "name": "Quenya"}, {"id": "esx/kl", "name": "Greenlandic"}, {"id": "roa/fr", "name": "French (France)"}]


def interview_script() -> list:
    """Session events for a believable mid-interview screen."""
    from ..engine import events as ev

    prompt = "Explain the bias-variance trade-off and how it guides the choice of model complexity."
    return [
        ev.QuestionAsked(index=1, total=3, id="demo", prompt=prompt, category="fundamentals", target_seconds=90,
                         key_points=[]),
        ev.InterviewerSaid(text=prompt, kind=ev.Line.QUESTION),
        ev.StateChanged(state=ev.State.LISTENING),
        ev.Final(text="So, bias is the error you get when the model is too simple, it underfits. Variance is the "
                      "opposite: the model is too sensitive to the training data and it overfits.", words=[]),
        ev.AnalysisReady(question_id="demo", kind="answer", show_now=True, follow_up_assessment=None, analysis={
            "scores": {"overall": 64}, "key_points": {"covered": ["a", "b"], "missed": ["c", "d", "e"]},
            "feedback": [{"tip": "Cover this point: diagnose with training versus validation error."}]}),
        ev.InterviewerSaid(text="How would you tell from your training and validation curves which of the two "
                                "problems you have?", kind=ev.Line.FOLLOW_UP),
        ev.StateChanged(state=ev.State.LISTENING),
        ev.Partial(text="I would look at the gap between the training and the validation error, and if both are "
                        "high"),
        ev.LevelChanged(value=0.62, voiced=True),
    ]


def home_and_microphone(window, save, store, bank) -> None:
    save("home")
    window.activateWindow()
    window.home.recordings_button.setFocus(Qt.FocusReason.TabFocusReason)  # where Tab lands: the ring shows it
    save("home-focus")
    window.home.difficulty[3].setFocus(Qt.FocusReason.TabFocusReason)
    save("home-focus-checkbox")
    window.mic_ctl._set([])  # as if the headset were unplugged
    settle(200)
    save("home-no-mic")
    window.goto("mic")
    save("mic-none")
    window.mic_ctl._set(list(window.sample_mic))
    window.mic_ctl.stop_looking()
    window.home.found_banner.hide()  # the re-plug above is staging: later pages start calm
    window.idle("")
    window.mic.set_monitoring(True)  # as if listening (no microphone here)
    window.mic.on_level(0.55)
    window.mic.record_progress.setValue(1000)
    window.mic.result.setText("We heard: “I would compare training and validation error.”\n"
                              "If that is roughly what you said, you are set.")
    window.mic.test_passed = True
    window.mic._set_default(window.mic.continue_button)
    settle(300)
    save("mic")
    window.mic.set_monitoring(False)
    window.goto("home")
    window.home.set_demo(True)  # what Home says in the demo (without starting it)
    window.home.set_microphone(True, "USB headset microphone")  # and a headset plugged in meanwhile
    window.demo = True
    window._update_title()
    save("home-demo")
    window.home.set_demo(False)
    window.home.found_banner.hide()
    window.demo = False
    window._update_title()


def interview(window, save, store, bank) -> None:
    window.interview.reset("study")
    window.goto("interview")
    for event in interview_script():
        window.interview.on_event(event)
    window.interview.clock.banked = 47.0
    window._sync_actions()
    settle(300)
    save("interview")
    window.interview.set_running(False)


def report(window, save, store, bank) -> None:
    from ..tools.sample_data import populate_with_audio

    sid = populate_with_audio(store, bank, Path(tempfile.mkdtemp()))
    window.open_report(sid)
    wait_for(window.report_shown)
    save("report-summary")
    summary = window.report.summary
    from .ui import Disclosure

    toggles = summary.findChildren(Disclosure)
    if toggles:
        toggles[0].set_open(True)
    save("report-evidence")
    bar = window.report.summary_scroll.verticalScrollBar()  # the key points, at the foot of the summary
    bar.setValue(bar.maximum())
    save("report-key-points")
    bar.setValue(0)
    window.report.tabs.setCurrentIndex(1)
    save("report-questions")
    q = window.report.questions
    follow_up = next((k for k, t in enumerate(q.report["questions"][q.current_question]["turns"])
                      if t["kind"] == "follow_up"), None)
    if follow_up is not None:  # a reply is shown with what the follow-up asked and whether it answered
        q.turn_bar.setCurrentIndex(follow_up)
        save("report-follow-up")
        q.turn_bar.setCurrentIndex(next(k for k, t in enumerate(q.report["questions"][q.current_question]["turns"])
                                        if t["kind"] == "answer"))
    q.transcript.setFocus()
    q.transcript.word_activated.emit(6)  # as a click on the seventh word does
    wait_for(q.replay_started)
    settle(1600)  # the highlight has moved on with the audio
    save("report-replay")
    q.stop_replay()
    wait_for(q.replay_stopped, 3000)


def history(window, save, store, bank) -> None:
    window.goto("history")
    wait_for(window.history.progress_loaded)
    save("history")
    window.history.tabs.setCurrentIndex(1)
    save("history-progress")


def settings(window, save, store, bank) -> None:
    window.goto("settings")
    wait_for(window.settings_page.models_loaded, 60_000)
    window.settings_page.voice_section.set_voices(SAMPLE_VOICES, None)
    save("settings")
    section = window.settings_page.models_section
    bad = Path(tempfile.mkdtemp()) / "notes-not-a-model.gguf"
    bad.write_bytes(b"this is a text file, not a model\n" * 10)
    section.add_model_from(str(bad))
    wait_for(section.model_rejected)
    settle(200)
    box = window.last_dialog
    if box is not None and box.isVisible():
        save("dialog-bad-model", box)
        box.close()
    save("settings-bad-model")
    window.settings_page.voice_section.set_speaking(True)
    save("settings-voice-test")
    window.settings_page.voice_section.set_speaking(False)


def drill(window, save, store, bank) -> None:
    """The drill's set-up, its countdown (with time left, then over time) and its report."""
    from ..engine import events as ev
    from ..tools.sample_data import drill_sample

    page = window.drill
    window.goto("drill")
    page.concept.setText("gradient descent")
    page.target_buttons[30].setChecked(True)
    page.search.setText("regularization")
    page.own.setChecked(True)
    page._validate()
    save("drill-setup")
    question, analysis, rep = drill_sample()
    window.session_kind = "drill"
    page.begin(question.prompt, 30, "interviewer")
    for event in (ev.StateChanged(state=ev.State.LISTENING), ev.Partial(text=DRILL_PARTIAL),
                  ev.LevelChanged(value=0.6, voiced=True)):
        page.on_event(event)
    page.clock.banked = 21.4  # 8 s left: the warning colour
    page._tick()
    window._sync_actions()
    settle(300)
    save("drill-countdown")
    page.clock.banked = 34.6  # past the target: overtime
    page._tick()
    save("drill-overtime")
    page.on_event(ev.StateChanged(state=ev.State.THINKING))
    page.set_running(False)
    page.show_report(rep, analysis, question.prompt)
    window.session_kind = "interview"
    window._sync_actions()
    save("drill-report")


def projects(window, save, store, bank) -> None:
    """My projects (a project open; then a new one with mistakes), and a rehearsal's report."""
    from ..tools.sample_data import populate_rehearsal

    store.save_project({"title": "Support ticket router", "problem": "Tickets waited a day to reach the right team.",
                        "data": "80,000 labelled tickets from two years of the help desk."})
    sid = populate_rehearsal(store, bank)
    page = window.projects
    window.goto("projects")
    page.current_id = None
    page.reload()
    wait_for(page.loaded)
    demo = next(p["id"] for p in page.projects if p["title"].startswith("Delivery"))
    page.select(demo)
    save("projects")
    page.new_project()
    page.title.setText("X")
    page.fields["problem"].setPlainText("Ops teams spend hours matching invoices by hand.")
    page.links.setText("https://github.com/example/invoices notalink")
    page._edited()
    page.save()
    save("projects-invalid")
    page.dirty = False
    page.discard()
    window.open_report(sid)
    wait_for(window.report_shown)
    save("rehearsal-report")
    section = window.report.rehearsal_section
    if section is not None:
        window.report.summary_scroll.verticalScrollBar().setValue(section.follow_ups.y())
    save("rehearsal-followups")


def my_questions(window, save, store, bank) -> None:
    """A custom question written, then drafted (a sample draft: no language model here)."""
    from ..tools.sample_data import sample_custom_question

    page = window.questions
    window.goto("questions")
    question, drafted = sample_custom_question()
    page.prompt.setPlainText(question["prompt"])
    page.set_points([{"label": kp["label"], "cues": ", ".join(kp["cues"]), "says": kp.get("says", "")}
                     for kp in question["key_points"]])
    save("questions")
    page.show_draft(drafted)
    settle(100)
    scroll = page.findChild(QScrollArea, "page-scroll")
    if scroll is not None:
        scroll.verticalScrollBar().setValue(page.drafts.y() - 20)
    save("questions-drafted")


SCENES = [home_and_microphone, interview, report, history, settings, drill, projects, my_questions]
