"""The first hour in the desktop app, without the models: a first run with no microphone,
the demo (and leaving it), answering from recordings, the demo in History, the report
that leads with what to work on, exports with every section, Browse for a model, the
voice list, My questions, and the layout rules (page order, plurals, no overlap, small
files with no cycles between pages).

Sessions are scripted (support/gui_harness.py); everything waits on signals.
"""

from __future__ import annotations

import ast
import html
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QTableWidgetItem

from interviewer.audio import SAMPLE_RATE
from interviewer.audio.io import write_wav
from support.gui_harness import FAKE_MIC, bank, make_window, store  # noqa: F401  (fixtures)

pytestmark = pytest.mark.gui

GUI = Path(__file__).resolve().parent.parent / "interviewer" / "gui"
ARTIFACTS = Path(__file__).resolve().parent / "_artifacts"
COMMAND = re.compile(r"`|--[a-z]|\binterviewer (interview|demo|models|history|drill)\b|pip install|sudo ")


def visible_texts(widget) -> list[str]:
    texts = []
    for w in widget.findChildren(QLabel) + widget.findChildren(QAbstractButton):
        if w.isVisibleTo(widget) and w.text():
            texts.append(w.text())
    return texts


# -- no microphone ------------------------------------------------------------------------------


def test_a_first_run_with_no_microphone_says_so_and_offers_what_works(make_window, qtbot):
    from interviewer.gui.mic_page import NONE

    window = make_window(first_run_done=False, scan_devices=lambda reinit: [])
    assert window.current_page() == "mic"
    mic = window.mic
    qtbot.waitUntil(lambda: mic.view == NONE)
    assert "No microphone found" in mic.none_title.text() and "plugged in" in mic.none_text.text()
    # nothing untested is offered as the default; the demo is
    assert mic.none_demo.isDefault() and not mic.continue_button.isDefault()
    assert mic.none_recordings.isVisible() and mic.none_rescan.isVisible()
    for text in visible_texts(mic):
        assert not COMMAND.search(text), text  # never a terminal command

    # Home says it too, and Start waits for a microphone
    qtbot.mouseClick(mic.none_continue, Qt.MouseButton.LeftButton)
    assert window.current_page() == "home"
    assert window.home.mic_card.isVisible() and not window.home.start_button.isEnabled()
    assert window.home.recordings_button.isEnabled()
    # and so does the timed drill
    window.goto("drill")
    assert window.drill.mic_notice.isVisible() and not window.drill.start_button.isEnabled()


def test_a_microphone_plugged_in_later_is_offered(make_window, qtbot):
    from interviewer.gui.mic_page import FOUND, NONE

    devices: list[dict] = []
    looks = []

    def scan(reinit):
        looks.append(reinit)
        return list(devices)

    window = make_window(first_run_done=False, scan_devices=scan)
    qtbot.waitUntil(lambda: window.mic.view == NONE)
    assert window.mic_ctl._timer.isActive()  # it keeps looking by itself
    devices.extend(FAKE_MIC)  # the headset is plugged in
    qtbot.mouseClick(window.mic.none_rescan, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.mic.view == FOUND)
    assert looks[-1] is True  # looking again restarts the audio system (new devices appear only then)
    assert "Fake USB microphone" in window.mic.device.itemText(1)
    assert window.mic.record_button.isDefault()  # the next step is a test, not "continue"
    assert not window.mic_ctl._timer.isActive()
    assert window.home.found_banner.isVisibleTo(window.home) and "Fake USB microphone" in window.home.found_text.text()
    assert window.home.start_button.isEnabled() and not window.home.mic_card.isVisibleTo(window.home)


def test_starting_without_a_microphone_offers_the_demo_and_recordings(make_window, qtbot):
    from interviewer.audio.sources import MicSource
    from support.fake_sounddevice import FakeSoundDevice

    window = make_window(source_factory=lambda device: MicSource(device, sounddevice=FakeSoundDevice(inputs=0)))
    with qtbot.waitSignal(window.session_finished, timeout=20_000):
        qtbot.mouseClick(window.home.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.last_dialog is not None and window.last_dialog.isVisible())
    box = window.last_dialog
    labels = [b.text().replace("&", "") for b in box.buttons()]
    assert "Try the demo" in labels and "Answer from recordings…" in labels
    assert not COMMAND.search(box.text() + box.informativeText())
    assert window.home.start_button.isEnabled()
    box.close()


# -- the demo ---------------------------------------------------------------------------------------


def test_the_demo_shows_its_own_options_is_labelled_in_history_and_can_be_left(make_window, qtbot, store):
    from interviewer.app.demo_answers import DEMO_OPTIONS

    window = make_window()
    home = window.home
    home.n_questions.setValue(5)
    home.real.setChecked(True)
    with qtbot.waitSignal(window.session_started, timeout=30_000):  # espeak-ng makes the second answer
        window.switch_to_demo()
    assert window.windowTitle() == "Demo" and window.act_demo.text().replace("&", "") == "Leave the demo"
    # what Home shows is what the demo runs
    assert home.n_questions.value() == 1 and home.study.isChecked() and not home.form_frame.isEnabled()
    assert home.format.currentData() == DEMO_OPTIONS["format"]
    assert "choose your options" not in home.status.text()
    qtbot.waitUntil(lambda: bool(window.test_runtime.sessions))  # built on the session's thread
    session = window.test_runtime.sessions[-1]
    assert session.config.n_questions == 1 and session.config.max_follow_ups == DEMO_OPTIONS["max_follow_ups"]
    assert type(session.source).__name__ == "FileSource"  # recordings, not the microphone
    qtbot.waitUntil(lambda: window.interview.state == "listening")
    window.act_done.trigger()
    qtbot.waitUntil(lambda: bool(session.records))

    # leaving the demo ends it (keeping what was said) and gives the user's options back
    with qtbot.waitSignal(window.demo_changed, timeout=20_000) as left:
        window.act_demo.trigger()  # Interview > Leave the demo (Home's banner has the same button)
    assert left.args == [False]
    assert not window.demo and window.windowTitle() == "ML Mock Interviewer"
    assert home.n_questions.value() == 5 and home.real.isChecked() and home.form_frame.isEnabled()
    assert not home.demo_banner.isVisibleTo(home)

    # the demo's session is in History, labelled as a demo, and is not the user's practice
    qtbot.waitUntil(lambda: "4 sessions" in home.streak.text())  # the sample's four; not the demo
    saved = store.session(session.session_id)
    assert saved["settings"].get("demo") is True
    with qtbot.waitSignal(window.history.loaded, timeout=20_000):
        window.goto("history")
    rows = {window.history.tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole):
            window.history.tree.topLevelItem(i).text(1) for i in range(window.history.tree.topLevelItemCount())}
    assert rows[session.session_id].startswith("Demo: ")
    assert sum(1 for text in rows.values() if text.startswith("Demo: ")) == 1
    with qtbot.waitSignal(window.report_shown) as shown:
        window.open_report(session.session_id)
    assert shown.args[0]["demo"] is True and "demo's recordings" in window.report.subtitle.text()


def test_the_demo_rehearses_only_its_own_project(make_window, qtbot, store):
    from interviewer.app.demo_drills import DEMO_PROJECT

    mine = store.save_project({"title": "Support ticket router", "problem": "Tickets waited a day."})
    window = make_window()
    window.demo = True  # as switch_to_demo does, without starting the demo interview
    window._set_demo_pages(True)
    window._add_demo_project()
    page = window.projects
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        window.goto("projects")
    qtbot.waitUntil(lambda: len(page.projects) == 2)
    page.select(mine)
    qtbot.waitUntil(lambda: page.current_id == mine)
    assert not page.rehearse_button.isEnabled() and DEMO_PROJECT["title"] in page.rehearse_hint.text()
    demo_id = next(p["id"] for p in page.projects if p["title"] == DEMO_PROJECT["title"])
    page.select(demo_id)
    qtbot.waitUntil(lambda: page.rehearse_button.isEnabled())


# -- recorded answers -------------------------------------------------------------------------------


def test_an_interview_answered_from_recordings(make_window, qtbot, tmp_path):
    tone = (0.2 * np.sin(np.linspace(0, 2 * np.pi * 200 * 2, SAMPLE_RATE * 2))).astype(np.float32)
    wavs = [str(write_wav(tmp_path / f"answer{n}.wav", tone)) for n in range(2)]
    window = make_window(scan_devices=lambda reinit: [])  # no microphone at all
    with qtbot.waitSignal(window.session_started, timeout=20_000):
        window.start_recorded(wavs)
    qtbot.waitUntil(lambda: bool(window.test_runtime.sessions))
    session = window.test_runtime.sessions[-1]
    assert session.config.n_questions == 2 and session.config.max_follow_ups == 0  # one recording per question
    assert type(session.source).__name__ == "FileSource"
    assert window.current_page() == "interview" and "recordings" in window.interview.progress_label.text()
    window.command("end")
    qtbot.waitUntil(lambda: not window.controller.running, timeout=20_000)

    # a file that is not a recording: the dialog names it and says what to choose
    bad = tmp_path / "notes.wav"
    bad.write_text("not audio")
    window.start_recorded([str(bad)])
    qtbot.waitUntil(lambda: window.last_dialog is not None and window.last_dialog.isVisible())
    box = window.last_dialog
    assert "notes.wav" in box.text() and "WAV" in box.informativeText()
    assert not COMMAND.search(box.text() + box.informativeText())
    box.close()


# -- the report -------------------------------------------------------------------------------------


def test_the_report_leads_with_the_picture_and_three_ranked_things(make_window, qtbot, store, bank, tmp_path):
    from interviewer.app.coaching import priorities
    from interviewer.tools.sample_data import populate_with_audio
    from interviewer.gui.ui import Disclosure

    sid = populate_with_audio(store, bank, tmp_path)
    window = make_window()
    with qtbot.waitSignal(window.report_shown) as shown:
        window.open_report(sid)
    report = shown.args[0]
    summary = window.report.summary
    ranked = priorities(report)
    assert 1 <= len(summary.priorities) <= 3 and summary.priorities == ranked
    costs = [p["cost"] for p in ranked]
    assert costs == sorted(costs, reverse=True)  # the costliest first
    assert "most room to grow" in summary.headline.text() or "across the board" in summary.headline.text()
    toggles = summary.findChildren(Disclosure)
    assert toggles and not any(t.is_open for t in toggles)  # evidence one click away, not inline
    for text in visible_texts(summary):
        assert not re.search(r"\d:\d\d\.\d", text), text  # no times to a tenth of a second
        assert "(s)" not in text
    toggles[0].button.click()
    assert toggles[0].is_open
    links = toggles[0].detail.text()
    assert "goto:" in links and re.search(r"Q\d", links)
    href = re.search(r"href='(goto:[^']+)'", links).group(1)
    toggles[0].detail.linkActivated.emit(href)
    assert window.report.tabs.currentIndex() == 1 and window.report.transcript.hasFocus()


def test_a_point_made_in_a_follow_up_answer_is_credited_the_same_everywhere(make_window, qtbot, store, bank,
                                                                              tmp_path):
    from interviewer.tools.sample_data import populate_with_audio

    sid = populate_with_audio(store, bank, tmp_path)  # Q1's follow-up answer makes a point Q1's answer missed
    window = make_window()
    with qtbot.waitSignal(window.report_shown) as shown:
        window.open_report(sid)
    report = shown.args[0]
    q = report["questions"][0]
    later = [k for k, c in q["credit"].items() if c["turn"] > 0]
    assert later, "the sample's follow-up answer credits nothing"
    labels = [q["labels"][k] for k in later]
    headline = window.report.summary.headline.text()
    assert f"and {len(later)} more after a follow-up" in headline
    card = [t.text() for t in window.report.summary.findChildren(QLabel) if t.text().startswith("Key points:")]
    assert card and card[0].endswith(f"covered, {len(later)} more after a follow-up")
    window.report.tabs.setCurrentIndex(1)
    questions = window.report.questions
    questions.question_list.setCurrentRow(0)
    shown_points = questions.key_points.text()
    for label in labels:  # marked as made after the follow-up, never as missed, and no advice to cover it
        row = html.escape(label)
        assert row in shown_points and f"✗</span> {row}" not in shown_points
        assert f"{row} <span" in shown_points and "(after the follow-up)" in shown_points
        assert label not in questions.tips.text()


def test_exports_hold_every_section_and_start_each_question_on_a_page(make_window, qtbot, store, bank, tmp_path):
    from interviewer.tools.sample_data import drill_sample, populate_rehearsal

    sid = populate_rehearsal(store, bank)
    window = make_window()
    with qtbot.waitSignal(window.report_shown):
        window.open_report(sid)
    page = window.report
    with qtbot.waitSignal(page.export_finished, timeout=30_000) as done:
        page.export(tmp_path / "rehearsal.html", "html")
    html = Path(done.args[0]).read_text(encoding="utf-8")
    for section in ("What to work on next", "Pitch timing", "Pitch structure", "Follow-ups", "Scores", "Key points",
                    "Q1.", "Q2."):
        assert section in html, section
    assert html.count("page-break-before:always") == 2  # each question starts a page
    shown = window.report.rehearsal_section  # the export says what the screen says
    given = "you gave it when asked (follow-up 1)"
    assert given in shown.checklist.text() and given in html
    assert "about impact" in shown.follow_ups.text() and "about impact" in html
    assert not re.search(r"\d:\d\d\.\d", html)
    out = ARTIFACTS / "pdf"
    out.mkdir(parents=True, exist_ok=True)
    with qtbot.waitSignal(page.export_finished, timeout=60_000) as done:
        page.export(out / "rehearsal-report.pdf", "pdf")
    pdf = Path(done.args[0])
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "What to work on next" in first and "Q1." not in first  # no heading stranded at a page's foot
        pages = [subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True,
                                text=True).stdout for n in range(1, 8)]
        starts = [p.lstrip()[:3] for p in pages if p.strip()]
        assert sum(1 for s in starts if s.startswith("Q")) == 2, starts
    if shutil.which("pdftoppm"):  # pictures of the pages, to look at
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(out / "rehearsal-page")], check=True)

    # the drill's report exports too, with its own sections
    question, analysis, report = drill_sample()
    window.show_drill_report(report, analysis, question.prompt)
    with qtbot.waitSignal(window.drill.export_finished, timeout=30_000) as done:
        window.drill.export(tmp_path / "drill.html", "html")
    drill_html = Path(done.args[0]).read_text(encoding="utf-8")
    for section in ("Timed drill", "Over time", "Where the time went", "What to cut", "What to add", "Pace",
                    "data:image/png;base64,"):
        assert section in drill_html, section
    with qtbot.waitSignal(window.drill.export_finished, timeout=60_000) as done:
        window.drill.export(out / "drill-report.pdf", "pdf")
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", done.args[0], str(out / "drill-page")], check=True)


# -- settings ---------------------------------------------------------------------------------------


def test_browse_for_a_model_checks_it_at_once(make_window, qtbot, tmp_path):
    from interviewer.models.registry import embedded_llm_path
    from interviewer.paths import user_models_dir

    window = make_window()
    window.goto("settings")
    section = window.settings_page.models_section
    bad = tmp_path / "notes.gguf"
    bad.write_text("this is not a model\n" * 20)
    with qtbot.waitSignal(section.model_rejected, timeout=20_000) as rejected:
        section.add_model_from(str(bad))
    problem, fix = rejected.args
    assert "notes.gguf" in problem and "not a GGUF model" in problem and "b'" not in problem
    assert ".gguf" in fix and not COMMAND.search(problem + fix)
    assert "Not added" in section.verdict.text()
    box = window.last_dialog
    assert box is not None and box.isVisible() and "cannot be used" in box.windowTitle()
    box.close()
    empty = tmp_path / "whisper-small"
    empty.mkdir()
    with qtbot.waitSignal(section.model_rejected, timeout=20_000) as rejected:
        section.add_model_from(str(empty))
    assert "model.bin" in rejected.args[0] and "faster-whisper" in rejected.args[1]
    window.last_dialog.close()

    # a real one is linked into the models folder and listed
    good = embedded_llm_path()
    with qtbot.waitSignal(section.model_added, timeout=60_000) as added:
        section.add_model_from(str(good))
    info = added.args[0]
    dest = user_models_dir() / good.name
    assert info["kind"] == "llm" and info["how"] == "linked" and dest.is_symlink()
    assert "Ready to use" in section.verdict.text()
    qtbot.waitUntil(lambda: any(m["path"] == str(dest) for m in window.settings_page.models), timeout=60_000)


def test_voices_english_first_sorted_test_voice_shows_it_speaks_and_one_save(make_window, qtbot):
    from interviewer.gui.screenshot_scenes import SAMPLE_VOICES
    from interviewer.gui.settings_voice import MORE

    window = make_window()
    page = window.settings_page
    section = page.voice_section
    section.set_voices(list(reversed(SAMPLE_VOICES)), None)
    names = [section.voice.itemText(i) for i in range(section.voice.count())]
    english = [n for n in names if n.startswith("English")]
    assert english == sorted(english) and names[1:1 + len(english)] == english
    assert "Quenya" not in names and section.voice.itemData(section.voice.count() - 1) == MORE
    section._activated(section.voice.count() - 1)  # "More voices…"
    section.voice.hidePopup()  # it opens the longer list
    names = [section.voice.itemText(i) for i in range(section.voice.count())]
    assert "Quenya" in names and names.index("Greenlandic") < names.index("Quenya")
    assert names.index("Quenya") > max(names.index(n) for n in english)

    section.set_speaking(True)
    assert not section.test_button.isEnabled() and "Speaking" in section.test_button.text()
    assert section.status.isVisibleTo(section) and "Speaking with" in section.status.text()
    section.set_speaking(False, "Done.")
    assert section.test_button.isEnabled()

    # Save lives on the Settings page only (and Ctrl+S there)
    report_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Report")
    assert not any("Save" in a.text() for a in report_menu.actions())
    window.goto("settings")
    window.activateWindow()
    page.rate.setFocus()
    page.rate.setValue(190)
    with qtbot.waitSignal(page.saved):
        qtbot.keyClick(page.rate, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert page.message.text().startswith("Saved")


# -- My questions -----------------------------------------------------------------------------------


def test_my_questions_drafts_follow_ups_that_can_be_edited_then_saves(make_window, qtbot):
    from interviewer.content.bank import load_file
    from interviewer.tools.sample_data import sample_custom_question

    typed, drafted = sample_custom_question()
    calls = []

    def drafter(question, llm, progress, cancel):  # the core's draft(), quickly
        calls.append(question)
        progress("Naming key point 1 of 3…")
        return question.model_copy(update={
            "key_points": [kp.model_copy(update={"topic": d.topic}) for kp, d in zip(question.key_points,
                                                                                  drafted.key_points)],
            "follow_ups": [f.model_copy(update={"targets": question.key_points[n].id})
                           for n, f in enumerate(drafted.follow_ups)],
            "probes": [p.model_copy(update={"after": None}) for p in drafted.probes]})

    window = make_window(drafter=drafter)
    window.goto("questions")
    page = window.questions
    page.prompt.setPlainText(typed["prompt"])
    page.category.setCurrentIndex(page.category.findData("system_design"))
    page.set_points([{"label": kp["label"], "cues": ""} for kp in typed["key_points"]])
    # a key point without its words: the problem names the field, nothing is drafted
    with qtbot.waitSignal(page.save_failed) as failed:
        qtbot.mouseClick(page.draft_button, Qt.MouseButton.LeftButton)
    assert "Key point 1" in page.message.text() and "words that show it" in page.message.text()
    assert "key_points.0.cues" in failed.args[0] and not calls
    page.set_points([{"label": kp["label"], "cues": ", ".join(kp["cues"])} for kp in typed["key_points"]])
    # an example sentence that is not a sentence names its cell; a real one is kept through drafting
    page.key_points.setItem(0, 3, QTableWidgetItem("Drift."))
    with qtbot.waitSignal(page.save_failed) as failed:
        qtbot.mouseClick(page.draft_button, Qt.MouseButton.LeftButton)
    assert "Key point 1, the example sentence" in page.message.text() and "key_points.0.says" in failed.args[0]
    example = "I would compare this week's feature distributions with the training data. A big shift raises an alert."
    page.key_points.setItem(0, 3, QTableWidgetItem(example))
    with qtbot.waitSignal(page.drafted, timeout=20_000):
        qtbot.mouseClick(page.draft_button, Qt.MouseButton.LeftButton)
    assert page.key_points.item(0, 2).text() == drafted.key_points[0].topic  # topics filled in
    assert page.follow_ups.rowCount() == 3 and page.probes.rowCount() == 3
    # the point the draft could not name has the format's general line: marked, and said so
    general = page.follow_ups.item(2, 2)
    assert general.font().italic() and "could not name this point" in general.toolTip()
    assert not page.follow_ups.item(0, 2).font().italic() and "1 line is general" in page.status.text()
    general.setText("What would make you retrain, and how would you roll the new model out?")
    assert not general.font().italic() and not general.toolTip()  # the user's own line now
    page.follow_ups.item(1, 0).setCheckState(Qt.CheckState.Unchecked)  # leave one out
    page.probes.item(0, 2).setText("How would you pick the alarm threshold?")  # edit one
    with qtbot.waitSignal(page.saved, timeout=20_000) as saved:
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    (question,) = load_file(Path(saved.args[0]))
    assert question.prompt == typed["prompt"] and len(question.follow_ups) == 2
    assert question.probes[0].text == "How would you pick the alarm threshold?"
    assert [kp.topic for kp in question.key_points] == [kp.topic for kp in drafted.key_points]
    assert question.key_points[0].says == example.replace(". A", ".\nA").split("\n")
    assert not question.key_points[1].says


# -- keyboard, words and layout ---------------------------------------------------------------------


def test_no_placeholder_plurals_anywhere(make_window, qtbot, store, bank, tmp_path):
    from interviewer.tools.sample_data import populate_rehearsal

    window = make_window()
    sid = populate_rehearsal(store, bank)
    qtbot.waitUntil(lambda: "sessions" in window.home.streak.text())
    with qtbot.waitSignal(window.report_shown):
        window.open_report(sid)
    with qtbot.waitSignal(window.history.progress_loaded, timeout=20_000):
        window.goto("history")
    for key, page in window.pages.items():
        window.goto(key)
        for text in visible_texts(page):
            assert "(s)" not in text, (key, text)


def test_the_focus_ring_is_visible(make_window):
    from PySide6.QtWidgets import QApplication

    sheet = QApplication.instance().styleSheet()
    assert re.search(r"QPushButton:focus \{ border: 2px solid", sheet)
    assert re.search(r"QCheckBox:focus, QRadioButton:focus \{ border: 2px solid", sheet)
    assert "QListWidget#nav:focus" in sheet and "QTextBrowser:focus" in sheet


def test_no_overlap_at_the_minimum_size_on_any_page(make_window, qtbot, store, bank, tmp_path):
    from interviewer.gui.layout_check import overlaps
    from interviewer.tools.sample_data import populate_with_audio

    window = make_window()
    window.resize(window.minimumSize())
    sid = populate_with_audio(store, bank, tmp_path)
    with qtbot.waitSignal(window.report_shown):
        window.open_report(sid)
    for key in window.pages:
        window.goto(key)
        qtbot.wait(50)  # layouts settle on the next turn of the event loop
        assert not overlaps(window), key


def test_the_overlap_check_finds_overlapping_rows(qtbot):
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    from interviewer.gui.layout_check import overlaps

    w = QWidget()
    lay = QVBoxLayout(w)
    a, b = QLabel("first row"), QLabel("second row")
    lay.addWidget(a)
    lay.addWidget(b)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    assert not overlaps(w)
    b.setGeometry(a.geometry().translated(0, a.height() // 2))  # as squeezed form rows are drawn
    assert overlaps(w)


def test_gui_files_are_small_and_pages_do_not_import_each_other():
    pages = {p.stem for p in GUI.glob("*_page.py")}
    for path in GUI.glob("*.py"):
        lines = path.read_text(encoding="utf-8").count("\n")
        assert lines <= 420, f"{path.name} has {lines} lines"
        if path.stem not in pages:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module in pages:
                raise AssertionError(f"{path.name} imports the page {node.module}")


def test_a_problem_mid_session_is_titled_for_what_happened(make_window, qtbot):
    from interviewer.engine.events import ErrorRaised

    window = make_window()
    window.controller.kind = "drill"
    window.controller._on_event(ErrorRaised(message="The microphone was unplugged.",
                                            fix="Plug it back in and press Resume."))
    box = window.last_dialog
    assert box is not None and box.windowTitle() == "Microphone problem"
    assert "Interview problem" not in box.windowTitle()
    box.close()
    window.controller._on_event(ErrorRaised(message="The answer could not be saved: the disk is full.",
                                            fix="Free some space; the session goes on."))
    assert window.last_dialog.windowTitle() == "The drill needs your attention"
    window.last_dialog.close()


def test_words_for_people_plurals_times_and_no_commands():
    from interviewer.gui.wording import humane_times, plural, tidy, without_commands

    assert [plural(n, "question") for n in (0, 1, 2)] == ["0 questions", "1 question", "2 questions"]
    assert plural(2, "was", number=False) == "were" and plural(3, "day") == "3 days"
    assert humane_times("not found in 0:00.2-0:20.7") == "not found in the answer"
    assert humane_times("'um' at 0:07.6") == "'um' at 0:08"
    assert humane_times("fastest stretch 0:10.0-0:40.0 at 180 wpm") == "fastest stretch at 0:10, 180 wpm"
    assert tidy("explained 2 technical term(s)") == "explained 2 technical terms"
    core = ("Plug in or enable a microphone, or answer from recorded WAV files: "
            "`interviewer interview --answers ANSWER.wav ...`, or try the app in demo mode: `interviewer --demo`.")
    assert without_commands(core) == "Plug in or enable a microphone."
    assert without_commands("Reinstall with `.venv/bin/pip install x`.", "Open Settings.") == "Open Settings."


def test_recognition_quality_shows_its_cost_when_the_speech_code_offers_it(qtbot, monkeypatch):
    """The setting appears only with a version whose settings have stt_quality; here both
    the setting and the speech code's cost function are stood in for."""
    import sys
    import types
    from typing import Literal

    from interviewer.config import Settings
    from interviewer.gui.settings_page import SettingsPage

    plain = SettingsPage(Settings())
    qtbot.addWidget(plain)
    if "stt_quality" not in Settings.model_fields:
        assert plain.quality is None  # nothing to offer yet

    class WithQuality(Settings):
        stt_quality: Literal["standard", "accurate"] = "accurate"

    fake = types.ModuleType("interviewer.speech.final_pass")
    fake.cost_seconds_per_minute = lambda q: {"standard": 0.0, "accurate": 4.2}[q]
    monkeypatch.setitem(sys.modules, "interviewer.speech.final_pass", fake)
    import interviewer.speech

    monkeypatch.setattr(interviewer.speech, "final_pass", fake, raising=False)
    page = SettingsPage(WithQuality())
    qtbot.addWidget(page)
    assert page.quality is not None and page.quality.currentData() == "accurate"
    assert "4.2 s of computing per minute of speech" in page.quality.itemText(1)
    page.quality.setCurrentIndex(0)
    assert page.values()["stt_quality"] == "standard"
