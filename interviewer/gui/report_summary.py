"""The report's first view: the overall picture, the two or three things to work on next
(ranked by what they cost, app/coaching.py), then the scores and key points. Evidence
is one click away ("Show evidence", "Why?"), and each piece of evidence links to the
moment in the answer.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ..app.coaching import headline, priorities
from ..app.report_data import DIMENSION_TITLES, DIMENSIONS, NAMED_NOTE
from .palette import BAD, GOOD, css, score_color, text_color
from .report_html import evidence_items
from .theme import DISPLAY, SECTION, SUB
from .ui import Disclosure, ScoreBar, caption, card, heading, unit, wrap_label
from .wording import clock, plural, tidy


def evidence_link(item: dict, dim: str) -> str:
    """One piece of evidence, with a link to its question (and moment, when known)."""
    text = html.escape(tidy(item.get("evidence") or item.get("text") or ""))
    n = item.get("question")
    if not n:
        return text
    start = item.get("start")
    at = f" at {clock(start)}" if isinstance(start, (int, float)) else ""
    href = f"goto:{n - 1}:{float(start) if isinstance(start, (int, float)) else -1}"
    return f"{text} <a href='{href}'>Q{n}{at}</a>" if text else f"<a href='{href}'>Q{n}{at}</a>"


class SummaryView(QWidget):
    goto_requested = Signal(int, float)  # question index, seconds into its answer (-1: the start)

    def __init__(self, report: dict, rehearsal_widget: QWidget | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = report
        pal = self.palette()
        self.dim = css(text_color(pal, dim=True))
        lay = QVBoxLayout(self)
        u = unit(self)
        lay.setContentsMargins(u * 2, u * 2, u * 2, u * 2)
        lay.setSpacing(u * 2)
        lay.addWidget(self._overall())
        self.priorities = priorities(report)
        if self.priorities:
            lay.addWidget(heading("What to work on next", SECTION))
            for n, p in enumerate(self.priorities, 1):
                lay.addWidget(self._priority(n, p))
        if rehearsal_widget is not None:
            lay.addWidget(rehearsal_widget)
        lay.addWidget(heading("Scores", SECTION))
        lay.addWidget(self._scores())
        lay.addWidget(self._key_points())
        lay.addStretch(1)

    def _link(self, label: QLabel) -> QLabel:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        label.setOpenExternalLinks(False)
        label.linkActivated.connect(self._goto)
        return label

    def _goto(self, href: str) -> None:
        if href.startswith("goto:"):
            _, q, start = href.split(":")
            self.goto_requested.emit(int(q), float(start))

    def _overall(self) -> QWidget:
        r = self.report
        frame, row = card(QHBoxLayout)
        overall = r["scores"].get("overall")
        big = heading(f"{overall if overall is not None else '–'}", DISPLAY)
        big.setWordWrap(False)
        big.setAccessibleName(f"Overall score {overall}")
        if overall is not None:
            big.setStyleSheet(f"color: {css(score_color(overall))}")
        col = QVBoxLayout()
        col.setSpacing(2)
        col.addWidget(big, 0, Qt.AlignmentFlag.AlignHCenter)
        col.addWidget(caption("out of 100"), 0, Qt.AlignmentFlag.AlignHCenter)
        col.addStretch(1)
        row.addLayout(col)
        row.addSpacing(unit(self) * 2)
        text = QVBoxLayout()
        self.headline = heading(headline(r), SUB, bold=False)
        self.headline.setAccessibleName("The overall picture")
        text.addWidget(self.headline)
        summary = r.get("summary") or {}
        facts = []
        if summary.get("wpm"):
            facts.append(f"pace {summary['wpm']:.0f} words per minute")
        if summary.get("fillers_per_min") is not None and summary.get("answers_with_speech"):
            facts.append(f"{summary['fillers_per_min']:.1f} fillers a minute")
        if r["follow_ups"]["asked"]:
            facts.append(f"{r['follow_ups']['addressed']} of {plural(r['follow_ups']['asked'], 'follow-up')} answered")
        text.addWidget(caption(" · ".join(facts)))
        text.addStretch(1)
        row.addLayout(text, 1)
        return frame

    def _priority(self, n: int, p: dict) -> QWidget:
        frame, box = card()
        top = QHBoxLayout()
        number = heading(str(n), SECTION)
        number.setWordWrap(False)
        number.setFixedWidth(number.fontMetrics().horizontalAdvance("00"))
        number.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        tip = heading(p["tip"], SUB)
        tip.setAccessibleName(f"To work on, number {n}")
        top.addWidget(number, 0, Qt.AlignmentFlag.AlignTop)
        col = QVBoxLayout()
        col.setSpacing(2)
        col.addWidget(tip)
        where = " and ".join(f"Q{q}" for q in p["questions"]) if len(p["questions"]) <= 2 else \
            f"{len(p['questions'])} answers"
        col.addWidget(caption(f"{p['area_title']} · in {where}"))
        lines = "<br>".join(evidence_link(e, "") for e in p["evidence"][:4])
        detail = self._link(wrap_label(lines, rich=True))
        detail.setAccessibleName("Evidence")
        col.addWidget(Disclosure("Show evidence", "Hide evidence", detail))
        top.addLayout(col, 1)
        box.addLayout(top)
        return frame

    def _scores(self) -> QWidget:
        r = self.report
        frame, box = card()
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        grid.setHorizontalSpacing(unit(self) * 2)
        good, bad = css(GOOD), css(BAD)
        for row, dim in enumerate(DIMENSIONS):
            name = QLabel(f"<b>{DIMENSION_TITLES[dim]}</b>")
            score = r["scores"].get(dim)
            bar = ScoreBar(score)
            if isinstance(score, (int, float)):
                bar.number.setStyleSheet(f"color: {css(score_color(score))}")
            bar.setAccessibleName(f"{DIMENSION_TITLES[dim]} score")
            bar.setMinimumWidth(self.fontMetrics().horizontalAdvance("0") * 14)
            raised, lowered = evidence_items(r, dim, limit=3)
            lines = [f"<span style='color:{good}'>▲</span> {html.escape(tidy(e.get('reason')))}"
                     + (f" <span style='color:{self.dim}'>— {evidence_link(e, dim)}</span>") for e in raised]
            lines += [f"<span style='color:{bad}'>▼</span> {html.escape(tidy(e.get('reason')))}"
                      + (f" <span style='color:{self.dim}'>— {evidence_link(e, dim)}</span>") for e in lowered]
            detail = self._link(wrap_label("<br>".join(lines) or "No evidence was recorded.", rich=True))
            detail.setAccessibleName(f"Why {DIMENSION_TITLES[dim].lower()} scored {score}")
            why = Disclosure("Why?", "Hide", detail)
            why.layout().removeWidget(detail)  # the toggle sits beside the bar, the detail beneath both
            grid.addWidget(name, row * 2, 0)
            grid.addWidget(bar, row * 2, 1)
            grid.addWidget(why, row * 2, 2)
            grid.addWidget(detail, row * 2 + 1, 1, 1, 2)
        box.addLayout(grid)
        return frame

    def _key_points(self) -> QWidget:
        kp = self.report["key_points"]
        frame, box = card()
        total = len(kp["covered"]) + len(kp["recovered"]) + len(kp["missed"])
        later = f", {len(kp['recovered'])} more after a follow-up" if kp["recovered"] else ""
        box.addWidget(heading(f"Key points: {len(kp['covered'])} of {total} covered{later}" if total else "Key points",
                              SUB))
        good, bad = css(GOOD), css(BAD)
        named = set(kp.get("named") or [])
        missed = "".join(f"<span style='color:{bad}'>✗</span> {html.escape(k)}"
                         + (f" <span style='color:{self.dim}'>{NAMED_NOTE}</span>" if k in named else "") + "<br>"
                         for k in kp["missed"])
        missed += "".join(f"<span style='color:{good}'>↻</span> {html.escape(k)} <span style='color:{self.dim}'>"
                          "(after the follow-up)</span><br>" for k in kp["recovered"])
        if missed:
            box.addWidget(wrap_label(missed, rich=True))
        covered = "".join(f"<span style='color:{good}'>✓</span> {html.escape(k)}<br>" for k in kp["covered"])
        if covered:
            box.addWidget(Disclosure(f"Show the {plural(len(kp['covered']), 'point')} you covered",
                                     "Hide the covered points", wrap_label(covered, rich=True)))
        if not total:
            box.addWidget(caption("This session had no key points to check."))
        return frame
