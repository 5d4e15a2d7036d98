"""HTML for reports: the clickable transcript on screen and the exported document.

Pure functions over the dict from `report_data`; colours come in as arguments (the
screen passes palette-derived ones, the export passes print colours).
"""

from __future__ import annotations

import html
from datetime import datetime

from ..app.report_data import DIMENSION_TITLES, DIMENSIONS, format_title

PRINT_COLORS = {"text": "#1f2328", "dim": "#59636e", "filler": "#ffd8a8", "hedge": "#d0e2ff", "pause": "#59636e",
                "good": "#1a7f37", "bad": "#cf222e", "rule": "#d0d7de"}


def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return ""
    s = max(0.0, float(seconds))
    return f"{int(s // 60)}:{s % 60:04.1f}"


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
        inserts.append((float(p["start"]), f"[pause {float(p['duration']):.1f} s]"))
    inserts.sort()
    return marks, inserts


def transcript_html(turn: dict, turn_index: int, colors: dict, clickable: bool = True) -> str:
    """The answer's words, each a link `seek:<turn>/<seconds>`; fillers and hedges tinted."""
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
        token = html.escape(str(w.get("word", "")))
        kind = marks.get(i)
        if kind:
            token = f'<span style="background-color:{colors[kind]}">{token}</span>'
        if clickable:
            token = f'<a href="seek:{turn_index}/{start:.2f}">{token}</a>'
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


def _esc(value) -> str:
    return html.escape(str(value)) if value is not None else ""


def document_html(report: dict, charts: dict[int, str] | None = None, colors: dict | None = None) -> str:
    """A standalone report document (for export). `charts` maps question number -> image src."""
    c = colors or PRINT_COLORS
    charts = charts or {}
    s = report["scores"]
    parts = [
        "<html><head><meta charset='utf-8'><title>Interview report</title>",
        f"<style>body{{font-family:sans-serif;color:{c['text']};max-width:52em;margin:auto}}"
        f" h1,h2,h3{{margin-bottom:0.2em}} .dim{{color:{c['dim']}}} td,th{{padding:3px 8px;text-align:left}}"
        f" .good{{color:{c['good']}}} .bad{{color:{c['bad']}}} hr{{border:0;border-top:1px solid {c['rule']}}}</style>",
        "</head><body>",
        f"<h1>Interview report</h1><p class='dim'>{_esc(format_title(report.get('format')))} · "
        f"{_esc((report.get('mode') or '').title())} mode · {_esc(fmt_when(report.get('started_at')))}"
        f" · {len(report['questions'])} question(s), {report['follow_ups']['asked']} follow-up(s)</p>",
        f"<h2>Overall: {_esc(s.get('overall') if s.get('overall') is not None else '–')} / 100</h2>",
        "<table><tr><th>Dimension</th><th>Score</th><th>What raised it</th><th>What lowered it</th></tr>",
    ]
    for dim in DIMENSIONS:
        raised, lowered = evidence_items(report, dim)
        fmt = lambda items: "<br>".join(  # noqa: E731
            f"{_esc(e.get('reason'))}" + (f" <span class='dim'>({_esc(e.get('evidence'))}, Q{e['question']})</span>"
                                          if e.get("evidence") else f" <span class='dim'>(Q{e['question']})</span>")
            for e in items) or "–"
        parts.append(f"<tr><td>{DIMENSION_TITLES[dim]}</td><td><b>{_esc(s.get(dim) if s.get(dim) is not None else '–')}</b></td>"
                     f"<td>{fmt(raised)}</td><td>{fmt(lowered)}</td></tr>")
    parts.append("</table>")
    kp = report["key_points"]
    parts.append("<h3>Key points</h3><p>" + (
        "".join(f"<span class='good'>✓</span> {_esc(k)}<br>" for k in kp["covered"]) +
        "".join(f"<span class='good'>↻</span> {_esc(k)} <span class='dim'>(after the follow-up)</span><br>"
                for k in kp.get("recovered", [])) +
        "".join(f"<span class='bad'>✗</span> {_esc(k)}<br>" for k in kp["missed"]) or "–") + "</p>")
    if report["tips"]:
        parts.append("<h3>What to work on</h3><ul>" + "".join(
            f"<li>{_esc(t.get('tip'))} <span class='dim'>({_esc(t.get('evidence'))}; Q{t['question']})</span></li>"
            for t in report["tips"][:8]) + "</ul>")
    for n, q in enumerate(report["questions"], 1):
        qs = q.get("scores") or {}
        parts.append("<hr>")
        parts.append(f"<h2>Q{n}. {_esc(q.get('prompt'))}</h2><p class='dim'>{_esc(format_title(q.get('category')))}"
                     + (" · " + ", ".join(f"{DIMENSION_TITLES[d]} {qs[d]}" for d in (*DIMENSIONS, 'overall')
                                          if qs.get(d) is not None) if qs else "") + "</p>")
        if n in charts:
            parts.append(f"<p><img src='{charts[n]}' width='640'></p>")
        for k, t in enumerate(q["turns"]):
            who = {"answer": "Your answer", "follow_up": "Follow-up", "clarification": "Clarifying question"}.get(
                t["kind"], t["kind"])
            if t["kind"] != "answer":
                parts.append(f"<p><b>Interviewer:</b> {_esc(t['interviewer_text'])}</p>")
            parts.append(f"<p><b>{who}</b></p>" + transcript_html(t, k, c, clickable=False))
            if t.get("assessment"):
                a = t["assessment"]
                parts.append(f"<p class='dim'>Follow-up on “{_esc(a.get('label') or a.get('target'))}”: "
                             f"{_esc(a.get('directness_label') or ('addressed' if a.get('addressed') else 'not addressed'))}"
                             f" – {_esc(a.get('reason') or '')}</p>")
        main = q.get("main") or {}
        kps = main.get("key_points") or {}
        if kps:
            recovered = q.get("recovered") or []
            parts.append("<p>" + "".join(f"<span class='good'>✓</span> {_esc(q['labels'].get(k, k))}<br>"
                                         for k in kps.get("covered") or [])
                         + "".join(f"<span class='good'>↻</span> {_esc(q['labels'].get(k, k))} "
                                   f"<span class='dim'>(after the follow-up)</span><br>" for k in recovered)
                         + "".join(f"<span class='bad'>✗</span> {_esc(q['labels'].get(k, k))}<br>"
                                   for k in kps.get("missed") or [] if k not in recovered) + "</p>")
        if main.get("feedback"):
            parts.append("<ul>" + "".join(f"<li>{_esc(t.get('tip'))} <span class='dim'>({_esc(t.get('evidence'))})</span></li>"
                                          for t in main["feedback"]) + "</ul>")
    parts.append(f"<p class='dim'>Legend: {legend_html(c)}</p>")
    parts.append("<p class='dim'>Made offline by the ML mock interviewer. Nothing left this computer.</p></body></html>")
    return "".join(parts)
