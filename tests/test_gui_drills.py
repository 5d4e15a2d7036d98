"""Timed drills, My projects, project rehearsal and personas in the desktop app.

Fast tests use an offline runtime (the real bank and a real store, no models) and check
the pages, the validation, the dialogs and the session configs they launch. The two slow
tests run a drill and a rehearsal end to end with the real models, the microphone being a
FileSource replaying espeak-ng answers in real time; everything is awaited on signals.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from interviewer.audio.playback import SilentPlayer
from interviewer.config import Settings

pytestmark = pytest.mark.gui

SHOTS = Path(__file__).resolve().parent / "_artifacts" / "screenshots"


def snapshot(widget, name: str) -> None:
    """A picture of a real run's result, beside the screenshot test's, to look at."""
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()  # widgets added to a visible page are shown by a queued call
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / f"live-{name}.png"))


def FAKE_MIC(reinit=False):
    return [{"index": 0, "name": "Fake USB microphone", "default_input": True}]


def OfflineRuntime(store):
    from interviewer.app.runtime import OfflineRuntime as Offline

    return Offline(store, user_questions=False)


@pytest.fixture
def store():
    from interviewer.history import Store

    clock = [datetime.now().astimezone()]
    s = Store.open(clock=lambda: clock[0], durability="off")
    yield s


@pytest.fixture
def window(qtbot, store):
    """The main window on the offline runtime; `window.launched` collects what it would run."""
    import shiboken6

    from interviewer.gui.main_window import MainWindow, first_run_marker

    first_run_marker().touch()
    runtime = OfflineRuntime(store)
    w = MainWindow(Settings(), runtime_factory=lambda: runtime, player_factory=lambda: SilentPlayer(speed=50.0),
                   scan_devices=FAKE_MIC)
    w.launched = []
    w.controller._launch = lambda plan, source=None, demo=False, recorded=False: w.launched.append(
        {"config": plan.config, "questions": plan.questions, "kind": plan.kind, "context": plan.title, "demo": demo})
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.runtime_ready, timeout=20_000):
        w.show()
    yield w
    if shiboken6.isValid(w) and w.isVisible():
        w.close()
        qtbot.waitUntil(lambda: not shiboken6.isValid(w) or not w.isVisible(), timeout=20_000)


def click(qtbot, button) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def dialog_button(box, label: str):
    return next(b for b in box.buttons() if b.text().replace("&", "") == label)


# -- home: the persona picker ------------------------------------------------------------------


def test_home_persona_picker_describes_each_persona_and_configures_the_session(window, qtbot):
    from interviewer.content.personas import PERSONAS

    home = window.home
    assert home.persona.currentData() is None and "Settings" in home.persona_desc.text()
    for pid, persona in PERSONAS.items():
        home.persona.setCurrentIndex(home.persona.findData(pid))
        assert persona.description in home.persona_desc.text()
        assert home.persona.itemData(home.persona.currentIndex(), Qt.ItemDataRole.ToolTipRole) == persona.description
    home.persona.setCurrentIndex(home.persona.findData("rigorous"))
    assert home.options()["persona"] == "rigorous"
    click(qtbot, home.start_button)
    (run,) = window.launched
    assert run["config"].persona == "rigorous"
    assert run["config"].max_follow_ups == PERSONAS["rigorous"].max_follow_ups  # the persona's default


# -- the drill page ------------------------------------------------------------------------------


def test_drill_setup_searches_the_bank_and_starts_a_timed_drill(window, qtbot):
    page = window.drill
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() == "drill"
    assert page.bank_list.count() == len(window.runtime.bank)
    assert not page.start_button.isEnabled()  # nothing to explain yet

    # a question from the bank, found by searching
    qtbot.keyClicks(page.search, "bias variance")
    assert page.from_bank.isChecked()
    shown = [page.bank_list.item(i) for i in range(page.bank_list.count()) if not page.bank_list.item(i).isHidden()]
    assert 0 < len(shown) < page.bank_list.count()
    assert all("bias" in i.text().lower() or "bias" in i.data(Qt.ItemDataRole.UserRole + 1) for i in shown)
    assert "match" in page.bank_count.text()
    page.bank_list.setCurrentItem(shown[0])
    qid = shown[0].data(Qt.ItemDataRole.UserRole)
    click(qtbot, page.target_buttons[120])
    click(qtbot, page.non_expert)
    assert page.options() == {"concept": None, "question_id": qid, "target_s": 120, "audience": "non_expert"}
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Enter starts
    run = window.launched[-1]
    assert run["kind"] == "drill" and run["questions"][0].id == qid
    assert run["questions"][0].target_seconds == 120
    c = run["config"]
    assert (c.format, c.n_questions, c.max_follow_ups, c.audience) == ("drill", 1, 0, "non_expert")
    assert c.turn.max_answer_s == 240.0

    # a concept typed in
    page.concept.setFocus()
    qtbot.keyClicks(page.concept, "attention")
    assert page.own.isChecked()
    click(qtbot, page.target_buttons[30])
    click(qtbot, page.start_button)
    run = window.launched[-1]
    q = run["questions"][0]
    assert "attention" in q.prompt and q.target_seconds == 30 and "drill" in q.tags
    assert run["config"].turn.max_answer_s == 60.0  # at least a minute, as the CLI does


def test_a_drill_with_no_answer_returns_to_the_set_up_and_says_why(window, qtbot):
    window.goto("interview")
    window.controller.nothing_recorded.emit("drill")
    assert window.current_page() == "drill" and window.drill.views.currentIndex() == 0
    assert "No answer was recorded" in window.drill.status.text()


def test_countdown_counts_down_then_shows_overtime():
    from interviewer.gui.drill_widgets import Countdown
    from interviewer.gui.palette import BAD, WARN

    c = Countdown()
    c.set_target(30)
    assert (c.digits(), c.caption()) == ("0:30", "left of 0:30")
    c.set_elapsed(21.4)
    assert c.digits() == "0:09" and c.digit_color() == WARN and not c.over
    c.set_elapsed(34.6)
    assert c.over and c.digits() == "+0:05" and c.caption() == "over the 0:30 target" and c.digit_color() == BAD
    assert "+0:05 over" in c.accessibleDescription()
    c.resize(600, c.sizeHint().height())
    assert not c.grab().isNull()


def shown_matches(page, report: dict) -> None:
    """Every number of the drill report on screen, as drill_report computed it."""
    from interviewer.gui.drill_text import VERDICT_TEXT
    from interviewer.gui.wording import clock, tidy

    assert page.views.currentIndex() == 2
    assert page.verdict.text() == VERDICT_TEXT[report["verdict"]]
    detail = page.verdict_detail.text()
    assert f"{report['used_s']:.0f} s of a {report['target_s']} s target" in detail  # whole seconds, as people say
    if report["verdict"] in ("over", "short"):
        assert f"{abs(report['delta_s']):.0f} s {'over' if report['delta_s'] > 0 else 'short'}" in detail
    assert page.timeline.parts == report["parts"]
    assert page.timeline.used_s == report["used_s"] and page.timeline.target_s == report["target_s"]
    legend = page.parts_legend.text()
    for part in report["parts"]:
        assert part["label"] in legend and f"{part['seconds']:.0f} s ({part['share'] * 100:.0f} %)" in legend
        assert f"{clock(part['start'])} to" in legend
    if report["wpm"]:
        assert page.pace.text().startswith(f"{report['wpm']:.0f} words per minute")
    import html

    for kind in ("cut", "add"):
        text = html.unescape(getattr(page, kind).text())
        for entry in report[kind]:
            assert entry["tip"] in text and tidy(entry["evidence"]) in text, (kind, entry)
    shown_scores = {}
    for row in range(page.scores_grid.rowCount()):
        name = page.scores_grid.itemAtPosition(row, 0).widget().text()
        bar = page.scores_grid.itemAtPosition(row, 1).widget()
        shown_scores[name] = bar.bar.value()
    from interviewer.app.report_data import DIMENSION_TITLES

    for dim, score in report["scores"].items():
        if dim in DIMENSION_TITLES:
            assert shown_scores[f"<b>{DIMENSION_TITLES[dim]}</b>"] == int(score)


def test_drill_report_shows_drill_reports_numbers(window, qtbot):
    from interviewer.app.demo_drills import DRILL_ANSWER
    from interviewer.tools.sample_data import drill_sample

    question, analysis, report = drill_sample("gradient descent", 30, DRILL_ANSWER)
    assert report["verdict"] == "over" and report["cut"] and report["add"]  # the demo script runs long
    window.goto("drill")
    with qtbot.waitSignal(window.drill.report_shown):
        window.drill.show_report(report, analysis, question.prompt)
    shown_matches(window.drill, report)
    assert "Explain gradient descent" in window.drill.r_subtitle.text()
    # a short one, for a non-expert: jargon left unexplained is something to add
    text = "Regularization adds an L2 penalty and uses the Hessian. In short, smaller weights."
    question, analysis, short = drill_sample("regularization", 60, text, audience="non_expert")
    window.drill.show_report(short, analysis, question.prompt)
    shown_matches(window.drill, short)
    assert short["verdict"] == "short" and "non-expert" in window.drill.r_subtitle.text()
    # Try again runs the same drill; New drill goes back to the set-up
    window.drill.last_options = {"concept": "regularization", "question_id": None, "target_s": 60,
                                 "audience": "non_expert"}
    click(qtbot, window.drill.again_button)
    assert window.launched[-1]["kind"] == "drill" and window.launched[-1]["config"].audience == "non_expert"
    click(qtbot, window.drill.new_button)
    assert window.drill.views.currentIndex() == 0


def test_a_drill_reopened_from_history_shows_its_drill_report(window, qtbot, store):
    from interviewer.analysis import transcript_from_text
    from interviewer.tools.sample_data import drill_sample

    question, analysis, report = drill_sample("gradient descent", 60, audience="non_expert")
    sid = store.begin_session(format="drill", mode="study", settings={"keep_audio": False}, question_ids=[question.id])
    store.record_answer(sid, {"id": question.id, "category": question.category, "prompt": question.prompt},
                        {"kind": "answer", "index": 0, "interviewer_text": question.prompt},
                        transcript_from_text("x").to_dict(), analysis)
    store.finish_session(sid, {"duration_s": 40.0})
    with qtbot.waitSignal(window.drill_report_shown) as shown:
        window.open_report(sid)
    assert shown.args[0] == {**report, "session_id": sid, "demo": False}
    assert window.current_page() == "drill"
    shown_matches(window.drill, shown.args[0])


# -- My projects -----------------------------------------------------------------------------


def test_projects_add_validate_edit_switch_and_delete(window, qtbot, store):
    page = window.projects
    window.activateWindow()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() == "projects"
    assert page.list.count() == 0 and page.empty.isVisibleTo(page)
    qtbot.waitUntil(lambda: not page._pending)  # every list query has come back
    assert not page.rehearse_button.isEnabled() and "Save the project first" in page.rehearse_hint.text()

    # validation: a one-letter title and a link that is not one
    qtbot.keyClicks(page.title, "X")
    page.links.setText("https://github.com/me/x notalink")
    page._edited()
    with qtbot.waitSignal(page.save_failed) as failed:
        click(qtbot, page.save_button)
    assert set(failed.args[0]) == {"title", "links"}
    assert page.errors["title"].isVisibleTo(page) and "at least 2 characters" in page.errors["title"].text()
    assert "notalink" in page.errors["links"].text() and "not saved" in page.message.text().lower()
    assert store.projects() == []

    # fixed: saved, listed, and a hint about the notes still missing
    page.title.clear()
    qtbot.keyClicks(page.title, "Delivery delay predictor")
    page.links.setText("https://github.com/me/delays")
    page.fields["problem"].setPlainText("Dispatchers could not tell which parcels would arrive late.")
    page.stack.setText("python, lightgbm ,airflow")
    with qtbot.waitSignal(page.saved) as saved:
        click(qtbot, page.save_button)
    pid = saved.args[0]
    assert not page.errors["title"].isVisible() and "Tip: add the data" in page.message.text()
    qtbot.waitUntil(lambda: page.list.count() == 1)  # the list reloads on the thread pool
    assert page.list.currentItem().data(Qt.ItemDataRole.UserRole) == pid
    project = store.project(pid)
    assert project.title == "Delivery delay predictor" and project.stack == ["python", "lightgbm", "airflow"]
    assert project.links == ["https://github.com/me/delays"]
    assert page.rehearse_button.isEnabled()

    # edit: unsaved changes hold the rehearsal back; saving updates the same project
    page.fields["data"].setPlainText("Two years of GPS pings from 300 delivery vans.")
    assert page.dirty and not page.rehearse_button.isEnabled() and "Save your changes" in page.rehearse_hint.text()
    with qtbot.waitSignal(page.saved) as saved_again:
        click(qtbot, page.save_button)
    assert saved_again.args[0] == pid and store.project(pid).data.startswith("Two years")
    assert len(store.projects()) == 1

    # a second project; moving away with unsaved edits asks (without blocking)
    click(qtbot, page.new_button)
    assert page.current_id is None and page.title.text() == "" and page.editor_title.text() == "New project"
    qtbot.keyClicks(page.title, "Support ticket router")
    with qtbot.waitSignal(page.saved):
        click(qtbot, page.save_button)
    qtbot.waitUntil(lambda: page.list.count() == 2)
    other = page.current_id
    page.fields["lessons"].setPlainText("Unsaved thought")
    first_row = next(i for i in range(page.list.count()) if page.list.item(i).data(Qt.ItemDataRole.UserRole) == pid)
    page.list.setCurrentRow(first_row)
    box = page.confirm_box
    assert box.isVisible() and "Save your changes" in box.text()
    dialog_button(box, "Discard").click()
    assert page.current_id == pid and page.title.text() == "Delivery delay predictor"
    assert store.project(other).lessons == ""  # discarded

    # delete, after confirming
    page.ask_delete()
    box = page.confirm_box
    assert "Delivery delay predictor" in box.text()
    dialog_button(box, "Cancel").click()
    assert len(store.projects()) == 2
    page.ask_delete()
    with qtbot.waitSignal(page.deleted):
        dialog_button(page.confirm_box, "Delete").click()
    assert [p["id"] for p in store.projects()] == [other]
    qtbot.waitUntil(lambda: page.list.count() == 1)
    assert page.current_id == other


def test_rehearse_launches_a_grounded_project_session_with_the_persona(window, qtbot, store):
    from interviewer.app.demo_drills import DEMO_PROJECT
    from interviewer.content.personas import PERSONAS

    pid = store.save_project(dict(DEMO_PROJECT))
    page = window.projects
    page.reload(select=pid)
    window.goto("projects")
    qtbot.waitUntil(lambda: page.current_id == pid)  # when the list with it arrives (an earlier query may not have it)
    assert page.rehearse_button.isEnabled()
    click(qtbot, page.pitch3)
    page.deep_dives.setValue(1)
    page.persona.setCurrentIndex(page.persona.findData("rigorous"))
    assert PERSONAS["rigorous"].description in page.persona_desc.text()
    click(qtbot, page.rehearse_button)
    qtbot.waitUntil(lambda: bool(window.launched), timeout=10_000)
    (run,) = window.launched
    c, questions = run["config"], run["questions"]
    assert run["kind"] == "rehearsal" and "Delivery delay predictor" in run["context"]
    assert (c.format, c.n_questions, c.persona, c.project_title) == ("project", 2, "rigorous", DEMO_PROJECT["title"])
    assert c.max_follow_ups == PERSONAS["rigorous"].max_follow_ups
    assert questions[0].id == "proj-pitch-three-minutes" and questions[0].target_seconds == 180
    assert "Delivery delay predictor" in questions[0].prompt
    data_cues = next(kp for kp in questions[0].key_points if kp.id == "data").cues
    assert "gps pings" in data_cues  # grounded in the notes


def test_rehearsal_report_shows_pitch_timing_structure_and_follow_ups(window, qtbot, store):
    from interviewer.content.drills import drill_report
    from interviewer.tools.sample_data import populate_rehearsal

    sid = populate_rehearsal(store, window.runtime.bank)
    with qtbot.waitSignal(window.report_shown) as shown:
        window.open_report(sid)
    report = shown.args[0]
    page = window.report
    assert page.title.text() == "Project rehearsal: Delivery delay predictor"
    assert "Hiring manager" in page.subtitle.text()
    section = page.rehearsal_section
    assert section is not None and section.isVisibleTo(page)
    pitch = report["questions"][0]
    truth = drill_report(window.runtime.bank.get("proj-pitch-two-minutes"), pitch["main"], 120)
    assert f"{truth['used_s']:.0f} s of a 120 s pitch target" in section.timing_text.text()
    assert section.verdict.text() == {"short": "Short", "on time": "On time", "over": "Over time"}[truth["verdict"]]
    elements = {e["name"]: e for e in pitch["main"]["structure"]["elements"]}
    checklist = section.checklist.text()
    for name in ("problem", "data", "approach", "results", "impact", "lessons"):
        row = checklist.split(f"<b>{name.title()}</b>")[1].split("</tr>")[0]
        assert ("found" in row) == elements[name]["found"], (name, row)
    assert not elements["impact"]["found"]  # the scripted pitch leaves it out, so it is asked about
    follow_ups = [t for q in report["questions"] for t in q["turns"] if t["kind"] == "follow_up"]
    assert follow_ups and all(t["interviewer_text"] in section.follow_ups.text() for t in follow_ups)
    assert section.timeline.parts and section.timeline.parts[0]["label"] == "Problem"
    # left out of the pitch but given when asked: the checklist says where, not just "missing"
    impact_asked = next(n for n, t in enumerate(follow_ups, 1) if t.get("targets") == "impact")
    assert follow_ups[impact_asked - 1]["assessment"]["addressed"]
    impact_row = checklist.split("<b>Impact</b>")[1].split("</tr>")[0]
    assert f"you gave it when asked (follow-up {impact_asked})" in impact_row
    lessons_row = checklist.split("<b>Lessons</b>")[1].split("</tr>")[0]
    assert "missing" in lessons_row  # never asked about, so still simply missing
    # a deep-dive follow-up is "about" its key point's spoken topic, not a capitalised label
    deep = report["questions"][1]
    asked = next(t for t in deep["turns"] if t["kind"] == "follow_up")
    kp = window.runtime.bank.get(deep["id"]).key_point(asked["targets"])
    assert f"about {kp.topic}" in section.follow_ups.text() and kp.label not in section.follow_ups.text()


def test_demo_mode_fixes_the_drill_and_adds_the_demo_project(qtbot, store):
    import shiboken6

    from interviewer.app.demo_drills import DEMO_PROJECT, DRILL_OPTIONS
    from interviewer.gui.main_window import MainWindow

    runtime = OfflineRuntime(store)
    w = MainWindow(Settings(), demo=True, runtime_factory=lambda: runtime, player_factory=SilentPlayer,
                   scan_devices=FAKE_MIC)
    qtbot.addWidget(w)
    try:
        with qtbot.waitSignal(w.projects.loaded, timeout=20_000):
            w.show()
        assert [p["title"] for p in store.projects()] == [DEMO_PROJECT["title"]]
        assert w.drill.demo_banner.isVisibleTo(w.drill) and not w.drill.what_box.isEnabled()
        assert w.drill.options()["concept"] == DRILL_OPTIONS["concept"]
        assert w.projects.demo_banner.isVisibleTo(w.projects) and w.projects.rehearse_button.isEnabled()
    finally:
        if shiboken6.isValid(w) and w.isVisible():
            w.close()
            qtbot.waitUntil(lambda: not shiboken6.isValid(w) or not w.isVisible(), timeout=20_000)


# -- end to end with the real models ----------------------------------------------------------------

DRILL_SPEECH = ("Gradient descent is a way to minimise a loss. For example, in linear regression you start with "
                "random weights and repeatedly step against the gradient. It matters because most models are "
                "trained this way. However, a learning rate that is too large makes it diverge. In short, walk "
                "downhill in small steps.")
PITCH_SPEECH = ("The problem was that dispatchers could not tell which parcels would arrive late. The data was two "
                "years of GPS pings from three hundred delivery vans, joined with weather reports. I trained a "
                "gradient boosted model on route and weather features. The results: recall improved from forty one "
                "to sixty eight percent against the old baseline.")
FOLLOW_UP_SPEECH = ("It is deployed in production and the dispatchers use it every morning. Complaints about late "
                    "parcels dropped by a fifth.")


def real_window(qtbot, paths):
    """The main window with the real models; the microphone replays `paths` in real time."""
    from interviewer.audio.sources import FileSource
    from interviewer.gui.main_window import MainWindow, first_run_marker

    first_run_marker().touch()
    sources = []

    def source(device=None):
        sources.append(FileSource(paths))
        return sources[-1]

    w = MainWindow(Settings(), source_factory=source, player_factory=lambda: SilentPlayer(speed=2.0),
                   scan_devices=FAKE_MIC)
    w.sources = sources
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.runtime_ready, timeout=120_000):
        w.show()
    return w


def close_real(qtbot, w) -> None:
    w.close()
    qtbot.waitUntil(lambda: not w.isVisible(), timeout=60_000)
    if w.runtime is not None:
        w.runtime.close()


@pytest.mark.slow
def test_timed_drill_end_to_end_with_the_real_models(qtbot, make_speech):
    from interviewer.audio import SAMPLE_RATE
    from interviewer.audio.io import load_audio
    from interviewer.content.drills import drill_report

    wav = make_speech(DRILL_SPEECH, wpm=160)
    audio = load_audio(wav)
    loud = np.flatnonzero(np.abs(audio) > 0.02)
    truth_s = (loud[-1] - loud[0]) / SAMPLE_RATE
    w = real_window(qtbot, [wav])
    page = w.drill
    try:
        w.goto("drill")
        page.concept.setFocus()
        qtbot.keyClicks(page.concept, "gradient descent")
        click(qtbot, page.target_buttons[30])
        with qtbot.waitSignal(w.session_started, timeout=30_000):
            click(qtbot, page.start_button)
        assert w.current_page() == "drill" and page.views.currentIndex() == 1
        assert page.countdown.digits() == "0:30" and page.question.text().startswith("Explain gradient descent")

        # the countdown runs while the answer is spoken; the transcript streams
        qtbot.waitUntil(lambda: page.state == "listening", timeout=60_000)
        assert w.act_done.isEnabled() and page.done_button.isEnabled()  # Space means Done here
        qtbot.waitUntil(lambda: page.countdown.elapsed_s > 3.0, timeout=30_000)
        left = page.countdown.left_s
        assert 0 < left < 27 and page.countdown.digits() != "0:30"
        qtbot.waitUntil(lambda: bool(page.live.text()), timeout=60_000)
        qtbot.waitUntil(lambda: page.countdown.left_s < left - 1, timeout=10_000)

        # the answer ends; the report is the drill report of what was said
        with qtbot.waitSignal(w.drill_report_shown, timeout=180_000) as shown:
            pass
        report = shown.args[0]
        assert page.views.currentIndex() == 2 and w.current_page() == "drill"
        session = w.session.session
        (record,) = [r for r in session.records if r.analysis]
        expected = drill_report(w.controller.plan.drill["question"], record.analysis, 30, "interviewer")
        assert {k: v for k, v in report.items() if k not in ("session_id", "demo")} == expected
        assert report["demo"] is False
        shown_matches(page, report)
        assert page.countdown.elapsed_s >= report["used_s"] - 1.0  # the clock ran at least as long as the speech
        # against known truth: the time used is the spoken length of the recording
        assert abs(report["used_s"] - truth_s) <= 0.1 * truth_s + 0.3, (report["used_s"], truth_s)
        assert {p["part"] for p in report["parts"]} >= {"example", "summary"}
        assert report["wpm"] and 120 <= report["wpm"] <= 200
        saved = w.runtime.store.session(report["session_id"])
        assert saved["format"] == "drill" and saved["turns"][0]["transcript"]["text"]
        snapshot(w, "drill-report")
        # History reopens it as the same drill report
        w.goto("history")
        with qtbot.waitSignal(w.drill_report_shown, timeout=30_000) as reopened:
            w.open_report(report["session_id"])
        assert reopened.args[0] == report and w.current_page() == "drill"
    finally:
        close_real(qtbot, w)


@pytest.mark.slow
def test_project_rehearsal_end_to_end_with_the_real_models(qtbot, make_speech):
    pitch, follow = make_speech(PITCH_SPEECH, wpm=165), make_speech(FOLLOW_UP_SPEECH, wpm=165)
    w = real_window(qtbot, [pitch, follow])
    page = w.projects
    try:
        # save the project through the page
        w.goto("projects")
        qtbot.waitUntil(lambda: not page._pending, timeout=20_000)  # every list query has come back
        qtbot.keyClicks(page.title, "Delivery delay predictor")
        page.fields["problem"].setPlainText("Dispatchers could not tell which parcels would arrive late.")
        page.fields["data"].setPlainText("Two years of GPS pings from 300 delivery vans, joined with weather reports.")
        page.fields["results"].setPlainText("Recall of late deliveries rose from 41 to 68 percent.")
        with qtbot.waitSignal(page.saved, timeout=20_000):
            click(qtbot, page.save_button)
        qtbot.waitUntil(lambda: page.list.count() == 1, timeout=20_000)

        # rehearse: a 2-minute pitch, no deep dive, the friendly screener (one follow-up)
        click(qtbot, page.pitch2)
        page.deep_dives.setValue(0)
        page.persona.setCurrentIndex(page.persona.findData("friendly"))
        with qtbot.waitSignal(w.session_started, timeout=30_000):
            click(qtbot, page.rehearse_button)
        assert w.current_page() == "interview"
        assert "Rehearsal: Delivery delay predictor" in w.interview.progress_label.text()

        # pitch → follow-up → answer → report
        qtbot.waitUntil(lambda: any(i["note"] == "follow-up" for i in w.interview.thread_items), timeout=180_000)
        with qtbot.waitSignal(w.report_shown, timeout=180_000) as shown:
            pass
        report = shown.args[0]
        assert w.current_page() == "report" and report["format"] == "project" and report["persona"] == "friendly"
        (q,) = report["questions"]
        assert q["id"] == "proj-pitch-two-minutes" and [t["kind"] for t in q["turns"]] == ["answer", "follow_up"]
        follow_up = q["turns"][1]
        assert follow_up["interviewer_text"].endswith("?") and follow_up["transcript"]["text"]

        section = w.report.rehearsal_section
        assert section is not None and w.report.title.text() == "Project rehearsal: Delivery delay predictor"
        main = q["main"]
        assert f"{main['speaking_s']:.0f} s of a 120 s pitch target" in section.timing_text.text()
        elements = {e["name"]: e["found"] for e in main["structure"]["elements"]}
        assert elements["problem"] and elements["data"] and elements["results"]  # said in the pitch
        assert not elements["lessons"]  # never said
        checklist = section.checklist.text()
        for name, found in elements.items():
            row = checklist.split(f"<b>{name.title()}</b>")[1].split("</tr>")[0]
            assert ("found" in row) == found and (("missing" in row) == (not found)), (name, row)
        assert follow_up["interviewer_text"] in section.follow_ups.text()
        snapshot(w, "rehearsal-report")
    finally:
        close_real(qtbot, w)
