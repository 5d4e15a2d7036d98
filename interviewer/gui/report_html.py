"""HTML for reports (no Qt): the transcript on screen, and the exported documents.

Pure functions over the dicts from app/report_data (and drills.drill_report); colours come
in as arguments (the screen passes palette-derived ones, the export passes print colours).
The exported interview report has the same content as the screen, in the same order:
the overall picture, what to work on next, the rehearsal's pitch (for a rehearsal), the
scores with their evidence, the key points, then each question on a page of its own.
"""

from __future__ import annotations

import html
from datetime import datetime

from ..analysis.followup import verdict_words
from ..app.coaching import headline, priorities
from ..app.report_data import DIMENSION_TITLES, DIMENSIONS, NAMED_NOTE, format_title
from .drill_text import VERDICT_TEXT, fmt_target, pace_sentence, verdict_sentence
from .wording import clock, plural, tidy

PRINT_COLORS = {"text": "#1c2026", "dim": "#5a6270", "filler": "#ffd8a8", "hedge": "#d0e2ff", "pause": "#5a6270",
                "good": "#1a7f37", "bad": "#c42b2b", "warn": "#9a6300", "rule": "#cfd5dd", "accent": "#2458c6"}
TURN_TITLES = {"answer": "Your answer", "follow_up": "Follow-up", "clarification": "Clarifying question"}


def fmt_time(seconds: float | None) -> str:
    return clock(seconds)


def fmt_when(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        return datetime.fromisoformat(iso).strftime("%d %b %Y, %H:%M")
    except ValueError:
        return iso


def _norm(token: str) -> str:
    return "".join(ch for ch in token.lower() if ch.isalnum() or ch == "'")


def word_marks(words: list[dict], analysis: dict | None) -> tuple[dict[int, str], list[tuple[float, str]]]:
    """Which word indexes to highlight ("filler" or "hedge") and what to insert between
    words (acoustic fillers Whisper dropped, long pauses) as (time, label)."""
    a = analysis or {}
    marks: dict[int, str] = {}
    inserts: list[tuple[float, str]] = []

    def place(phrase: str, start: float, kind: str) -> bool:
        tokens = [_norm(t) for t in phrase.split() if _norm(t)]
        best, best_d = None, 1.2
        for i, w in enumerate(words):
            d = abs(float(w.get("start", 0.0)) - start)
            if tokens and _norm(w.get("word", "")) == tokens[0]:
                d -= 0.5  # the same word a little further away beats a different word nearby
            if d < best_d:
                best, best_d = i, d
        if best is None:
            return False
        for k in range(best, min(len(words), best + max(1, len(tokens)))):
            marks.setdefault(k, kind)
        return True

    for f in a.get("fillers") or []:
        if f.get("start") is None:
            continue
        if f.get("source") == "acoustic":
            inserts.append((float(f["start"]), "(um)"))
        elif not place(str(f.get("word", "")), float(f["start"]), "filler"):
            inserts.append((float(f["start"]), f"({f.get('word', 'um')})"))
    for h in a.get("hedges") or []:
        if h.get("start") is not None:
            place(str(h.get("word", "")), float(h["start"]), "hedge")
    for p in a.get("pauses") or []:
        inserts.append((float(p["start"]), f"[pause {float(p['duration']):.0f} s]"))
    inserts.sort()
    return marks, inserts


def transcript_html(turn: dict, turn_index: int, colors: dict, clickable: bool = True) -> str:
    """The answer's words, each a link `w:<index>` (the transcript view finds them by it);
    fillers and hedges tinted, long pauses and dropped fillers shown in between."""
    words = (turn.get("transcript") or {}).get("words") or []
    if not words:
        text = (turn.get("transcript") or {}).get("text") or ""
        return f"<p>{html.escape(text) or '<i>(no speech was recognised)</i>'}</p>"
    marks, inserts = word_marks(words, turn.get("analysis"))
    out = []
    pending = list(inserts)
    for i, w in enumerate(words):
        start = float(w.get("start", 0.0))
        while pending and pending[0][0] <= start:
            _, label = pending.pop(0)
            out.append(f'<span style="color:{colors["pause"]}"><i>{html.escape(label)}</i></span>')
        token = html.escape(str(w.get("word", "")).strip())
        kind = marks.get(i)
        if kind:
            token = f'<span style="background-color:{colors[kind]}">{token}</span>'
        if clickable:
            token = f'<a href="w:{i}">{token}</a>'
        out.append(token)
    for _, label in pending:
        out.append(f'<span style="color:{colors["pause"]}"><i>{html.escape(label)}</i></span>')
    return "<p style='line-height:150%'>" + " ".join(out) + "</p>"


def legend_html(colors: dict) -> str:
    return (f'<span style="background-color:{colors["filler"]}">&nbsp;filler&nbsp;</span> &nbsp; '
            f'<span style="background-color:{colors["hedge"]}">&nbsp;hedge&nbsp;</span> &nbsp; '
            f'<span style="color:{colors["pause"]}"><i>[pause]</i></span>')


def evidence_items(report: dict, dim: str, limit: int = 3) -> tuple[list[dict], list[dict]]:
    ev = report["evidence"].get(dim) or {"raised": [], "lowered": []}
    lowered = sorted(ev["lowered"], key=lambda e: e.get("points") or 0)[:limit]
    return ev["raised"][:limit], lowered


def evidence_line(item: dict) -> str:
    """One piece of evidence in words: "not found in the answer (Q1)"."""
    where = f"Q{item['question']}" if item.get("question") else ""
    text = tidy(item.get("evidence") or item.get("text") or "")
    return f"{text} ({where})" if text and where else (text or where)


def _esc(value) -> str:
    return html.escape(str(value)) if value is not None else ""


def subtitle(report: dict, with_format: bool = True) -> str:
    dur = report.get("duration_s")
    return " · ".join(x for x in (
        format_title(report.get("format")) if with_format else "", f"{(report.get('mode') or 'study').title()} mode",
        fmt_when(report.get("started_at")),
        f"{plural(len(report['questions']), 'question')}, {plural(report['follow_ups']['asked'], 'follow-up')}",
        f"{int(dur // 60)} min {int(dur % 60)} s" if isinstance(dur, (int, float)) else "",
        "answered by the demo's recordings" if report.get("demo") else "",
        "not finished" if report.get("status") == "incomplete" else "") if x)


_STYLE = ("body{{font-family:sans-serif;color:{text};max-width:50em;margin:auto;line-height:140%}}"
          " h1{{font-size:170%;margin-bottom:0.1em}} h2{{font-size:130%;margin-top:1.2em;margin-bottom:0.3em}}"
          " h3{{font-size:110%;margin-bottom:0.2em}} .dim{{color:{dim}}} td,th{{padding:3px 8px;text-align:left;"
          "vertical-align:top}} th{{color:{dim};font-weight:normal}} .good{{color:{good}}} .bad{{color:{bad}}}"
          " .big{{font-size:300%;font-weight:bold}} hr{{border:0;border-top:1px solid {rule}}}"
          " .card{{border:1px solid {rule};padding:8px}} table{{page-break-inside:avoid}}")


def block(html_text: str, break_before: bool = False) -> str:
    """A section that moves to the next page whole rather than leave its heading, or a line
    or two, stranded at a page's foot: a one-cell table (Qt keeps a table row together when
    it fits on a page; browsers show it as a plain block)."""
    if not html_text:
        return ""
    style = " style='page-break-before:always'" if break_before else ""
    return f"<table width='100%' cellspacing='0' cellpadding='0'{style}><tr><td>{html_text}</td></tr></table>"


def _page(title: str, body: list[str], c: dict) -> str:
    footer = (f"<p class='dim'>Legend: {legend_html(c)}</p><p class='dim'>Made offline by the ML mock interviewer. "
              "Nothing left this computer.</p>")
    end = "</td></tr></table>"
    if body and body[-1].endswith(end):  # inside the last section: never a page of its own
        body = [*body[:-1], body[-1][:-len(end)] + footer + end]
    else:
        body = [*body, footer]
    return ("<html><head><meta charset='utf-8'><title>" + _esc(title) + "</title><style>" + _STYLE.format(**c)
            + "</style></head><body>" + "".join(body) + "</body></html>")


def priorities_html(report: dict, c: dict) -> str:
    items = []
    for p in priorities(report):
        where = ", ".join(f"Q{n}" for n in p["questions"])
        evidence = "<br>".join(_esc(evidence_line(e)) for e in p["evidence"][:3])
        items.append(f"<li><b>{_esc(p['tip'])}</b><br><span class='dim'>{_esc(p['area_title'])} · {where}</span>"
                     + (f"<br><span class='dim'>{evidence}</span>" if evidence else "") + "</li>")
    return ("<h2>What to work on next</h2><ol>" + "".join(items) + "</ol>") if items else ""


def _named(named: bool) -> str:
    return f" <span class='dim'>{NAMED_NOTE}</span>" if named else ""


def key_points_html(kp: dict, c: dict) -> str:
    rows = "".join(f"<span class='bad'>✗</span> {_esc(k)}{_named(k in (kp.get('named') or []))}<br>"
                   for k in kp.get("missed") or [])
    rows += "".join(f"<span class='good'>↻</span> {_esc(k)} <span class='dim'>(after the follow-up)</span><br>"
                    for k in kp.get("recovered") or [])
    rows += "".join(f"<span class='good'>✓</span> {_esc(k)}<br>" for k in kp.get("covered") or [])
    return f"<h2>Key points</h2><p>{rows or '–'}</p>"


def rehearsal_html(summary: dict, c: dict) -> list[str]:
    """The pitch timing, the structure checklist and the follow-ups: three sections."""
    parts = ["<h2>Pitch timing</h2>"]
    timing = summary.get("timing")
    if timing and timing["verdict"] != "no speech":
        parts.append(f"<p><b>{_esc(VERDICT_TEXT.get(timing['verdict'], timing['verdict']))}</b> · "
                     f"{_esc(verdict_sentence(timing).replace('target', 'pitch target'))}</p>")
        if timing.get("parts"):
            parts.append("<p>" + "<br>".join(f"{n}. {_esc(p['label'])} <span class='dim'>from {clock(p['start'])}, "
                                              f"{p['seconds']:.0f} s</span>"
                                              for n, p in enumerate(timing["parts"], 1)) + "</p>")
    else:
        parts.append(f"<p>No speech was heard in the pitch (target {clock(summary['target_s'])}).</p>")
    sections = ["".join(parts)]
    found = sum(1 for e in summary["elements"] if e["found"])
    parts = [f"<h2>Pitch structure</h2><p>{found} of {len(summary['elements'])} parts of a project pitch "
             "were heard.</p><table>"]
    for e in summary["elements"]:
        if e["found"]:
            at = f" at {clock(e['start'])}" if e.get("start") is not None else ""
            parts.append(f"<tr><td><span class='good'>✓</span> <b>{_esc(e['title'])}</b></td><td>found{at}: "
                         f"<span class='dim'>“{_esc(e.get('evidence') or '')}”</span></td></tr>")
        else:
            expected = f" <span class='dim'>— {_esc(e['expected'])}</span>" if e.get("expected") else ""
            parts.append(f"<tr><td><span class='bad'>✗</span> <b>{_esc(e['title'])}</b></td>"
                         f"<td>{_esc(e['missing_text'])}{expected}"
                         "</td></tr>")
    parts.append("</table>")
    sections.append("".join(parts))
    parts = ["<h2>Follow-ups</h2>"]
    if summary["follow_ups"]:
        parts.append("<ol>")
        for f in summary["follow_ups"]:
            how = f" ({f['how']})" if f.get("how") and f["addressed"] else ""
            verdict = "" if f["addressed"] is None else (
                f" · <span class='good'>answered{_esc(how)}</span>" if f["addressed"]
                else " · <span class='bad'>not answered</span>")
            where = "on the pitch" if f["on_pitch"] else f"on question {f['question']}"
            about = f" · about {_esc(f['target_label'])}" if f.get("target_label") else ""
            parts.append(f"<li><b>{_esc(f['text'])}</b><br><span class='dim'>{where}{about}</span>{verdict}"
                         + (f"<br>You: {_esc(f['answer'][:300])}" if f.get("answer") else "") + "</li>")
        parts.append("</ol>")
    else:
        parts.append("<p>The interviewer asked no follow-ups.</p>")
    sections.append("".join(parts))
    return sections


def document_html(report: dict, charts: dict[int, str] | None = None, colors: dict | None = None,
                  rehearsal: dict | None = None) -> str:
    """The standalone interview (or rehearsal) report. `charts` maps question number ->
    image src; `rehearsal` is rehearsal_data.rehearsal_summary() for a rehearsal."""
    c = colors or PRINT_COLORS
    charts = charts or {}
    s = report["scores"]
    title = (f"Project rehearsal: {rehearsal['title']}" if rehearsal and rehearsal.get("title") else
             "Project rehearsal" if rehearsal else "Interview report")
    overall = s.get("overall")
    body = [f"<h1>{_esc(title)}</h1><p class='dim'>{_esc(subtitle(report))}</p>",
            f"<table class='card'><tr><td><span class='big'>{_esc(overall if overall is not None else '–')}</span>"
            f"<br><span class='dim'>out of 100</span></td><td>{_esc(headline(report))}</td></tr></table>",
            block(priorities_html(report, c))]
    if rehearsal:
        body.extend(block(part) for part in rehearsal_html(rehearsal, c))
    scores = ["<h2>Scores</h2><table><tr><th>Area</th><th>Score</th><th>What raised it</th>"
              "<th>What lowered it</th></tr>"]
    for dim in DIMENSIONS:
        raised, lowered = evidence_items(report, dim, limit=2)
        fmt = lambda items: "<br>".join(  # noqa: E731
            f"{_esc(tidy(e.get('reason')))} <span class='dim'>({_esc(evidence_line(e))})</span>" for e in items) or "–"
        score = s.get(dim) if s.get(dim) is not None else "–"
        scores.append(f"<tr><td>{DIMENSION_TITLES[dim]}</td><td><b>{_esc(score)}</b></td><td>{fmt(raised)}</td>"
                      f"<td>{fmt(lowered)}</td></tr>")
    scores.append("</table>")
    body.append(block("".join(scores)))
    body.append(block(key_points_html(report["key_points"], c)))
    for n, q in enumerate(report["questions"], 1):
        body.append(question_html(n, q, charts.get(n), c))
    return _page(title, body, c)


def question_html(n: int, q: dict, chart: str | None, c: dict) -> str:
    qs = q.get("scores") or {}
    # each question starts a page: its heading is never stranded at the foot of the last one
    head = (f"<h2>Q{n}. {_esc(q.get('prompt'))}</h2><p class='dim'>{_esc(format_title(q.get('category')))}"
            + (" · " + ", ".join(f"{DIMENSION_TITLES[d]} {qs[d]}" for d in (*DIMENSIONS, 'overall')
                                 if qs.get(d) is not None) if qs else "") + "</p>")
    if chart:
        head += f"<p><img src='{chart}'></p>"
    parts = [block(head, break_before=True)]  # each question starts a page
    for k, t in enumerate(q["turns"]):
        turn = f"<p><b>Interviewer:</b> {_esc(t['interviewer_text'])}</p>" if t["kind"] != "answer" else ""
        turn += f"<h3>{TURN_TITLES.get(t['kind'], t['kind'])}</h3>" + transcript_html(t, k, c, clickable=False)
        if t.get("assessment"):
            a = t["assessment"]
            how = verdict_words(a) or ("addressed" if a.get("addressed") else "not addressed")
            turn += (f"<p class='dim'>Follow-up on “{_esc(a.get('label') or a.get('target'))}”: {_esc(how)}"
                     f" – {_esc(a.get('reason') or '')}</p>")
        parts.append(block(turn))
    main = q.get("main") or {}
    kps = main.get("key_points") or {}
    if kps:
        recovered = q.get("recovered") or []
        parts.append(block("<p>" + "".join(f"<span class='good'>✓</span> {_esc(q['labels'].get(k, k))}<br>"
                                     for k in kps.get("covered") or [])
                     + "".join(f"<span class='good'>↻</span> {_esc(q['labels'].get(k, k))} "
                               f"<span class='dim'>(after the follow-up)</span><br>" for k in recovered)
                     + "".join(f"<span class='bad'>✗</span> {_esc(q['labels'].get(k, k))}"
                               f"{_named(k in (q.get('named') or []))}<br>"
                               for k in kps.get("missed") or [] if k not in recovered) + "</p>"))
    credit = q.get("credit") or {}
    tips = [t for t in main.get("feedback") or [] if t.get("key_point") not in credit][:3]
    if tips:
        parts.append(block("<ul>" + "".join(f"<li>{_esc(t.get('tip'))} <span class='dim'>"
                                            f"({_esc(tidy(t.get('evidence')))})</span></li>" for t in tips) + "</ul>"))
    return "".join(parts)


def drill_document_html(report: dict, prompt: str, images: dict[str, str] | None = None,
                        colors: dict | None = None) -> str:
    """The timed drill's report: the verdict, where the time went, the pace, what to cut and
    to add, the scores. `images` may hold "timeline" and "pace" image srcs."""
    c = colors or PRINT_COLORS
    images = images or {}
    who = "for a non-expert" if report.get("audience") == "non_expert" else "for an interviewer"
    verdict = VERDICT_TEXT.get(report["verdict"], report["verdict"])
    color = {"on time": c["good"], "over": c["bad"]}.get(report["verdict"], c.get("warn", c["text"]))
    body = [f"<h1>Timed drill</h1><p class='dim'>{_esc(prompt)} · target {fmt_target(report['target_s'])}, {who}"
            + (" · answered by the demo's recordings" if report.get("demo") else "") + "</p>",
            f"<p><span class='big' style='color:{color}'>{_esc(verdict)}</span></p>"
            f"<p>{_esc(verdict_sentence(report))} Time used runs from your first word to your last.</p>"]
    where = "<h2>Where the time went</h2>"
    if images.get("timeline"):
        where += f"<p><img src='{images['timeline']}'></p>"
    where += "<p>" + ("<br>".join(f"{n}. {_esc(p['label'])} <span class='dim'>from {clock(p['start'])}, "
                                  f"{p['seconds']:.0f} s ({p['share'] * 100:.0f} %)</span>"
                                  for n, p in enumerate(report["parts"], 1))
                      or "No part of a good explanation was recognised.") + "</p>"
    body.append(block(where))
    pace = f"<h2>Pace</h2><p>{_esc(pace_sentence(report.get('wpm')))}</p>"
    if images.get("pace"):
        pace += f"<p><img src='{images['pace']}'></p>"
    body.append(block(pace))
    for title, key, empty in (("What to cut", "cut", "Nothing to cut."),
                              ("What to add", "add", "Nothing to add: every part was there.")):
        items = "".join(f"<li>{_esc(e['tip'])}<br><span class='dim'>{_esc(tidy(e['evidence']))}</span></li>"
                        for e in report[key])
        body.append(block(f"<h2>{title}</h2>" + (f"<ul>{items}</ul>" if items else f"<p class='dim'>{empty}</p>")))
    scores = report.get("scores") or {}
    body.append(block("<h2>Scores</h2><p>" + " · ".join(
        f"{DIMENSION_TITLES[d]} <b>{_esc(scores.get(d, '–'))}</b>" for d in (*DIMENSIONS, "overall")) + "</p>"))
    return _page("Timed drill report", body, c)
