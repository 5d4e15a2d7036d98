"""`interviewer history`: list, show, export, import and delete past sessions; progress,
due-today reviews and the 30/60/90-day plan.

cli/__init__.py wires it with::

    from .history import add_history_parser, cmd_history
    add_history_parser(sub, common)      # in build_parser()
    COMMANDS["history"] = cmd_history
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from ..errors import UserError

ACTIONS = ("list", "show", "delete", "export", "export-all", "import", "progress", "due", "plan")


def add_history_parser(subparsers, common_parent: argparse.ArgumentParser) -> argparse.ArgumentParser:
    from ..content.bank import CATEGORIES

    p = subparsers.add_parser(
        "history", parents=[common_parent], help="past sessions, progress and spaced practice",
        description="With no action: list sessions (newest first) with date, format, questions and scores.")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.add_argument("--search", metavar="TEXT", help="only sessions whose questions, answers or format mention TEXT")
    p.add_argument("--category", choices=CATEGORIES, help="only sessions with a question of this category")
    p.add_argument("--since", metavar="YYYY-MM-DD", type=_date, help="only sessions started on or after this day")
    p.add_argument("--incomplete", action="store_true", help="only sessions that were never finished")
    p.add_argument("--limit", type=int, default=20, help="how many sessions to list (0: all; default 20)")
    actions = p.add_subparsers(dest="history_command", metavar="ACTION")

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        a = actions.add_parser(name, parents=[common_parent], help=help_text)
        a.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print as JSON")
        return a

    a = action("show", "one session's full report")
    a.add_argument("session_id")
    a = action("delete", "delete a session and its recordings")
    a.add_argument("session_id")
    a.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    a = action("export", "copy one session (session.json + audio) into a folder")
    a.add_argument("session_id")
    a.add_argument("folder", type=Path)
    a = action("export-all", "write the whole history into one .zip archive")
    a.add_argument("archive", type=Path)
    a = action("import", "import an archive (.zip) or an exported session folder")
    a.add_argument("path", type=Path)
    action("progress", "trends per category and key point, strongest and weakest topics, streak")
    action("due", "questions whose spaced-practice review is due today")
    a = action("plan", "a 30/60/90-day plan with a weekly checklist")
    a.add_argument("--start", type=_date, help="first day of the plan (default: the first practice day, or today)")
    return p


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2025-01-31") from None


def _print_json(data) -> None:
    print(json.dumps(data, indent=2, default=str, ensure_ascii=False))


def _score(value) -> str:
    return "  -" if value is None else f"{value:3.0f}"


def format_sessions(rows: list[dict], total: int) -> str:
    if not rows:
        return ("No sessions yet. Finished interviews appear here: run one in the app (its demo counts) or with "
                "`interviewer interview`. (`interviewer demo` is a one-turn check and is not kept.)")
    lines = [f"{'session':24} {'date':16} {'format':14} {'mode':5} {'questions':30} "
             f"{'overall':>7} {'clarity':>7} {'pacing':>6} {'depth':>5} {'struct':>6}"]
    for r in rows:
        s = r["scores"]
        when = r["started_at"][:16].replace("T", " ")
        cats = ",".join(r["categories"])
        questions = f"{r['questions_answered']}/{r['questions_planned']} {cats}"
        flag = "" if r["status"] == "finished" else "  (incomplete)"
        lines.append(f"{r['id']:24} {when:16} {r['format'][:14]:14} {r['mode']:5} {questions[:30]:30} "
                     f"{_score(s['overall']):>7} {_score(s['clarity']):>7} {_score(s['pacing']):>6} "
                     f"{_score(s['depth']):>5} {_score(s['structure']):>6}{flag}")
    lines.append(f"\n{len(rows)} of {total} sessions. `interviewer history show ID` for a report.")
    return "\n".join(lines)


def format_report(r: dict) -> str:
    """A stored session as text: each question's thread, and its key points by label, credited
    wherever in the thread they were said (the report page's reading, app.report_data)."""
    from ..app.report_data import from_store

    s = r["scores"]
    lines = [f"Session {r['id']}  {r['started_at']}  {r['format']} ({r['mode']})  {r['status']}",
             f"Overall {_score(s['overall']).strip()}  clarity {_score(s['clarity']).strip()}  "
             f"pacing {_score(s['pacing']).strip()}  depth {_score(s['depth']).strip()}  "
             f"structure {_score(s['structure']).strip()}", ""]
    for q in from_store(r)["questions"]:
        for turn in q["turns"]:
            kind = turn["kind"]
            label = {"answer": "Q", "follow_up": "  follow-up", "clarification": "  clarification"}.get(kind, kind)
            overall = ((turn["analysis"] or {}).get("scores") or {}).get("overall")
            lines.append(f"{label} {q['id']}: {_score(overall).strip()}")
            lines.append(f"   {q['prompt'] if kind == 'answer' else turn['interviewer_text']}")
            if turn["audio_path"]:
                lines.append(f"   audio: {turn['audio_path']}")
        by_label = q.get("points") or {}
        for title, points in (("covered after a follow-up", by_label.get("recovered")), ("missed", by_label.get("missed"))):
            if points:
                lines.append(f"   {title}:")
                lines += [f"     - {_short(x, 88)}" for x in points]
    if r.get("partial_recordings"):
        lines.append("\nRecordings cut off by a crash (kept):")
        lines += [f"   {p['path']} ({p['duration_s'] or 0:.1f} s)" for p in r["partial_recordings"]]
    if r["status"] == "incomplete" and r.get("remaining_question_ids"):
        lines.append("\nNot reached: " + ", ".join(r["remaining_question_ids"]))
    return "\n".join(lines)


def format_progress(p: dict) -> str:
    st = p["streak"]
    t = p["totals"]
    lines = [f"{t['sessions']} sessions, {t['answers']} answers over {t['practice_days']} days. "
             f"Streak: {st['current']} day(s) (longest {st['longest']}). "
             f"Due today: {p['due_today']['questions']} question(s).", "", "By category:"]
    for cat, c in sorted(p["categories"].items()):
        change = c["change"]
        trend = "" if change is None else f"  ({'+' if change >= 0 else ''}{change:.0f} in the last 30 days)"
        lines.append(f"  {cat:15} {c['answers']:5} answers  overall {_score(c['scores']['overall'])}{trend}")
    if p["strongest"]:
        lines.append("\nStrongest: " + ", ".join(f"{x['topic']} ({x['overall']:.0f})" for x in p["strongest"]))
    if p["weakest"]:
        lines.append("Weakest:   " + ", ".join(f"{x['topic']} ({x['overall']:.0f})" for x in p["weakest"]))
    if p["weakest_key_points"]:
        lines.append("\nKey points you miss most:")
        lines += [f"  {k['question_id']}: {_short(k['label'])} — covered {k['covered']}/{k['attempts']}"
                  for k in p["weakest_key_points"][:8]]
    return "\n".join(lines)


def format_due(items: list[dict]) -> str:
    if not items:
        return "Nothing is due today."
    lines = []
    for e in items:
        why = []
        if e["low_score"]:
            why.append("low score last time")
        if e["key_points"]:
            why.append("missed: " + "; ".join(_short(k["label"]) for k in e["key_points"]))
        late = f", {e['overdue_days']} day(s) late" if e["overdue_days"] else ""
        lines.append(f"{e['question_id']} ({e['category']}{late}): {', '.join(why)}")
    return "\n".join(lines)


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def format_plan(p: dict) -> str:
    lines = [f"90-day plan {p['start']} to {p['end']}" + (f" (day {p['day']})" if p["day"] else "")]
    for phase in p["phases"]:
        lines.append(f"\n{phase['title']}: {phase['start']} to {phase['end']} ({phase['mode']} mode)")
        for w in (w for w in p["weeks"] if w["phase"] == phase["key"]):
            lines.append(f"  Week {w['week']} ({w['start']}){'  <- this week' if w['current'] else ''}")
            for item in w["checklist"]:
                box = "[ ]" if not item["done"] else "[x]"
                count = f" ({item['progress']}/{item['target']})" if item["target"] else ""
                lines.append(f"    {box} {item['text']}{count}")
    return "\n".join(lines)


def _confirm(question: str) -> bool:
    if not sys.stdin.isatty():
        return False
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")


READ_ONLY_ACTIONS = ("list", "show", "export", "export-all", "progress", "due", "plan")


def cmd_history(args, settings) -> int:
    """Run one history action. Whatever the database or the disk holds, the outcome is a
    result or a message with a fix: SQLite's errors are named by their real cause (busy,
    read-only, full, damaged), rows another program filled with garbage are reported, and
    reading works on a read-only or full disk."""
    import sqlite3

    from ..history import Store
    from ..history.db import db_error

    action = getattr(args, "history_command", None) or "list"
    store = Store.open(settings=settings, readonly_ok=action in READ_ONLY_ACTIONS)
    try:
        if store.readonly is not None:
            print(f"note: the history is open read-only: {store.readonly.problem}", file=sys.stderr)
        return _run(action, args, store)
    except sqlite3.DatabaseError as exc:
        raise db_error(exc, store.path) from None
    except OSError as exc:
        from ..errors import os_error

        target = {"export": "export to", "export-all": "write", "import": "import"}.get(action, "use")
        err = os_error(exc, f"{target} {exc.filename or 'the history'}")
        if action == "import":  # the import rolled back before this reached here
            err = UserError(f"{err.problem}. Nothing was changed", err.fix)
        raise err from None
    except (TypeError, ValueError, AttributeError, KeyError, IndexError) as exc:
        import logging

        logging.getLogger(__name__).error("history %s failed", action, exc_info=True, extra={"console": False})
        raise UserError(f"The history could not be read: {exc.__class__.__name__}: {exc} (a row in {store.path} "
                        "holds data this version does not expect, or this is a bug)",
                        "Other sessions are likely fine: `interviewer history` lists them and `history export ID` "
                        "saves one. The details are in the log file; please report it.") from None
    finally:
        store.close()


def _run(action: str, args, store) -> int:
    as_json = bool(getattr(args, "json", False))
    if action == "list":
        status = "incomplete" if getattr(args, "incomplete", False) else None
        filters = dict(search=getattr(args, "search", None), category=getattr(args, "category", None),
                       since=getattr(args, "since", None), status=status)
        limit = getattr(args, "limit", 20)
        if limit is not None and limit < 0:
            raise UserError("--limit must be 0 (all) or more", "Pass e.g. --limit 50.")
        rows = store.sessions(**filters, limit=None if not limit else limit)
        total = store.count_sessions(**filters)
        if as_json:
            _print_json({"total": total, "sessions": rows})
        else:
            print(format_sessions(rows, total))
            stale = store.incomplete_sessions()
            if stale and status is None:
                print(f"{len(stale)} session(s) were interrupted; `interviewer history --incomplete` lists them.")
    elif action == "show":
        report = store.session(args.session_id)
        _print_json(report) if as_json else print(format_report(report))
    elif action == "delete":
        store.session(args.session_id)  # a clear error for an unknown id, before asking
        if not args.yes and not _confirm(f"Delete session {args.session_id} and its recordings?"):
            raise UserError(f"Session {args.session_id} was not deleted",
                            "Pass --yes to delete without being asked.")
        result = store.delete_session(args.session_id)
        if as_json:
            _print_json(result)
        else:
            print(f"Deleted session {result['deleted']}: {result['answers']} answers, "
                  f"{result['files_removed']} audio files.")
            for f in result["files_failed"]:
                print(f"  could not remove {f}", file=sys.stderr)
        return 1 if result["files_failed"] else 0
    elif action == "export":
        folder = store.export_session(args.session_id, args.folder)
        _print_json({"folder": str(folder)}) if as_json else print(f"Exported to {folder}")
    elif action == "export-all":
        path = store.export_all(args.archive)
        _print_json({"archive": str(path)}) if as_json else print(f"Wrote {path}")
    elif action == "import":
        result = store.import_archive(args.path)
        if as_json:
            _print_json(result)
        else:
            print(f"Imported {len(result['imported'])} session(s)"
                  + (f"; {len(result['skipped'])} were already here" if result["skipped"] else "") + ".")
    elif action == "progress":
        from ..content.bank import load_bank

        data = store.progress(bank=load_bank())
        _print_json(data) if as_json else print(format_progress(data))
    elif action == "due":
        from ..content.bank import load_bank
        from ..app.practice import due_today

        items = due_today(store, load_bank())
        _print_json(items) if as_json else print(format_due(items))
    elif action == "plan":
        from ..content.bank import load_bank
        from ..app.practice import plan

        start = getattr(args, "start", None)
        if start is None:
            first = store.progress()["totals"]["first_day"]
            start = date.fromisoformat(first) if first else store.today()
        data = plan(start, store, load_bank())
        _print_json(data) if as_json else print(format_plan(data))
    else:  # pragma: no cover - argparse restricts the choices
        raise UserError(f"Unknown history action '{action}'", f"Use one of: {', '.join(ACTIONS)}.")
    return 0
