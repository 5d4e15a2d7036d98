"""Labels on history entries (no Qt), shared by the GUI and the CLI.

A session answered by the demo's recordings is kept in the history like any other, so a
new user sees where their sessions will appear, but it is labelled: its settings carry
{"demo": true}. The label is written through `TaggedStore` when the session begins
(the engine's recorder knows nothing of demos) and read back by `session_labels`.
"""

from __future__ import annotations

from typing import Iterable


class TaggedStore:
    """The history store, adding `tags` to the settings of every session it begins.
    Everything else goes straight to the store."""

    def __init__(self, store, tags: dict) -> None:
        self._store = store
        self.tags = dict(tags)

    def begin_session(self, format: str, mode: str = "study", persona: str | None = None,
                      settings: dict | None = None, question_ids=()) -> str:
        return self._store.begin_session(format, mode, persona, {**(settings or {}), **self.tags}, question_ids)

    def __getattr__(self, name: str):
        return getattr(self._store, name)


def is_demo(session: dict) -> bool:
    """A store.session() dict (or a report built from it) of a session the demo answered."""
    return bool((session.get("settings") or {}).get("demo") or session.get("demo"))


def session_labels(store, ids: Iterable[str], known: dict[str, bool] | None = None) -> dict[str, bool]:
    """{session id: answered by the demo} for `ids`. `known` caches earlier answers (a
    session's label never changes), so a History page asks once per session."""
    known = {} if known is None else known
    for sid in ids:
        if sid in known:
            continue
        try:
            known[sid] = is_demo(store.session(sid))
        except Exception:  # a session deleted meanwhile: no label
            known[sid] = False
    return known


def own_practice(store, progress: dict, known: dict[str, bool] | None = None) -> dict:
    """`store.progress()` with the demo's sessions taken out of the totals and the streak:
    recordings answering is not the user practising. (The per-category trends still hold
    the demo's answers; the store would have to leave them out to fix that too.)"""
    from datetime import date

    from ..history.db import streak

    sessions = store.sessions(limit=None)
    labels = session_labels(store, [s["id"] for s in sessions], known)
    demo = [s for s in sessions if labels.get(s["id"])]
    if not demo:
        return progress
    own = [s for s in sessions if not labels.get(s["id"])]
    days = sorted({(s.get("started_at") or "")[:10] for s in own if s.get("answers") and s.get("started_at")})
    today = store.today() if hasattr(store, "today") else date.today()
    totals = dict(progress.get("totals") or {})
    totals.update(sessions=len(own), answers=sum(s.get("answers") or 0 for s in own), practice_days=len(days),
                  finished=sum(1 for s in own if s.get("status") == "finished"),
                  first_day=days[0] if days else None, last_day=days[-1] if days else None)
    return {**progress, "totals": totals, "streak": streak(days, today), "demo_sessions": len(demo)}
