"""A new user's first hour, walked with real clicks on the real app and the real models:
no microphone -> the demo -> its report -> History -> a timed drill -> My projects ->
leaving the demo -> Settings. A screenshot at each step lands in OUT (default
tests/_artifacts/walk/), to look at.

    DISPLAY=:99 QT_QPA_PLATFORM=xcb python tests/walk_first_run.py [OUT] [--rehearse]

Run it on a machine without a microphone (the walk checks that the app found none) and
from a fresh home folder (it makes one). Every step waits on a signal; a step that does
not happen in time fails the walk with its name.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


class Walk:
    def __init__(self, out: Path) -> None:
        from PySide6.QtWidgets import QApplication

        self.out = out
        out.mkdir(parents=True, exist_ok=True)
        for old in out.glob("*.png"):
            old.unlink()
        self.app = QApplication.instance() or QApplication(sys.argv[:1])
        self.app.setApplicationDisplayName("ML Mock Interviewer")
        self.n = 0
        self.log: list[str] = []

    # -- tools ---------------------------------------------------------------------------------
    def wait(self, signal, what: str, timeout_s: float = 60, do=None) -> list:
        """Wait for `signal`; `do` (an action that may emit it at once) runs after listening starts."""
        from PySide6.QtCore import QEventLoop, QTimer

        got: list = []
        loop = QEventLoop()

        def on(*args):
            got.append(args)
            loop.quit()

        signal.connect(on)
        if do is not None:
            do()
        if not got:
            QTimer.singleShot(int(timeout_s * 1000), loop.quit)
            loop.exec()
        signal.disconnect(on)
        if not got:
            raise SystemExit(f"walk failed: {what} did not happen within {timeout_s:.0f} s")
        return list(got[0])

    def until(self, check, what: str, timeout_s: float = 60) -> None:
        deadline = time.monotonic() + timeout_s
        while not check():
            if time.monotonic() > deadline:
                raise SystemExit(f"walk failed: {what} did not happen within {timeout_s:.0f} s")
            self.settle(100)

    def settle(self, ms: int = 200) -> None:
        from PySide6.QtCore import QEventLoop, QTimer

        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def click(self, widget) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        if not widget.isVisible() or not widget.isEnabled():
            raise SystemExit(f"walk failed: “{widget.text()}” cannot be clicked (hidden or disabled)")
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton)

    def nav(self, title: str) -> None:
        """Click a page in the sidebar, as a person does."""
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        nav = self.window.nav
        item = next(nav.item(i) for i in range(nav.count()) if nav.item(i).text() == title)
        QTest.mouseClick(nav.viewport(), Qt.MouseButton.LeftButton, pos=nav.visualItemRect(item).center())

    def shot(self, name: str, widget=None) -> None:
        self.settle(250)
        self.n += 1
        path = self.out / f"{self.n:02d}-{name}.png"
        (widget or self.window).grab().save(str(path))
        self.log.append(f"{path.name}: {self.window.status_label.text()}")
        print(path, flush=True)

    # -- the walk ------------------------------------------------------------------------------
    def run(self, rehearse: bool) -> None:
        from interviewer.config import Settings
        from interviewer.gui import theme
        from interviewer.gui.main_window import MainWindow
        from interviewer.gui.mic_page import NONE

        theme.apply(self.app, dark=False)
        self.window = w = MainWindow(Settings())
        w.resize(1180, 800)
        w.show()
        self.wait(w.runtime_ready, "loading the models", 180)
        self.until(lambda: w.mic.scanned, "looking for a microphone", 30)
        assert w.current_page() == "mic", "a first run starts at the microphone check"
        assert w.mic.view == NONE, "this machine has no microphone: the page says so"
        self.shot("first-run-no-microphone")

        # the demo, from the no-microphone page
        self.click(w.mic.none_demo)
        self.wait(w.session_started, "the demo starting", 120)
        self.until(lambda: w.interview.state == "listening" and w.interview.live_text, "the first words heard", 120)
        self.shot("demo-listening")
        self.until(lambda: w.interview.line.isVisible(), "the follow-up", 180)
        self.shot("demo-follow-up")
        report = self.wait(w.report_shown, "the demo's report", 240)[0]
        assert report.get("demo"), "the demo's report says it was the demo"
        self.shot("report")
        from interviewer.gui.ui import Disclosure

        toggles = w.report.summary.findChildren(Disclosure)
        self.click(toggles[0].button)
        self.shot("report-evidence")
        self.click_tab(w.report.tabs, 1)
        view = w.report.questions
        if w.report.report["questions"][0]["turns"][0].get("audio_path"):
            w.report.transcript.setFocus()
            self.wait_click_word(view)
            self.settle(1500)
            self.shot("report-replay")
            from PySide6.QtCore import Qt
            from PySide6.QtTest import QTest

            self.wait(view.replay_stopped, "Esc stopping the replay", 10,
                      do=lambda: QTest.keyClick(w.report.transcript, Qt.Key.Key_Escape))
        else:
            self.shot("report-questions")

        # History has the demo, labelled
        self.nav("History")
        self.wait(w.history.loaded, "History listing the sessions", 30)
        first = w.history.tree.topLevelItem(0)
        assert first is not None and first.text(1).startswith("Demo: "), "the demo is in History, labelled"
        self.shot("history")

        # a timed drill (the demo's)
        self.nav("Timed drill")
        self.settle(300)
        self.shot("drill-setup")
        self.click(w.drill.start_button)
        self.wait(w.session_started, "the demo drill starting", 120)
        self.until(lambda: w.drill.state == "listening" and w.drill.live.text(), "the drill's first words", 120)
        self.shot("drill-countdown")
        self.wait(w.drill_report_shown, "the drill's report", 240)
        self.shot("drill-report")

        # My projects: the demo's own project (and its rehearsal, when asked for)
        self.nav("My projects")
        self.until(lambda: any(p["title"] == "Delivery delay predictor" for p in w.projects.projects), "the demo project")
        self.shot("projects")
        if rehearse:
            self.click(w.projects.rehearse_button)
            self.wait(w.session_started, "the demo rehearsal starting", 120)
            self.wait(w.report_shown, "the rehearsal's report", 900)
            self.shot("rehearsal-report")

        # leaving the demo: back to the microphone check, which still finds none
        self.nav("Home")
        self.settle(300)
        self.shot("home-in-the-demo")
        self.click(w.home.leave_demo_button)
        self.until(lambda: not w.demo, "leaving the demo", 30)
        self.shot("left-the-demo")

        # Settings: the models found, the voices, a voice test that shows it speaks
        self.nav("Settings")
        self.wait(w.settings_page.models_loaded, "the models list", 120)
        self.until(lambda: w.settings_page.voice.count() > 2, "the voices", 30)
        self.shot("settings")
        self.click(w.settings_page.test_voice)
        self.until(lambda: w.settings_page.voice_section.speaking, "the voice test speaking", 10)
        self.shot("settings-voice-test")
        self.until(lambda: not w.settings_page.voice_section.speaking, "the voice test ending", 60)
        (self.out / "walk.txt").write_text("\n".join(self.log) + "\n", encoding="utf-8")
        w.close()
        self.until(lambda: not w.isVisible(), "the window closing", 60)
        if w.runtime is not None:
            w.runtime.close()

    def click_tab(self, tabs, index: int) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        bar = tabs.tabBar()
        QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
        self.settle(200)

    def wait_click_word(self, view) -> None:
        """Click the seventh word of the transcript, where it is drawn."""
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QTextCursor
        from PySide6.QtTest import QTest

        t = view.transcript
        pos, length = t.spans[min(6, len(t.spans) - 1)]
        cursor = QTextCursor(t.document())
        cursor.setPosition(pos + max(0, length // 2))
        point = t.cursorRect(cursor).center()
        QTest.mouseClick(t.viewport(), Qt.MouseButton.LeftButton, pos=point)
        self.wait(view.replay_started, "the replay starting", 15)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, nargs="?", default=REPO / "tests" / "_artifacts" / "walk")
    parser.add_argument("--rehearse", action="store_true", help="also rehearse the demo project (minutes longer)")
    args = parser.parse_args(argv)
    os.environ.setdefault("INTERVIEWER_HOME", tempfile.mkdtemp(prefix="interviewer-walk-"))
    walk = Walk(args.out)
    walk.run(args.rehearse)
    print("walk complete", flush=True)
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # The walk never ran app.exec(): leave without the interpreter's final garbage collection
    # of Qt objects, whose order PySide does not guarantee (it can crash after the walk is done).
    os._exit(code)
