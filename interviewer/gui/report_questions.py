"""The report's per-question view: the list of questions; for the chosen one its turns
(the answer, follow-ups, clarifications), the pacing chart, the transcript with replay
from any word, the key points, and that turn's feedback.
"""

from __future__ import annotations

import html
import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (QHBoxLayout, QListWidget, QListWidgetItem, QPushButton, QSplitter, QTabBar,
                               QVBoxLayout, QWidget)

from ..analysis.followup import verdict_words
from ..app.report_data import DIMENSION_TITLES, DIMENSIONS, NAMED_NOTE, format_title
from .pacing_chart import PacingChart
from .palette import css, score_color
from .report_html import legend_html, transcript_html
from .theme import SUB
from .transcript_view import Replay, TranscriptView, word_at
from .ui import caption, card, heading, scroll_page, unit, wrap_label
from .wording import clock, plural, tidy

log = logging.getLogger(__name__)

TURN_TITLES = {"answer": "Answer", "follow_up": "Follow-up", "clarification": "Clarifying question"}
IDLE_CUE = "Click a word to hear your answer from there (or move with the arrow keys and press Enter)."


class QuestionsView(QSplitter):
    replay_requested = Signal(str, float)  # audio path, seconds into it
    replay_started = Signal(float)
    replay_stopped = Signal()
    replay_failed = Signal(str, str)

    def __init__(self, colors, player_factory=None, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.colors = colors  # a callable: the palette-derived colours of now
        self.report: dict | None = None
        self.current_question = 0
        self.current_turn = 0
        self.replay = Replay(player_factory, self)
        self.replay.started.connect(self._replay_started)
        self.replay.position.connect(self._replay_position)
        self.replay.stopped.connect(self._replay_stopped)
        self.replay.failed.connect(self.replay_failed)

        self.question_list = QListWidget()
        self.question_list.setAccessibleName("Questions")
        self.question_list.setWordWrap(True)
        self.question_list.currentRowChanged.connect(self.select_question)
        self.addWidget(self.question_list)

        detail = QWidget()
        d = QVBoxLayout(detail)
        u = unit(self)
        d.setContentsMargins(u * 2, u, u * 2, u)
        d.setSpacing(u)
        self.q_prompt = heading("", SUB)
        self.q_scores = caption(rich=True)
        self.turn_bar = QTabBar()
        self.turn_bar.setAccessibleName("Turns of this question")
        self.turn_bar.setExpanding(False)
        self.turn_bar.currentChanged.connect(self.select_turn)
        self.interviewer_line = wrap_label(rich=True)
        d.addWidget(self.q_prompt)
        d.addWidget(self.q_scores)
        d.addWidget(self.turn_bar)
        d.addWidget(self.interviewer_line)

        tcard, tbox = card()
        tbox.addWidget(heading("Transcript", SUB))
        cue_row = QHBoxLayout()
        self.cue = caption(IDLE_CUE)
        self.cue.setAccessibleName("Replay")
        self.stop_button = QPushButton("S&top")
        self.stop_button.setToolTip("Stop the replay (Esc)")
        self.stop_button.clicked.connect(self.stop_replay)
        self.stop_button.hide()
        cue_row.addWidget(self.cue, 1)
        cue_row.addWidget(self.stop_button)
        tbox.addLayout(cue_row)
        self.transcript = TranscriptView()
        self.transcript.setAccessibleName("Transcript: arrow keys move between words, Enter plays from one")
        self.transcript.setMinimumHeight(self.fontMetrics().height() * 7)
        self.transcript.word_activated.connect(self._word_activated)
        self.transcript.stop_requested.connect(self.stop_replay)
        tbox.addWidget(self.transcript, 1)
        self.legend = caption(rich=True)
        tbox.addWidget(self.legend)
        self.no_audio = caption()
        tbox.addWidget(self.no_audio)
        d.addWidget(tcard, 1)

        self.assessment = wrap_label(rich=True)
        self.key_points = wrap_label(rich=True)
        self.tips = wrap_label(rich=True)
        d.addWidget(self.assessment)
        d.addWidget(self.key_points)
        d.addWidget(self.tips)
        d.addWidget(heading("Pacing", SUB))
        self.chart = PacingChart()
        self.chart.seek.connect(self._seek)
        self.chart_caption = caption()
        d.addWidget(self.chart)
        d.addWidget(self.chart_caption)
        self.addWidget(scroll_page(detail))
        self.setStretchFactor(0, 1)
        self.setStretchFactor(1, 3)
        self.setSizes([240, 760])
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.stop_replay,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

    # -- showing ---------------------------------------------------------------------------
    def set_report(self, report: dict) -> None:
        self.stop_replay()
        self.report = report
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

    def select_question(self, index: int) -> None:
        if not self.report or not (0 <= index < len(self.report["questions"])):
            return
        self.stop_replay()
        self.current_question = index
        q = self.report["questions"][index]
        self.q_prompt.setText(f"Q{index + 1}. {q.get('prompt') or q.get('id')}")
        qs = q.get("scores") or {}
        self.q_scores.setText(html.escape(format_title(q.get("category"))) + " · " + " · ".join(
            f"{DIMENSION_TITLES[d]} <b style='color:{css(score_color(qs[d]))}'>{qs[d]}</b>"
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

    def turn(self) -> dict | None:
        if not self.report:
            return None
        turns = self.report["questions"][self.current_question]["turns"]
        return turns[self.current_turn] if 0 <= self.current_turn < len(turns) else None

    def select_turn(self, k: int) -> None:
        if not self.report:
            return
        q = self.report["questions"][self.current_question]
        if not (0 <= k < len(q["turns"])):
            return
        self.stop_replay()
        self.current_turn = k
        t = q["turns"][k]
        c = self.colors()
        a = t.get("analysis") or {}
        # the answer's question is the heading already; a follow-up's words are shown here
        self.interviewer_line.setVisible(t["kind"] != "answer")
        self.interviewer_line.setText(f"<b>Interviewer:</b> {html.escape(t.get('interviewer_text') or '')}")
        self.chart.set_data(a)
        if a and not a.get("no_speech"):
            self.chart_caption.setText(
                f"{a.get('wpm', 0):.0f} words per minute · {plural(len(a.get('pauses') or []), 'long pause')} · "
                f"{plural(len(a.get('fillers') or []), 'filler')} · spoke {clock(a.get('speaking_s', 0))}"
                + (f" of a {clock(a['target_seconds'])} target" if a.get("target_seconds") else "")
                + ". Click the chart to hear that moment.")
        else:
            self.chart_caption.setText("No pacing for this turn." if not a else "No speech was detected in this turn.")
        self.legend.setText(f"Highlighted: {legend_html(c)}")
        self.transcript.colors.update({name: QColor(c[name]) for name in ("cursor", "playing", "playing_text", "focus")})
        self.transcript.document().setDefaultStyleSheet(f"a {{ color: {c['text']}; text-decoration: none; }}")
        self.transcript.set_html(transcript_html(t, k, c))
        has_audio = bool(t.get("audio_path"))
        self.no_audio.setVisible(not has_audio)
        self.no_audio.setText("No recording was kept for this turn (Settings > Keep recordings), so it cannot be "
                              "played.")
        self.cue.setText(IDLE_CUE if has_audio else "The words are here; the recording is not.")
        self._turn_details(q, t, a, c)

    def _turn_details(self, q: dict, t: dict, a: dict, c: dict) -> None:
        kps = a.get("key_points") or {}
        if kps and t["kind"] == "answer":
            recovered = q.get("recovered", [])
            self.key_points.setText(
                "<b>Key points</b><br>"
                + "".join(f"<span style='color:{c['good']}'>✓</span> {html.escape(q['labels'].get(x, x))}<br>"
                          for x in kps.get("covered") or [])
                + "".join(f"<span style='color:{c['good']}'>↻</span> {html.escape(q['labels'].get(x, x))} "
                          f"<span style='color:{c['dim']}'>(after the follow-up)</span><br>"
                          for x in kps.get("missed") or [] if x in recovered)
                + "".join(f"<span style='color:{c['bad']}'>✗</span> {html.escape(q['labels'].get(x, x))}"
                          + (f" <span style='color:{c['dim']}'>{NAMED_NOTE}</span>" if x in q.get("named", []) else "")
                          + "<br>" for x in kps.get("missed") or [] if x not in recovered))
        else:
            self.key_points.setText("")
        credit = q.get("credit") or {}  # a point covered later in the thread is not a tip any more
        fb = [tip for tip in a.get("feedback") or [] if tip.get("key_point") not in credit or t["kind"] != "answer"]
        if t["kind"] != "answer":  # a follow-up answer is about one point: its depth/structure tips mislead
            fb = [tip for tip in fb if tip.get("area") in ("clarity", "pacing")]
        self.tips.setText(("<b>Feedback on this turn</b><ul style='margin-left:0'>" + "".join(
            f"<li>{html.escape(str(tip.get('tip')))}<br><span style='color:{c['dim']}'>"
            f"{html.escape(tidy(tip.get('evidence')))}</span></li>" for tip in fb[:4]) + "</ul>") if fb else "")
        asm = t.get("assessment")
        if asm:
            label = verdict_words(asm) or ("addressed" if asm.get("addressed") else "not addressed")
            label = label[0].upper() + label[1:]
            color = c["good"] if asm.get("addressed") else c["bad"]
            self.assessment.setText(
                f"<b>Did the answer address the follow-up?</b> <span style='color:{color}'>{html.escape(label)}</span>"
                f" — {html.escape(str(asm.get('label') or asm.get('target')))}: {html.escape(str(asm.get('reason') or ''))}")
        else:
            self.assessment.setText("")

    def show_moment(self, question: int, start: float) -> None:
        """Open a question at its main answer, with the word said at `start` under the cursor."""
        if not self.report or not (0 <= question < len(self.report["questions"])):
            return
        self.question_list.setCurrentRow(question)
        t = self.turn()
        words = ((t or {}).get("transcript") or {}).get("words") or []
        if start >= 0 and words:
            self.transcript.cursor_word = word_at([float(w.get("start", 0.0)) for w in words], start)
        self.transcript.setFocus()
        self.transcript._paint(scroll=True)

    # -- replay ----------------------------------------------------------------------------
    def _words(self) -> list[dict]:
        return ((self.turn() or {}).get("transcript") or {}).get("words") or []

    def _word_activated(self, index: int) -> None:
        if self.replay.playing or self.transcript.playing_word is not None:
            self.stop_replay()  # a second click stops
            return
        words = self._words()
        if 0 <= index < len(words):
            self.play_from(float(words[index].get("start", 0.0)))

    def _seek(self, seconds: float) -> None:
        self.stop_replay()
        self.play_from(seconds)

    def play_from(self, seconds: float) -> None:
        t = self.turn()
        path = (t or {}).get("audio_path")
        if not path:
            self.cue.setText("There is no recording of this turn to play.")
            return
        start = max(0.0, seconds - 0.25)  # a little before the word, so its onset is heard
        self.replay_requested.emit(path, start)
        self.cue.setText(f"Starting at {clock(start)}…")
        self.replay.play(path, start)

    def stop_replay(self) -> None:
        if self.replay.playing or self.transcript.playing_word is not None:
            self.replay.stop()
        self.transcript.set_playing_word(None)

    def _replay_started(self, start: float) -> None:
        self.cue.setText(f"▶ Playing from {clock(start)}. Click the transcript again or press Esc to stop.")
        self.stop_button.show()
        self.replay_started.emit(start)

    def _replay_position(self, seconds: float) -> None:
        words = self._words()
        if words:
            self.transcript.set_playing_word(word_at([float(w.get("start", 0.0)) for w in words], seconds))

    def _replay_stopped(self) -> None:
        self.transcript.set_playing_word(None)
        self.stop_button.hide()
        t = self.turn()
        self.cue.setText(IDLE_CUE if (t or {}).get("audio_path") else "The words are here; the recording is not.")
        self.replay_stopped.emit()
