"""The report: overall and per-dimension scores with their evidence, a per-question
breakdown with a pacing chart, the transcript (fillers and hedges highlighted, click a
word to hear the answer from there), key points covered and missed; export to HTML/PDF.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QEvent, Qt, QUrl, Signal
from PySide6.QtGui import QFont, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (QFileDialog, QFrame, QGridLayout, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
                               QProgressBar, QProgressDialog, QPushButton, QScrollArea, QSplitter, QTabBar,
                               QTabWidget, QTextBrowser, QVBoxLayout, QWidget)

from .dialogs import error_dialog
from .pacing_chart import PacingChart
from .palette import BAD, GOOD, WARN, css, score_color, text_color, tint
from ..app.report_data import DIMENSION_TITLES, DIMENSIONS, format_title
from .report_html import evidence_items, fmt_when, legend_html, transcript_html
from .workers import run_task

log = logging.getLogger(__name__)

TURN_TITLES = {"answer": "Answer", "follow_up": "Follow-up", "clarification": "Clarifying question"}


def heading(text: str, scale: float = 1.3, bold: bool = True) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(bold)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def wrap_label(text: str = "", rich: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ScoreBar(QWidget):
    """The number, then a bar: the text never sits on the bar, so it reads in any theme."""

    def __init__(self, score, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.number = QLabel(f"<b>{score:.0f}</b>" if isinstance(score, (int, float)) else "–")
        self.number.setMinimumWidth(self.fontMetrics().horizontalAdvance("100") + 6)
        self.number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.bar.setValue(int(score) if isinstance(score, (int, float)) else 0)
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(max(8, self.fontMetrics().height() // 2))
        row.addWidget(self.number)
        row.addWidget(self.bar, 1)


class ReportPage(QWidget):
    replay_requested = Signal(str, float)  # audio path, seconds into it
    export_finished = Signal(str)
    export_failed = Signal(str, str)

    def __init__(self, player_factory: Callable | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.player_factory = player_factory
        self._player = None
        self.report: dict | None = None
        self.current_question = 0
        self.current_turn = 0
        self.bank = None
        self.rehearsal: dict | None = None
        self.rehearsal_section = None
        self._progress: QProgressDialog | None = None

        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        titles = QVBoxLayout()
        self.title = heading("Report", 1.5)
        self.subtitle = wrap_label()
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
        self.summary_scroll = QScrollArea()
        self.summary_scroll.setWidgetResizable(True)
        self.summary_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.tabs.addTab(self.summary_scroll, "&Summary")

        breakdown = QSplitter(Qt.Orientation.Horizontal)
        self.question_list = QListWidget()
        self.question_list.setAccessibleName("Questions")
        self.question_list.currentRowChanged.connect(self.select_question)
        self.question_list.setWordWrap(True)
        breakdown.addWidget(self.question_list)
        detail_scroll = QScrollArea()
        detail_scroll.setWidgetResizable(True)
        detail_scroll.setFrameShape(QFrame.Shape.NoFrame)
        detail = QWidget()
        d = QVBoxLayout(detail)
        self.q_prompt = heading("", 1.15)
        self.q_scores = wrap_label(rich=True)
        self.turn_bar = QTabBar()
        self.turn_bar.setAccessibleName("Turns of this question")
        self.turn_bar.currentChanged.connect(self.select_turn)
        self.turn_bar.setExpanding(False)
        self.interviewer_line = wrap_label(rich=True)
        self.chart = PacingChart()
        self.chart.seek.connect(lambda t: self.replay(self.current_turn, t))
        self.chart_caption = wrap_label()
        self.transcript = QTextBrowser()
        self.transcript.setOpenLinks(False)
        self.transcript.setAccessibleName("Transcript; activate a word to replay from there")
        self.transcript.anchorClicked.connect(self._anchor)
        self.transcript.setMinimumHeight(self.fontMetrics().height() * 8)
        self.legend = wrap_label(rich=True)
        self.key_points = wrap_label(rich=True)
        self.tips = wrap_label(rich=True)
        self.assessment = wrap_label(rich=True)
        self.no_audio = wrap_label()
        d.addWidget(self.q_prompt)
        d.addWidget(self.q_scores)
        d.addWidget(self.turn_bar)
        d.addWidget(self.interviewer_line)
        d.addWidget(heading("Pacing", 1.0))
        d.addWidget(self.chart)
        d.addWidget(self.chart_caption)
        d.addWidget(heading("Transcript", 1.0))
        d.addWidget(self.legend)
        d.addWidget(self.transcript, 1)
        d.addWidget(self.no_audio)
        d.addWidget(self.assessment)
        d.addWidget(self.key_points)
        d.addWidget(self.tips)
        detail_scroll.setWidget(detail)
        breakdown.addWidget(detail_scroll)
        breakdown.setStretchFactor(0, 1)
        breakdown.setStretchFactor(1, 3)
        breakdown.setSizes([260, 780])
        self.tabs.addTab(breakdown, "&Questions")
        outer.addWidget(self.tabs, 1)

        self.empty = wrap_label("No report yet. Finish an interview, or open one from History.")
        outer.addWidget(self.empty)
        self.tabs.hide()
        self._set_export_enabled(False)
        QShortcut(QKeySequence("Ctrl+Shift+E"), self, lambda: self.ask_export("pdf"),
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

    # -- colours -----------------------------------------------------------------------
    def colors(self) -> dict:
        pal = self.palette()
        return {"text": css(text_color(pal)), "dim": css(text_color(pal, dim=True)),
                "filler": css(tint(pal, WARN, 0.35)), "hedge": css(tint(pal, pal.color(QPalette.ColorRole.Highlight), 0.3)),
                "pause": css(text_color(pal, dim=True)), "good": css(GOOD), "bad": css(BAD)}

    def changeEvent(self, event) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange) and self.report:
            self._style_browser()
            self._build_summary()
            self.select_turn(self.current_turn)
        super().changeEvent(event)

    def _style_browser(self) -> None:
        self.transcript.document().setDefaultStyleSheet(
            f"a {{ color: {self.colors()['text']}; text-decoration: none; }}")

    # -- showing a report ----------------------------------------------------------------
    def show_report(self, report: dict, bank=None) -> None:
        self.report = report
        self.bank = bank
        self.empty.hide()
        self.tabs.show()
        self._set_export_enabled(True)
        when = fmt_when(report.get("started_at"))
        status = " · not finished" if report.get("status") == "incomplete" else ""
        self.rehearsal = self._rehearsal_summary()
        if self.rehearsal is not None:
            name = self.rehearsal.get("title")
            self.title.setText(f"Project rehearsal: {name}" if name else "Project rehearsal")
        else:
            self.title.setText(f"Report: {format_title(report.get('format'))}")
        dur = report.get("duration_s")
        persona = self._persona_name(report.get("persona"))
        self.subtitle.setText(" · ".join(x for x in (
            f"{(report.get('mode') or 'study').title()} mode", persona, when,
            f"{len(report['questions'])} question(s), {report['follow_ups']['asked']} follow-up(s)",
            f"{int(dur // 60)} min {int(dur % 60)} s" if isinstance(dur, (int, float)) else "") if x) + status)
        self._style_browser()
        self._build_summary()
        self.question_list.blockSignals(True)
        self.question_list.clear()
        for n, q in enumerate(report["questions"], 1):
            overall = (q.get("scores") or {}).get("overall")
            prompt = q.get("prompt") or q.get("id")
            item = QListWidgetItem(f"{n}. {prompt[:90]}{'…' if len(prompt) > 90 else ''}\n"
                                   f"    {'score ' + str(overall) if overall is not None else 'not scored'}")
            item.setToolTip(prompt)
            self.question_list.addItem(item)
        self.question_list.blockSignals(False)
        if report["questions"]:
            self.question_list.setCurrentRow(0)
            self.select_question(0)
        self.tabs.setCurrentIndex(0)

    @staticmethod
    def _persona_name(persona_id) -> str:
        from ..personas import PERSONAS

        persona = PERSONAS.get(persona_id or "")
        return persona.name if persona else ""

    def _rehearsal_summary(self) -> dict | None:
        from .rehearsal_view import rehearsal_summary

        try:
            return rehearsal_summary(self.report, self.bank)
        except Exception:  # a report that cannot be read as a rehearsal still shows as a report
            log.exception("cannot read the rehearsal part of the report")
            return None

    def _set_export_enabled(self, on: bool) -> None:
        self.export_html_button.setEnabled(on)
        self.export_pdf_button.setEnabled(on)

    def _build_summary(self) -> None:
        r = self.report
        c = self.colors()
        page = QWidget()
        lay = QVBoxLayout(page)
        self.rehearsal_section = None
        if getattr(self, "rehearsal", None) is not None:
            from .rehearsal_view import RehearsalSection

            self.rehearsal_section = RehearsalSection(self.rehearsal, self.palette())
            lay.addWidget(self.rehearsal_section)
            lay.addWidget(heading("The whole rehearsal", 1.2))
        s = r["scores"]
        top = QHBoxLayout()
        overall = s.get("overall")
        big = heading(f"{overall if overall is not None else '–'}", 3.0)
        big.setAccessibleName(f"Overall score {overall}")
        big.setSizePolicy(big.sizePolicy().horizontalPolicy(), big.sizePolicy().verticalPolicy())
        big.setWordWrap(False)
        top.addWidget(big)
        col = QVBoxLayout()
        col.addWidget(heading("Overall score (out of 100)", 1.1))
        summary = r.get("summary") or {}
        facts = []
        if summary.get("wpm"):
            facts.append(f"pace {summary['wpm']:.0f} wpm")
        if summary.get("fillers_per_min") is not None and summary.get("answers_with_speech"):
            facts.append(f"{summary['fillers_per_min']:.1f} fillers per minute")
        kp = r["key_points"]
        total = len(kp["covered"]) + len(kp["recovered"]) + len(kp["missed"])
        if total:
            facts.append(f"{len(kp['covered'])} of {total} key points covered"
                         + (f", {len(kp['recovered'])} more after a follow-up" if kp["recovered"] else ""))
        if r["follow_ups"]["asked"]:
            facts.append(f"{r['follow_ups']['addressed']} of {r['follow_ups']['asked']} follow-ups answered")
        col.addWidget(wrap_label(" · ".join(facts) or "No answers were scored in this session."))
        top.addLayout(col, 1)
        lay.addLayout(top)

        grid = QGridLayout()
        grid.setColumnStretch(2, 1)
        for row, dim in enumerate(DIMENSIONS):
            name = QLabel(f"<b>{DIMENSION_TITLES[dim]}</b>")
            bar = ScoreBar(s.get(dim))
            bar.setAccessibleName(f"{DIMENSION_TITLES[dim]} score")
            bar.setMinimumWidth(self.fontMetrics().horizontalAdvance("0") * 14)
            raised, lowered = evidence_items(r, dim, limit=2)
            lines = [f"<span style='color:{c['good']}'>▲</span> {html.escape(str(e.get('reason')))}"
                     + (f" <span style='color:{c['dim']}'>— {html.escape(str(e.get('evidence')))} (Q{e['question']})</span>"
                        if e.get("evidence") else "") for e in raised]
            lines += [f"<span style='color:{c['bad']}'>▼</span> {html.escape(str(e.get('reason')))}"
                      + (f" <span style='color:{c['dim']}'>— {html.escape(str(e.get('evidence')))} (Q{e['question']})</span>"
                         if e.get("evidence") else "") for e in lowered]
            evidence = wrap_label("<br>".join(lines) or f"<span style='color:{c['dim']}'>no evidence recorded</span>",
                                  rich=True)
            grid.addWidget(name, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(bar, row, 1, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(evidence, row, 2)
        grid.setVerticalSpacing(self.fontMetrics().height() // 2 + 4)
        lay.addLayout(grid)

        lay.addWidget(heading("Key points", 1.1))
        kp_html = "".join(f"<span style='color:{c['good']}'>✓</span> {html.escape(k)}<br>" for k in kp["covered"])
        kp_html += "".join(f"<span style='color:{c['good']}'>↻</span> {html.escape(k)} "
                           f"<span style='color:{c['dim']}'>(after the follow-up)</span><br>" for k in kp["recovered"])
        kp_html += "".join(f"<span style='color:{c['bad']}'>✗</span> {html.escape(k)}<br>" for k in kp["missed"])
        lay.addWidget(wrap_label(kp_html or "–", rich=True))
        if r["tips"]:
            lay.addWidget(heading("What to work on next", 1.1))
            tips = "".join(
                f"<li>{html.escape(str(t.get('tip')))}<br><span style='color:{c['dim']}'>{html.escape(str(t.get('evidence')))}"
                f" · question {t['question']}</span></li>" for t in r["tips"][:6])
            lay.addWidget(wrap_label(f"<ul style='margin-left:0'>{tips}</ul>", rich=True))
        lay.addStretch(1)
        self.summary_scroll.setWidget(page)

    def select_question(self, index: int) -> None:
        if not self.report or not (0 <= index < len(self.report["questions"])):
            return
        self.current_question = index
        q = self.report["questions"][index]
        c = self.colors()
        self.q_prompt.setText(f"Q{index + 1}. {q.get('prompt') or q.get('id')}")
        qs = q.get("scores") or {}
        self.q_scores.setText(f"<span style='color:{c['dim']}'>{html.escape(format_title(q.get('category')))}</span> · "
                              + " · ".join(f"{DIMENSION_TITLES[d]} <b style='color:{css(score_color(qs[d]))}'>{qs[d]}</b>"
                                          for d in (*DIMENSIONS, "overall") if qs.get(d) is not None))
        self.turn_bar.blockSignals(True)
        while self.turn_bar.count():
            self.turn_bar.removeTab(0)
        follow = 0
        for t in q["turns"]:
            if t["kind"] == "follow_up":
                follow += 1
                self.turn_bar.addTab(f"Follow-up {follow}")
            else:
                self.turn_bar.addTab(TURN_TITLES.get(t["kind"], t["kind"]))
        self.turn_bar.blockSignals(False)
        main_index = next((k for k, t in enumerate(q["turns"]) if t["kind"] == "answer"), 0)
        self.turn_bar.setCurrentIndex(main_index)
        self.select_turn(main_index)

    def select_turn(self, k: int) -> None:
        if not self.report:
            return
        q = self.report["questions"][self.current_question]
        if not (0 <= k < len(q["turns"])):
            return
        self.current_turn = k
        t = q["turns"][k]
        c = self.colors()
        a = t.get("analysis") or {}
        who = "Question" if t["kind"] == "answer" else "Interviewer"
        self.interviewer_line.setText(f"<b>{who}:</b> {html.escape(t.get('interviewer_text') or '')}")
        self.chart.set_data(a)
        if a and not a.get("no_speech"):
            self.chart_caption.setText(
                f"{a.get('wpm', 0):.0f} wpm overall · {len(a.get('pauses') or [])} long pause(s) · "
                f"{len(a.get('fillers') or [])} filler(s) · spoke {a.get('speaking_s', 0):.0f} s"
                + (f" of a {a['target_seconds']} s target" if a.get("target_seconds") else ""))
        else:
            self.chart_caption.setText("No pacing for this turn." if not a else "No speech was detected in this turn.")
        self.legend.setText(f"<span style='color:{c['dim']}'>Highlighted:</span> {legend_html(c)}"
                            f" <span style='color:{c['dim']}'>· Click a word to replay from there.</span>")
        self.transcript.setHtml(transcript_html(t, k, c))
        self.no_audio.setVisible(not t.get("audio_path"))
        self.no_audio.setText("No recording was kept for this turn (Settings > Keep audio), so replay is off.")
        kps = a.get("key_points") or {}
        if kps and t["kind"] == "answer":
            self.key_points.setText(
                "<b>Key points</b><br>"
                + "".join(f"<span style='color:{c['good']}'>✓</span> {html.escape(q['labels'].get(x, x))}<br>"
                          for x in kps.get("covered") or [])
                + "".join(f"<span style='color:{c['good']}'>↻</span> {html.escape(q['labels'].get(x, x))} "
                          f"<span style='color:{c['dim']}'>(after the follow-up)</span><br>"
                          for x in kps.get("missed") or [] if x in q.get("recovered", []))
                + "".join(f"<span style='color:{c['bad']}'>✗</span> {html.escape(q['labels'].get(x, x))}<br>"
                          for x in kps.get("missed") or [] if x not in q.get("recovered", [])))
        else:
            self.key_points.setText("")
        fb = a.get("feedback") or []
        if t["kind"] != "answer":  # a follow-up answer is about one point: its depth/structure tips mislead
            fb = [tip for tip in fb if tip.get("area") in ("clarity", "pacing")]
        self.tips.setText(("<b>Feedback</b><ul style='margin-left:0'>" + "".join(
            f"<li>{html.escape(str(tip.get('tip')))}<br><span style='color:{c['dim']}'>{html.escape(str(tip.get('evidence')))}"
            + (f" · at {tip['at']}" if tip.get("at") else "") + "</span></li>" for tip in fb) + "</ul>") if fb else "")
        asm = t.get("assessment")
        if asm:
            label = asm.get("directness_label") or ("addressed" if asm.get("addressed") else "not addressed")
            color = c["good"] if asm.get("addressed") else c["bad"]
            self.assessment.setText(
                f"<b>Did the answer address the follow-up?</b> <span style='color:{color}'>{html.escape(label)}</span>"
                f" — {html.escape(str(asm.get('label') or asm.get('target')))}: {html.escape(str(asm.get('reason') or ''))}")
        else:
            self.assessment.setText("")

    # -- replay --------------------------------------------------------------------------
    def _anchor(self, url: QUrl) -> None:
        text = url.toString()
        if not text.startswith("seek:"):
            return
        turn, _, start = text[5:].partition("/")
        try:
            self.replay(int(turn), float(start))
        except ValueError:
            log.warning("bad transcript link %s", text)

    def replay(self, turn_index: int, start: float) -> None:
        if not self.report:
            return
        q = self.report["questions"][self.current_question]
        if not (0 <= turn_index < len(q["turns"])):
            return
        path = q["turns"][turn_index].get("audio_path")
        if not path:
            return
        start = max(0.0, start - 0.25)  # a little before the word, so its onset is heard
        self.replay_requested.emit(path, start)
        if self.player_factory is None:
            return

        def play():  # a worker thread: finding the speaker enumerates devices
            from ..audio import SAMPLE_RATE
            from ..audio.io import load_audio

            if self._player is None:
                self._player = self.player_factory()
            audio = load_audio(path)
            self._player.play(audio[int(start * SAMPLE_RATE):])

        run_task(play, on_error=lambda problem, fix: error_dialog(self.window(), "Cannot play the recording", problem, fix))

    def stop_playback(self) -> None:
        if self._player is not None:
            player = self._player
            run_task(player.stop)

    # -- export --------------------------------------------------------------------------
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

        report = self.report
        images = render_charts(report)
        self._progress = QProgressDialog(f"Exporting the report as {fmt.upper()}…", "", 0, 0, self.window())
        self._progress.setCancelButton(None)
        self._progress.setWindowTitle("Exporting")
        self._progress.setMinimumDuration(800)  # only shows if it takes a while
        self._progress.setWindowModality(Qt.WindowModality.WindowModal)
        self._set_export_enabled(False)

        def done(result) -> None:
            self._close_progress()
            self.window().statusBar().showMessage(f"Report saved to {result}", 8000) if hasattr(
                self.window(), "statusBar") else None
            self.export_finished.emit(str(result))

        def failed(problem: str, fix: str) -> None:
            self._close_progress()
            error_dialog(self.window(), "Export failed", problem, fix or "Choose another folder and try again.")
            self.export_failed.emit(problem, fix)

        run_task(lambda progress: export_report(path, report, images, fmt, progress), done, failed,
                 with_progress=True, on_progress=lambda msg: self._progress and self._progress.setLabelText(msg))

    def _close_progress(self) -> None:
        self._set_export_enabled(True)
        if self._progress is not None:
            self._progress.reset()
            self._progress.deleteLater()
            self._progress = None
