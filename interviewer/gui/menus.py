"""The pages in their order, their shortcuts, and the menu bar (every action has a key).

The sidebar, the View menu and Ctrl+1 … Ctrl+9 all follow one order: the interview loop
first (Home, Interview, Report, History), then the other ways to practise, then set-up.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QMessageBox

PAGES = ("home", "interview", "report", "history", "drill", "projects", "questions", "mic", "settings")
PAGE_TITLES = {"home": "Home", "interview": "Interview", "report": "Report", "history": "History",
               "drill": "Timed drill", "projects": "My projects", "questions": "My questions",
               "mic": "Microphone", "settings": "Settings"}
PAGE_KEYS = {key: n for n, key in enumerate(PAGES, 1)}
SHORTCUTS = [
    ("Ctrl+N", "New interview (Home)"), ("Ctrl+Enter", "Start the interview (on Home) or the drill (on Timed drill)"),
    ("Space", "Done answering (also in a timed drill)"), ("R", "Repeat the question"), ("S", "Skip the question"),
    ("P", "Pause / resume"), ("Ctrl+E", "End the interview (what you said is kept)"),
    ("Ctrl+1 … Ctrl+9", ", ".join(PAGE_TITLES[k] for k in PAGES)),
    ("Arrow keys, Enter, Esc", "In a report's transcript: move between words, play from one, stop"),
    ("Ctrl+F", "Search the history"), ("Delete", "Delete the selected session (asks first)"),
    ("Ctrl+Shift+H / Ctrl+Shift+P", "Export the report as HTML / PDF"), ("Ctrl+S", "Save settings (on Settings)"),
    ("F1", "This list"), ("Ctrl+Q", "Quit"),
]


def action(window, menu, text: str, shortcut, slot, *, enabled: bool = True) -> QAction:
    act = QAction(text, window)
    if shortcut:
        act.setShortcuts(shortcut if isinstance(shortcut, list) else [QKeySequence(shortcut)])
    act.triggered.connect(slot)
    act.setEnabled(enabled)
    menu.addAction(act)
    return act


def build_menus(w) -> None:
    """The menu bar of MainWindow `w`; the actions it enables and disables become its attributes."""
    bar = w.menuBar()
    m = bar.addMenu("&Interview")
    action(w, m, "&New interview", QKeySequence.StandardKey.New, w.new_interview)
    action(w, m, "&Start", [QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")], w.start_shortcut)
    m.addSeparator()
    w.act_done = action(w, m, "&Done answering", Qt.Key.Key_Space, lambda: w.command("done"), enabled=False)
    w.act_repeat = action(w, m, "&Repeat question", Qt.Key.Key_R, lambda: w.command("repeat"), enabled=False)
    w.act_skip = action(w, m, "S&kip question", Qt.Key.Key_S, lambda: w.command("skip"), enabled=False)
    w.act_pause = action(w, m, "&Pause / resume", Qt.Key.Key_P, w.interview.toggle_pause, enabled=False)
    w.act_end = action(w, m, "&End interview", "Ctrl+E", lambda: w.command("end"), enabled=False)
    m.addSeparator()
    w.act_demo = action(w, m, "Try the de&mo", None, w.toggle_demo)
    w.act_recordings = action(w, m, "Answer from recordin&gs…", None, w.ask_recordings)
    m.addSeparator()
    action(w, m, "&Quit", QKeySequence.StandardKey.Quit, w.close)
    v = bar.addMenu("&View")
    for key in PAGES:
        n = PAGE_KEYS[key]
        action(w, v, f"&{n} {PAGE_TITLES[key]}", f"Ctrl+{n}", lambda _=False, k=key: w.goto(k))
    r = bar.addMenu("&Report")
    w.act_export_html = action(w, r, "Export as &HTML…", "Ctrl+Shift+H", lambda: w.report.ask_export("html"))
    w.act_export_pdf = action(w, r, "Export as &PDF…", "Ctrl+Shift+P", lambda: w.report.ask_export("pdf"))
    h = bar.addMenu("&Help")
    action(w, h, "&Keyboard shortcuts", QKeySequence.StandardKey.HelpContents, w.show_shortcuts)
    action(w, h, "Open &log folder", None, w.open_logs)
    action(w, h, "&About", None, w.about)


class WindowHelp:
    """Help > Keyboard shortcuts, Open log folder, About (a mixin of MainWindow)."""

    def show_shortcuts(self) -> None:
        rows = "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in SHORTCUTS)
        box = QMessageBox(QMessageBox.Icon.Information, "Keyboard shortcuts",
                          f"<table cellpadding='3'>{rows}</table><p>Alt plus the underlined letter presses a "
                          "button; Tab moves between controls.</p>", QMessageBox.StandardButton.Close, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.last_dialog = box

    def open_logs(self) -> None:
        from ..paths import log_dir

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_dir())))

    def about(self) -> None:
        from .. import __version__

        box = QMessageBox(QMessageBox.Icon.Information, "About",
                          f"ML Mock Interviewer {__version__}\n\nAn offline, voice-driven mock interviewer. Speech "
                          "recognition, the interviewer's language model and your history all stay on this computer.",
                          QMessageBox.StandardButton.Close, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
