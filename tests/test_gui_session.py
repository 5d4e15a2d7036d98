"""A whole interview through the desktop app with the real models:
start → answer → follow-up → answer → report → history.

Only the hardware is faked: the microphone is a FileSource replaying the demo's WAV
answers in real time (the app's own --demo path) and the speaker a SilentPlayer that
takes the clip's real duration. Everything is awaited on signals; nothing sleeps.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt

from interviewer.audio.playback import SilentPlayer
from interviewer.config import Settings

pytestmark = [pytest.mark.slow, pytest.mark.gui]


class Collector(QObject):
    """Receives the session's events on the GUI thread, after the pages have (a lambda
    would be called on the emitting engine thread, ahead of the pages)."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list = []

    def on_event(self, event) -> None:
        self.events.append(event)


def test_demo_interview_from_start_to_history(qtbot):
    from interviewer.gui.main_window import MainWindow

    window = MainWindow(Settings(), demo=True, player_factory=lambda: SilentPlayer(speed=2.0))
    qtbot.addWidget(window)
    try:
        collector = Collector()
        events = collector.events
        with qtbot.waitSignal(window.runtime_ready, timeout=120_000):
            window.show()
        assert window.current_page() == "home" and window.home.start_button.isEnabled()

        # start
        with qtbot.waitSignal(window.session_started, timeout=60_000):
            qtbot.mouseClick(window.home.start_button, Qt.MouseButton.LeftButton)
        window.session_thread.worker.event.connect(collector.on_event)
        assert window.current_page() == "interview"

        # answer → follow-up
        def said(kind):
            return [e for e in events if e.name == "interviewer" and e.kind == kind]

        qtbot.waitUntil(lambda: bool(said("follow_up")), timeout=120_000)
        first = [e for e in events if e.name == "final"][0]
        assert "overfit" in first.text.lower() or "variance" in first.text.lower()
        assert any(i["note"] == "follow-up" for i in window.interview.thread_items), window.interview.thread_items
        assert [e.name for e in events].count("partial") >= 1, "the live transcript streams while speaking"

        # answer → report
        with qtbot.waitSignal(window.report_shown, timeout=180_000) as shown:
            pass
        report = shown.args[0]
        assert window.current_page() == "report"
        (q,) = report["questions"]
        kinds = [t["kind"] for t in q["turns"]]
        assert kinds == ["answer", "follow_up"], kinds
        answer, follow = q["turns"]
        assert answer["transcript"]["words"] and follow["transcript"]["text"]
        assert answer["analysis"]["scores"]["overall"] is not None
        assert follow["interviewer_text"].endswith("?") and follow["assessment"]["target"] == follow["targets"]
        assert Path(answer["audio_path"]).is_file(), "the answer's recording is kept for replay"
        assert report["scores"]["overall"] is not None
        assert 'href="w:0"' in window.report.transcript.toHtml()  # every word can be played from

        # history
        with qtbot.waitSignal(window.history.loaded, timeout=30_000):
            window.goto("history")
        assert window.history.tree.topLevelItemCount() == 1
        with qtbot.waitSignal(window.report_shown, timeout=30_000) as reopened:
            window.history.tree.itemActivated.emit(window.history.tree.topLevelItem(0), 0)
        assert reopened.args[0]["id"] == report["id"]

    finally:  # close as a user would; the workers stop before the window goes
        window.close()
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=60_000)
        if window.runtime is not None:
            window.runtime.close()
