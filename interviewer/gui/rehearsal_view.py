"""The project rehearsal's part of the report on screen: the pitch's timing against its
target, the structure checklist, then the follow-ups and whether each was answered.
The numbers come from rehearsal_data.rehearsal_summary (no Qt); this draws them."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from .drill_text import VERDICT_TEXT, verdict_sentence
from .drill_widgets import DrillTimeline, part_colors, verdict_color
from .palette import BAD, GOOD, css, text_color
from .theme import SECTION
from .ui import heading, wrap_label
from .wording import clock as fmt_clock


class RehearsalSection(QWidget):
    """Pitch timing, the structure checklist, the follow-ups."""

    def __init__(self, summary: dict, palette, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = summary
        pal = palette
        dim = css(text_color(pal, dim=True))
        good, bad = css(GOOD), css(BAD)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)

        # the pitch's timing
        timing = summary.get("timing")
        lay.addWidget(heading("Pitch timing", SECTION))
        if timing and timing["verdict"] != "no speech":
            row = QHBoxLayout()
            self.verdict = heading(VERDICT_TEXT.get(timing["verdict"], timing["verdict"]), 1.6)
            self.verdict.setWordWrap(False)
            self.verdict.setStyleSheet(f"color: {css(verdict_color(timing['verdict']))}")
            self.verdict.setAccessibleName("Pitch timing verdict")
            self.timing_text = wrap_label(verdict_sentence(timing).replace("target", "pitch target")
                                          + (f" Pace {timing['wpm']:.0f} wpm." if timing.get("wpm") else ""))
            self.timing_text.setAccessibleName("Pitch time used against the target")
            row.addWidget(self.verdict)
            row.addSpacing(self.fontMetrics().height())
            row.addWidget(self.timing_text, 1)
            lay.addLayout(row)
            self.timeline = DrillTimeline()
            self.timeline.set_report(timing)
            lay.addWidget(self.timeline)
            colors = part_colors(pal, len(timing["parts"]))
            legend = " &nbsp; ".join(
                f"<span style='color:{css(c)}'>■</span> {n} {html.escape(p['label'])} "
                f"<span style='color:{dim}'>{fmt_clock(p['start'])}, {p['seconds']:.0f} s</span>"
                for n, (p, c) in enumerate(zip(timing["parts"], colors), 1))
            self.legend = wrap_label(legend, rich=True)
            lay.addWidget(self.legend)
        else:
            self.verdict = None
            self.timing_text = wrap_label(f"No speech was heard in the pitch (target {fmt_clock(summary['target_s'])}).")
            lay.addWidget(self.timing_text)

        # the structure checklist
        lay.addWidget(heading("Pitch structure", SECTION))
        rows = []
        for e in summary["elements"]:
            if e["found"]:
                at = f" at {fmt_clock(e['start'])}" if e.get("start") is not None else ""
                rows.append(f"<tr><td><span style='color:{good}'>✓</span> <b>{e['title']}</b></td>"
                            f"<td>found{at}: <span style='color:{dim}'>“{html.escape(str(e.get('evidence') or ''))}”"
                            "</span></td></tr>")
            else:
                expected = f" — {html.escape(e['expected'])}" if e.get("expected") else ""
                rows.append(f"<tr><td><span style='color:{bad}'>✗</span> <b>{e['title']}</b></td>"
                            f"<td>{html.escape(e['missing_text'])}<span style='color:{dim}'>{expected}</span></td></tr>")
        found = sum(1 for e in summary["elements"] if e["found"])
        self.checklist = wrap_label(f"<p>{found} of {len(summary['elements'])} parts of a project pitch were heard."
                                    f"</p><table cellpadding='3'>{''.join(rows)}</table>", rich=True)
        self.checklist.setAccessibleName("Pitch structure checklist")
        lay.addWidget(self.checklist)

        # the follow-ups
        lay.addWidget(heading("Follow-ups", SECTION))
        if summary["follow_ups"]:
            items = []
            for n, f in enumerate(summary["follow_ups"], 1):
                where = "on the pitch" if f["on_pitch"] else f"on question {f['question']}"
                if f["addressed"] is None:
                    verdict = ""
                else:
                    color = good if f["addressed"] else bad
                    label = "answered" if f["addressed"] else "not answered"
                    if f.get("how") and f["addressed"]:
                        label += f" ({f['how']})"
                    verdict = f" · <span style='color:{color}'>{html.escape(label)}</span>"
                about = f" · about {html.escape(str(f['target_label']))}" if f.get("target_label") else ""
                answer = f["answer"][:220] + ("…" if len(f["answer"]) > 220 else "")
                items.append(f"<li><b>{html.escape(f['text'])}</b><br><span style='color:{dim}'>{where}{about}</span>"
                             f"{verdict}" + (f"<br>You: {html.escape(answer)}" if answer else "") + "</li>")
            self.follow_ups = wrap_label(f"<ol style='margin-left:0'>{''.join(items)}</ol>", rich=True)
        else:
            self.follow_ups = wrap_label("The interviewer asked no follow-ups: the pitch covered what they would "
                                         "have asked about, or the persona allows none.")
        self.follow_ups.setAccessibleName("Follow-ups")
        lay.addWidget(self.follow_ups)
