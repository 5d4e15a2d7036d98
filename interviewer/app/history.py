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
