"""Render every page of the app to PNG, filled with sample data, to look at.

    python -m interviewer.gui.screenshots OUT_DIR [--dark] [--prefix NAME-]

Uses no models (the pages get a store filled by `sample_data` and scripted interview
events), so it runs in a few seconds on any platform Qt has: offscreen, or a real or
virtual X display. Set QT_SCALE_FACTOR=2 before running for a 200 % screenshot.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path


def dark_palette():
    from PySide6.QtGui import QColor, QPalette

    p = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#2b2d31", QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1c1d20", QPalette.ColorRole.AlternateBase: "#26282c",
        QPalette.ColorRole.Text: "#e6e6e6", QPalette.ColorRole.Button: "#3a3d42",
        QPalette.ColorRole.ButtonText: "#e6e6e6", QPalette.ColorRole.Highlight: "#3d7bd9",
        QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.ToolTipBase: "#2b2d31",
        QPalette.ColorRole.ToolTipText: "#e6e6e6", QPalette.ColorRole.Link: "#7aa7ff",
        QPalette.ColorRole.PlaceholderText: "#8a8d93", QPalette.ColorRole.Mid: "#5a5e66",
        QPalette.ColorRole.Light: "#50545b", QPalette.ColorRole.Midlight: "#44474d",
        QPalette.ColorRole.Dark: "#17181a", QPalette.ColorRole.Shadow: "#000000",
    }
    for role, color in roles.items():
        p.setColor(role, QColor(color))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7c7f85"))
    return p


def wait_for(signal, timeout_ms: int = 20_000) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()


def settle(ms: int = 150) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


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


def shoot(out: Path, prefix: str = "", dark: bool = False, size: tuple[int, int] = (1180, 800)) -> list[Path]:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    if dark:
        app.setStyle("Fusion")
        app.setPalette(dark_palette())
    out.mkdir(parents=True, exist_ok=True)

    from ..audio.playback import SilentPlayer
    from ..bank import load_bank
    from ..config import Settings
    from ..store import Store
    from .main_window import MainWindow, first_run_marker
    from .sample_data import populate

    clock = [datetime.now().astimezone()]
    store = Store.open(clock=lambda: clock[0], durability="off")
    bank = load_bank()
    if not store.sessions(limit=1):
        populate(store, bank, clock_setter=lambda when: clock.__setitem__(0, when))
    first_run_marker().touch()
    from ..app.runtime import OfflineRuntime

    runtime = OfflineRuntime(store)
    window = MainWindow(Settings(), runtime_factory=lambda: runtime, player_factory=SilentPlayer)
    window.resize(*size)
    window.show()
    wait_for(window.runtime_ready)
    settle(400)
    saved = []

    def save(name: str) -> None:
        settle()
        path = out / f"{prefix}{name}.png"
        window.grab().save(str(path))
        saved.append(path)

    save("home")

    window.mic.set_devices([{"index": 3, "name": "USB headset microphone", "default_input": True}], selected=3)
    window.goto("mic")  # a device list is already there, so no enumeration replaces it
    window.mic.set_monitoring(True)  # as if listening (no microphone here)
    window.mic.on_level(0.55)
    window.mic.record_progress.setValue(1000)
    window.mic.result.setText("We heard: “I would compare training and validation error.”\n"
                              "If that is roughly what you said, you are set.")
    settle(300)
    save("mic")
    window.mic.set_monitoring(False)

    window.interview.reset("study")
    window.goto("interview")
    for event in interview_script():
        window.interview.on_event(event)
    window.interview.clock.banked = 47.0
    window._sync_actions()
    settle(300)
    save("interview")
    window.interview.set_running(False)

    sid = store.sessions(limit=1)[0]["id"]
    window.open_report(sid)
    wait_for(window.report_shown)
    save("report-summary")
    window.report.tabs.setCurrentIndex(1)
    save("report-questions")

    window.goto("history")
    wait_for(window.history.progress_loaded)
    save("history")
    window.history.tabs.setCurrentIndex(1)
    save("history-progress")

    window.goto("settings")
    wait_for(window.settings_page.models_loaded, 60_000)
    save("settings")

    shoot_drill(window, save)
    shoot_projects(window, save, store, bank)
    window.close()
    return saved


DRILL_PARTIAL = ("Gradient descent is a way to minimise a loss function by taking small steps downhill. For example, "
                 "imagine you are training a linear regression model. You start with random weights")


def shoot_drill(window, save) -> None:
    """The drill's set-up, its countdown (with time left, then over time) and its report."""
    from ..engine import events as ev
    from .sample_data import drill_sample

    page = window.drill
    window.goto("drill")
    page.concept.setText("gradient descent")
    page.target_buttons[30].setChecked(True)
    page.search.setText("regularization")
    page.own.setChecked(True)
    page._validate()
    save("drill-setup")

    question, analysis, report = drill_sample()
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
    page.show_report(report, analysis, question.prompt)
    window.session_kind = "interview"
    window._sync_actions()
    save("drill-report")


def shoot_projects(window, save, store, bank) -> None:
    """My projects (a project open; then a new one with mistakes), and a rehearsal's report."""
    from .sample_data import populate_rehearsal

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--dark", action="store_true", help="a dark palette (as a system dark theme gives)")
    parser.add_argument("--prefix", default="")
    parser.add_argument("--size", default="1180x800", help="window size in logical pixels, WIDTHxHEIGHT")
    args = parser.parse_args(argv)
    if not os.environ.get("INTERVIEWER_HOME"):
        os.environ["INTERVIEWER_HOME"] = tempfile.mkdtemp(prefix="interviewer-shots-")
    width, height = (int(v) for v in args.size.lower().split("x"))
    for path in shoot(args.out, args.prefix, args.dark, (width, height)):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
