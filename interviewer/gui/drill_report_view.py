"""The timed drill's report view (interviewer.content.drills.drill_report): time used against the
target with a clear verdict, a timeline of where the time went, the pace against the
pace band, what to cut and what to add (each with its evidence), the scores; and
export to HTML or PDF with the same content.

A mixin of DrillPage, like drill_setup.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ..app.report_data import DIMENSION_TITLES, DIMENSIONS
from .dialogs import error_dialog
from .drill_text import VERDICT_TEXT, fmt_target, pace_sentence, verdict_sentence
from .drill_widgets import DrillTimeline, part_colors, verdict_color
from .pacing_chart import PacingChart
from .palette import css, text_color
from .theme import DISPLAY, SECTION, TITLE
from .ui import ScoreBar, caption, card, heading, scroll_page, unit, wrap_label
from .wording import clock, tidy
from .workers import run_task


class DrillReportMixin:
    def _build_report(self) -> QWidget:
        page = QWidget()
        page.setObjectName("page")
        outer = QVBoxLayout(page)
        u = unit(page)
        outer.setContentsMargins(u * 3, u * 2, u * 3, u * 2)
        top = QHBoxLayout()
        titles = QVBoxLayout()
        self.r_title = heading("Drill report", TITLE)
        self.r_subtitle = caption()
        titles.addWidget(self.r_title)
        titles.addWidget(self.r_subtitle)
        top.addLayout(titles, 1)
        self.again_button = QPushButton("Try &again")
        self.new_button = QPushButton("Ne&w drill")
        self.export_button = QPushButton("E&xport…")
        self.export_button.setToolTip("Save this drill report as a PDF or a web page")
        self.again_button.clicked.connect(self._again)
        self.new_button.clicked.connect(lambda: self.show_setup())
        self.export_button.clicked.connect(self.ask_export)
        for b in (self.again_button, self.new_button, self.export_button):
            top.addWidget(b, 0, Qt.AlignmentFlag.AlignTop)
        outer.addLayout(top)

        body = QWidget()
        lay = QVBoxLayout(body)
        lay.setSpacing(u * 2)
        vcard, verdict_row = card(QHBoxLayout)
        self.verdict = heading("", DISPLAY * 0.8)
        self.verdict.setWordWrap(False)
        self.verdict.setAccessibleName("Verdict")
        self.verdict_detail = wrap_label()
        self.verdict_detail.setAccessibleName("Time used against the target")
        verdict_row.addWidget(self.verdict)
        verdict_row.addSpacing(u * 2)
        verdict_row.addWidget(self.verdict_detail, 1)
        lay.addWidget(vcard)

        tcard, tbox = card()
        tbox.addWidget(heading("Where the time went", SECTION))
        self.timeline = DrillTimeline()
        tbox.addWidget(self.timeline)
        self.parts_legend = wrap_label(rich=True)
        self.parts_legend.setAccessibleName("Parts of the answer")
        tbox.addWidget(self.parts_legend)
        lay.addWidget(tcard)

        advice = QHBoxLayout()
        advice.setSpacing(u * 2)
        for title, attr in (("What to cut", "cut"), ("What to add", "add")):
            frame, col = card()
            col.addWidget(heading(title, SECTION))
            label = wrap_label(rich=True)
            label.setAccessibleName(title)
            setattr(self, attr, label)
            col.addWidget(label)
            col.addStretch(1)
            advice.addWidget(frame, 1)
        lay.addLayout(advice)

        pcard, pbox = card()
        pbox.addWidget(heading("Pace", SECTION))
        self.pace = wrap_label()
        self.pace.setAccessibleName("Pace")
        pbox.addWidget(self.pace)
        self.pace_chart = PacingChart()
        pbox.addWidget(self.pace_chart)
        lay.addWidget(pcard)

        scard, sbox = card()
        sbox.addWidget(heading("Scores", SECTION))
        self.scores_box = QWidget()
        self.scores_grid = QGridLayout(self.scores_box)
        self.scores_grid.setContentsMargins(0, 0, 0, 0)
        self.scores_grid.setColumnStretch(1, 1)
        self.scores_box.setMaximumWidth(self.fontMetrics().horizontalAdvance("M") * 40)
        sbox.addWidget(self.scores_box)
        self.feedback = wrap_label(rich=True)
        sbox.addWidget(self.feedback)
        lay.addWidget(scard)
        lay.addStretch(1)
        outer.addWidget(scroll_page(body), 1)
        return page

    def show_report(self, report: dict, analysis: dict | None = None, prompt: str | None = None) -> None:
        self.report = report
        self.analysis = analysis or {}
        if prompt:
            self.prompt = prompt
        self.set_running(False)
        self._render_report()
        self.views.setCurrentIndex(2)
        self.again_button.setFocus()
        self.report_shown.emit(report)

    def _render_report(self) -> None:
        r = self.report
        pal = self.palette()
        dim = css(text_color(pal, dim=True))
        who = "for a non-expert" if r.get("audience") == "non_expert" else "for an interviewer"
        demo = " · answered by the demo's recording" if r.get("demo") else ""
        self.r_title.setText("Drill report")
        self.r_subtitle.setText(f"{self.prompt} · target {fmt_target(r['target_s'])}, {who}{demo}")
        self.verdict.setText(VERDICT_TEXT.get(r["verdict"], r["verdict"]))
        self.verdict.setStyleSheet(f"color: {css(verdict_color(r['verdict']))}")
        self.verdict_detail.setText(verdict_sentence(r) + " Time used runs from your first word to your last.")

        self.timeline.set_report(r)
        colors = part_colors(pal, len(r["parts"]))
        rows = []
        for n, (part, color) in enumerate(zip(r["parts"], colors), 1):
            end = part["start"] + part["seconds"]
            rows.append(f"<span style='color:{css(color)}'>■</span> <b>{n}</b> {html.escape(part['label'])} "
                        f"<span style='color:{dim}'>— {clock(part['start'])} to {clock(end)}, "
                        f"{part['seconds']:.0f} s ({part['share'] * 100:.0f} %)</span>")
        self.parts_legend.setText("<br>".join(rows) or
                                  f"<span style='color:{dim}'>No part of a good explanation (what it is, an example, "
                                  "why it matters, a limitation, a summary) was recognised.</span>")

        self.pace.setText(pace_sentence(r.get("wpm")) + (f" Long pauses: {r['pauses_s']:.0f} s in all."
                                                         if r.get("pauses_s") else ""))
        fallback = {"wpm_windows": r.get("wpm_windows"), "pace_curve": r.get("pace_curve"), "wpm": r.get("wpm")}
        self.pace_chart.set_data(self.analysis or fallback)

        def items(entries: list[dict], empty: str) -> str:
            if not entries:
                return f"<span style='color:{dim}'>{empty}</span>"
            return "<ul style='margin-left:0'>" + "".join(
                f"<li>{html.escape(str(e['tip']))}<br><span style='color:{dim}'>{html.escape(tidy(e['evidence']))}"
                "</span></li>" for e in entries) + "</ul>"

        self.cut.setText(items(r["cut"], "Nothing to cut." if r["verdict"] != "over" else "–"))
        self.add.setText(items(r["add"], "Nothing to add: every part was there."))

        while self.scores_grid.count():
            w = self.scores_grid.takeAt(0).widget()
            if w is not None:
                w.deleteLater()
        scores = r.get("scores") or {}
        for row, dim_key in enumerate((*DIMENSIONS, "overall")):
            name = QLabel(f"<b>{DIMENSION_TITLES[dim_key]}</b>")
            bar = ScoreBar(scores.get(dim_key))
            bar.setAccessibleName(f"{DIMENSION_TITLES[dim_key]} score")
            self.scores_grid.addWidget(name, row, 0)
            self.scores_grid.addWidget(bar, row, 1)
        # the feedback, less what "What to add" already says (a missed part is named in both)
        added = [a["tip"].removeprefix("Add: ").rstrip(".").lower() for a in r["add"]]
        tips = [t for t in r.get("feedback") or [] if t.get("tip")
                and not any(label and label in str(t["tip"]).lower() for label in added)][:3]
        self.feedback.setText(("<b>More feedback</b><ul style='margin-left:0'>" + "".join(
            f"<li>{html.escape(str(t['tip']))}<br><span style='color:{dim}'>{html.escape(tidy(t.get('evidence')))}"
            "</span></li>" for t in tips) + "</ul>") if tips else "")

    def _again(self) -> None:
        if self.last_options and self.ready and not self.busy:
            self.start_requested.emit(dict(self.last_options))
        else:
            self.show_setup()

    # -- export ----------------------------------------------------------------------------
    def ask_export(self) -> None:
        if not self.report:
            return
        dialog = QFileDialog(self.window(), "Export the drill report", str(Path.home() / "drill-report.pdf"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilters(["PDF documents (*.pdf)", "Web pages (*.html)"])
        dialog.setDefaultSuffix("pdf")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda path: self.export(Path(path), "html" if path.endswith(".html") else "pdf"))
        dialog.open()

    def export(self, path: Path, fmt: str) -> None:
        from .export import export_drill, render_drill_images

        report, prompt = self.report, self.prompt
        images = render_drill_images(report, self.analysis)
        self.export_button.setEnabled(False)

        def done(result) -> None:
            self.export_button.setEnabled(True)
            if hasattr(self.window(), "statusBar"):
                self.window().statusBar().showMessage(f"Drill report saved to {result}", 8000)
            self.export_finished.emit(str(result))

        def failed(problem: str, fix: str) -> None:
            self.export_button.setEnabled(True)
            error_dialog(self.window(), "Export failed", problem, fix or "Choose another folder and try again.")

        run_task(lambda progress: export_drill(path, report, prompt, images, fmt, progress), done, failed,
                 with_progress=True)
