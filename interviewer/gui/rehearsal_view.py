"""The project rehearsal's part of the report: the pitch's timing against its target, the
structure checklist (problem, data, approach, results, impact, lessons: found, with the
words that showed it, or missing), then the follow-ups and whether each was answered.

`rehearsal_summary(report, bank)` reads it all from the ordinary report (report_data), so
a rehearsal reopened from History shows the same; `RehearsalSection` draws it.
"""

from __future__ import annotations

import html

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from .drill_widgets import DrillTimeline, part_colors
from .pacing_chart import fmt_clock
from .palette import BAD, GOOD, css, text_color
from .report_page import heading, wrap_label

ELEMENTS = ("problem", "data", "approach", "results", "impact", "lessons")
ELEMENT_TITLES = {"problem": "Problem", "data": "Data", "approach": "Approach", "results": "Results",
                  "impact": "Impact", "lessons": "Lessons"}


def is_pitch(question: dict) -> bool:
    return str(question.get("id") or "").startswith("proj-pitch")


def project_title(prompt: str, template: str | None) -> str | None:
    """The project's title, recovered from the pitch prompt the bank's template produced."""
    if not template or "{project}" not in template:
        return None
    before, after = template.split("{project}", 1)
    if prompt.startswith(before) and prompt.endswith(after) and len(prompt) > len(before) + len(after):
        return prompt[len(before):len(prompt) - len(after)]
    return None


def structure_parts(analysis: dict, structure: dict, used_s: float) -> list[dict]:
    """Where the pitch's time went, by the structure elements heard (the checklist's own
    evidence): each runs from where it starts to where the next one starts."""
    speech_start = float(analysis.get("speech_start") or 0.0)
    speech_end = float(analysis.get("speech_end") or analysis.get("duration_s") or 0.0)
    starts = sorted((float(e["start"]), name) for name, e in structure.items()
                    if e.get("found") and e.get("start") is not None and name in ELEMENT_TITLES)
    parts = []
    for i, (start, name) in enumerate(starts):
        begin = speech_start if i == 0 else start
        end = starts[i + 1][0] if i + 1 < len(starts) else speech_end
        seconds = max(0.0, end - begin)
        parts.append({"part": name, "label": ELEMENT_TITLES[name], "start": round(begin, 1),
                      "seconds": round(seconds, 1), "share": round(seconds / used_s, 2) if used_s else 0.0})
    return parts


def rehearsal_summary(report: dict, bank=None) -> dict | None:
    """{title, pitch_question, target_s, used_s, timing (a drill report), elements, follow_ups}, or
    None when the report is not a project rehearsal (no pitch question)."""
    questions = report.get("questions") or []
    pitch = next((q for q in questions if is_pitch(q)), None)
    if pitch is None:
        return None
    main = pitch.get("main") or {}
    bank_q = getattr(bank, "questions", {}).get(pitch["id"]) if bank is not None else None
    target = int(main.get("target_seconds") or getattr(bank_q, "target_seconds", 0) or
                 (180 if "three" in pitch["id"] else 120))
    timing = None
    if main:
        from ..drills import drill_report

        if bank_q is not None:
            timing = drill_report(bank_q, main, target)
        else:  # no bank: the same numbers without the labels of what is missing
            from ..bank import KeyPoint, Question

            kps = [KeyPoint(id=k, label=pitch.get("labels", {}).get(k, k), cues=[k]) for k in ELEMENTS]
            timing = drill_report(Question(id=pitch["id"], category="project", prompt=pitch.get("prompt") or "x",
                                           key_points=kps, difficulty=1, target_seconds=target), main, target)
    structure = {e.get("name"): e for e in (main.get("structure") or {}).get("elements") or []}
    if timing is not None:
        timing["parts"] = structure_parts(main, structure, timing["used_s"])
    elements = []
    for name in ELEMENTS:
        e = structure.get(name) or {}
        elements.append({"name": name, "title": ELEMENT_TITLES[name], "found": bool(e.get("found")),
                         "evidence": e.get("evidence"), "start": e.get("start"), "markers": e.get("markers") or [],
                         "expected": (pitch.get("labels") or {}).get(name)})
    follow_ups = []
    for qn, q in enumerate(questions, 1):
        for t in q.get("turns") or []:
            if t.get("kind") != "follow_up":
                continue
            a = t.get("assessment") or {}
            follow_ups.append({"question": qn, "on_pitch": is_pitch(q), "text": t.get("interviewer_text") or "",
                               "targets": t.get("targets"),
                               "target_label": ELEMENT_TITLES.get(t.get("targets") or "", "").lower() or
                               str((q.get("labels") or {}).get(t.get("targets") or "", t.get("targets") or ""))
                               .split(" - ")[0],
                               "addressed": a.get("addressed"), "how": a.get("directness_label"),
                               "reason": a.get("reason"),
                               "answer": ((t.get("transcript") or {}).get("text") or "").strip()})
    title = project_title(pitch.get("prompt") or "", getattr(bank_q, "prompt", None))
    return {"title": title, "pitch_question": pitch.get("prompt"), "target_s": target,
            "used_s": timing["used_s"] if timing else None, "timing": timing, "elements": elements,
            "follow_ups": follow_ups, "deep_dives": sum(1 for q in questions if not is_pitch(q))}


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
        lay.addWidget(heading("Pitch timing", 1.2))
        if timing and timing["verdict"] != "no speech":
            from .drill_page import VERDICT_TEXT, verdict_color, verdict_sentence

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
        lay.addWidget(heading("Pitch structure", 1.2))
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
                            f"<td>missing<span style='color:{dim}'>{expected}</span></td></tr>")
        found = sum(1 for e in summary["elements"] if e["found"])
        self.checklist = wrap_label(f"<p>{found} of {len(summary['elements'])} parts of a project pitch were heard."
                                    f"</p><table cellpadding='3'>{''.join(rows)}</table>", rich=True)
        self.checklist.setAccessibleName("Pitch structure checklist")
        lay.addWidget(self.checklist)

        # the follow-ups
        lay.addWidget(heading("Follow-ups", 1.2))
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
