"""A page's type-to-handler table for the session's events (engine/events.py), built on
the first event: importing the engine package loads the whole engine (about half a
second), which the window's first appearance must not wait for."""

from __future__ import annotations

from typing import Callable


class EventTable:
    """`EventTable({"QuestionAsked": handler, ...})`: names of event classes in
    engine.events, resolved to the classes themselves the first time it dispatches."""

    def __init__(self, by_name: dict[str, Callable]) -> None:
        self.by_name = by_name
        self._table: dict[type, Callable] | None = None

    def table(self) -> dict[type, Callable]:
        if self._table is None:
            from ..engine import events

            self._table = {getattr(events, name): handler for name, handler in self.by_name.items()}
        return self._table

    def dispatch(self, page, event) -> None:
        handler = self.table().get(type(event))
        if handler:
            handler(page, event)
