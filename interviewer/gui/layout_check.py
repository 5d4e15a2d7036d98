"""Finding overlapping widgets: what "the form rows overlap" looks like to a program.

Two visible widgets placed by the same layout must not cover each other; when a window
is too small for a page, the page scrolls instead. Used by the screenshot tool (every
page, every theme and size) and the GUI tests.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLayout, QWidget


def _layout_widgets(layout: QLayout) -> list[QWidget]:
    out = []
    for i in range(layout.count()):
        item = layout.itemAt(i)
        if item.widget() is not None:
            out.append(item.widget())
        elif item.layout() is not None:
            out.extend(_layout_widgets(item.layout()))
    return out


def overlaps(root: QWidget, tolerance: int = 1) -> list[str]:
    """Pairs of visible sibling widgets (laid out by one layout) whose rectangles overlap by
    more than `tolerance` pixels each way, as readable strings."""
    problems = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible() or widget.layout() is None:
            continue
        shown = [w for w in _layout_widgets(widget.layout()) if w.isVisible() and w.width() > 0 and w.height() > 0]
        for i, a in enumerate(shown):
            ra = a.geometry().adjusted(tolerance, tolerance, -tolerance, -tolerance)
            for b in shown[i + 1:]:
                if a.parentWidget() is not b.parentWidget():
                    continue
                if ra.intersects(b.geometry().adjusted(tolerance, tolerance, -tolerance, -tolerance)):
                    problems.append(f"{_name(a)} overlaps {_name(b)} in {_name(widget)}")
    return problems


def _name(w: QWidget) -> str:
    text = ""
    for attr in ("text", "title", "accessibleName"):
        fn = getattr(w, attr, None)
        if callable(fn):
            try:
                text = fn() or ""
            except TypeError:
                continue
            if text:
                break
    return f"{type(w).__name__}({text[:30]!r})" if text else type(w).__name__
