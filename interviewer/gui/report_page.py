"""The report: first the overall picture and what to work on next (report_summary), then
each question with its transcript and replay (report_questions); export to HTML or PDF
with the same content (report_html, export).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QProgressDialog, QPushButton, QTabWidget, QVBoxLayout, QWidget

from ..app.report_data import format_title
from .dialogs import error_dialog
from .palette import BAD, GOOD, WARN, css, text_color, tint
from .report_html import subtitle
from .report_questions import QuestionsView
from .report_summary import SummaryView
from .theme import TITLE, tokens
from .ui import caption, heading, scroll_page, unit, wrap_label
from .workers import run_task

log = logging.getLogger(__name__)


class ReportPage(QWidget):
    replay_requested = Signal(str, float)  # audio path, seconds into it
    export_finished = Signal(str)
    export_failed = Signal(str, str)

    def __init__(self, player_factory: Callable | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.report: dict | None = None
        self.bank = None
        self.rehearsal: dict | None = None
        self.rehearsal_section = None
        self.summary: SummaryView | None = None
        self._progress: QProgressDialog | None = None
        self._recolor_pending = False

        outer = QVBoxLayout(self)
        u = unit(self)
        outer.setContentsMargins(u * 3, u * 2, u * 3, u * 2)
        outer.setSpacing(u)
        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(2)
        self.title = heading("Report", TITLE)
        self.subtitle = caption()
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        top.addLayout(titles, 1)
        self.export_html_button = QPushButton("Export H&TML…")
        self.export_pdf_button = QPushButton("Export P&DF…")
        self.export_html_button.clicked.connect(lambda: self.ask_export("html"))
        self.export_pdf_button.clicked.connect(lambda: self.ask_export("pdf"))
        top.addWidget(self.export_html_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.export_pdf_button, 0, Qt.AlignmentFlag.AlignTop)
        outer.addLayout(top)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.summary_scroll = scroll_page(QWidget())
        self.tabs.addTab(self.summary_scroll, "&Summary")
        self.questions = QuestionsView(self.colors, player_factory)
        self.questions.replay_requested.connect(self.replay_requested)
        self.questions.replay_failed.connect(
            lambda problem, fix: error_dialog(self.window(), "Cannot play the recording", problem, fix))
        self.tabs.addTab(self.questions, "&Questions")
        outer.addWidget(self.tabs, 1)

        self.empty = wrap_label("No report yet. Finish an interview, or open one from History.")
        outer.addWidget(self.empty)
        self.tabs.hide()
        self._set_export_enabled(False)
        QShortcut(QKeySequence("Ctrl+Shift+E"), self, lambda: self.ask_export("pdf"),
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

    # the parts other code and the tests reach
    @property
    def transcript(self):
        return self.questions.transcript

    @property
    def chart(self):
        return self.questions.chart

    @property
    def replay(self):
        return self.questions.replay

    def select_question(self, index: int) -> None:
        self.questions.question_list.setCurrentRow(index)

    # -- colours ---------------------------------------------------------------------------
    def colors(self) -> dict:
        """Palette-derived colours for rich text, as #rrggbb strings."""
        pal = self.palette()
        t = tokens()
        accent = pal.color(QPalette.ColorRole.Highlight)
        return {"text": css(text_color(pal)), "dim": css(text_color(pal, dim=True)),
                "filler": css(tint(pal, WARN, 0.35)), "hedge": css(tint(pal, accent, 0.3)),
                "pause": css(text_color(pal, dim=True)), "good": css(GOOD), "bad": css(BAD),
                "cursor": css(tint(pal, accent, 0.25)), "playing": css(accent),
                "playing_text": css(pal.color(QPalette.ColorRole.HighlightedText)), "focus": t.focus}

    def changeEvent(self, event) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange) and self.report:
            # later: the new palette is still being handed to the children, and rebuilding
            # the summary replaces some of them
            if not self._recolor_pending:
                self._recolor_pending = True
                QTimer.singleShot(0, self, self._recolor)
        super().changeEvent(event)

    def _recolor(self) -> None:
        self._recolor_pending = False
        if self.report:
            self._build_summary()
            self.questions.select_turn(self.questions.current_turn)

    # -- showing a report ------------------------------------------------------------------
    def show_report(self, report: dict, bank=None) -> None:
        self.report = report
        self.bank = bank
        self.empty.hide()
        self.tabs.show()
        self._set_export_enabled(True)
        self.rehearsal = self._rehearsal_summary()
        if self.rehearsal is not None:
            name = self.rehearsal.get("title")
            self.title.setText(f"Project rehearsal: {name}" if name else "Project rehearsal")
        else:
            self.title.setText(f"Report: {format_title(report.get('format'))}")
        persona = self._persona_name(report.get("persona"))
        self.subtitle.setText(" · ".join(x for x in (subtitle(report, with_format=False), persona) if x))
        self._build_summary()
        self.questions.set_report(report)
        self.tabs.setCurrentIndex(0)

    @staticmethod
    def _persona_name(persona_id) -> str:
        from ..content.personas import PERSONAS

        persona = PERSONAS.get(persona_id or "")
        return persona.name if persona else ""

    def _rehearsal_summary(self) -> dict | None:
        from .rehearsal_data import rehearsal_summary

        try:
            return rehearsal_summary(self.report, self.bank)
        except Exception:  # a report that cannot be read as a rehearsal still shows as a report
            log.exception("cannot read the rehearsal part of the report")
            return None

    def _set_export_enabled(self, on: bool) -> None:
        self.export_html_button.setEnabled(on)
        self.export_pdf_button.setEnabled(on)

    def _build_summary(self) -> None:
        self.rehearsal_section = None
        if self.rehearsal is not None:
            from .rehearsal_view import RehearsalSection

            self.rehearsal_section = RehearsalSection(self.rehearsal, self.palette())
        self.summary = SummaryView(self.report, self.rehearsal_section)
        self.summary.goto_requested.connect(self.show_moment)
        self.summary_scroll.setWidget(self.summary)

    def show_moment(self, question: int, start: float) -> None:
        self.tabs.setCurrentIndex(1)
        self.questions.show_moment(question, start)

    def stop_playback(self) -> None:
        self.questions.stop_replay()

    # -- export ----------------------------------------------------------------------------
    def ask_export(self, fmt: str) -> None:
        if not self.report:
            return
        name = f"interview-report-{self.report.get('id') or 'session'}.{fmt}"
        dialog = QFileDialog(self.window(), "Export report as " + fmt.upper(), str(Path.home() / name))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter("PDF documents (*.pdf)" if fmt == "pdf" else "Web pages (*.html)")
        dialog.setDefaultSuffix(fmt)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda path: self.export(Path(path), fmt))
        dialog.open()

    def export(self, path: Path, fmt: str) -> None:
        from .export import export_report, render_charts

        report, rehearsal = self.report, self.rehearsal
        images = render_charts(report)
        self._progress = QProgressDialog(f"Exporting the report as {fmt.upper()}…", "", 0, 0, self.window())
        self._progress.setCancelButton(None)
        self._progress.setWindowTitle("Exporting")
        self._progress.setMinimumDuration(800)  # only shows if it takes a while
        self._progress.setWindowModality(Qt.WindowModality.WindowModal)
        self._set_export_enabled(False)

        def done(result) -> None:
            self._close_progress()
            if hasattr(self.window(), "statusBar"):
                self.window().statusBar().showMessage(f"Report saved to {result}", 8000)
            self.export_finished.emit(str(result))

        def failed(problem: str, fix: str) -> None:
            self._close_progress()
            error_dialog(self.window(), "Export failed", problem, fix or "Choose another folder and try again.")
            self.export_failed.emit(problem, fix)

        run_task(lambda progress: export_report(path, report, images, fmt, progress, rehearsal=rehearsal), done,
                 failed, with_progress=True,
                 on_progress=lambda msg: self._progress and self._progress.setLabelText(msg))

    def _close_progress(self) -> None:
        self._set_export_enabled(True)
        if self._progress is not None:
            self._progress.reset()
            self._progress.deleteLater()
            self._progress = None
