"""Colours derived from the current palette, so light and dark themes both read well.

Nothing here hard-codes a background or a text colour: accents are blended into the
palette's own base colour, and the blend is stronger on a dark base.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

# Hues for meaning (good / warning / problem) and for chart series; mid lightness so
# they stay visible on both a white and a near-black background.
GOOD = QColor(46, 160, 67)
WARN = QColor(214, 150, 0)
BAD = QColor(214, 69, 65)
SERIES = [QColor(c) for c in ("#3b82f6", "#e8710a", "#16a34a", "#d6336c", "#8b5cf6", "#0d9488", "#a16207")]


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def blend(a: QColor, b: QColor, t: float) -> QColor:
    """`a` moved a fraction `t` of the way towards `b`."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )


def ink(palette: QPalette, fade: float = 0.45) -> tuple[QColor, QColor]:
    """The palette's text colour, and a dimmer one (faded towards the window) for secondary marks."""
    text = palette.color(QPalette.ColorRole.WindowText)
    return text, blend(text, palette.color(QPalette.ColorRole.Window), fade)


def tint(palette: QPalette, accent: QColor, strength: float = 0.28) -> QColor:
    """A background for highlighted text: the accent washed into the base colour."""
    base = palette.color(QPalette.ColorRole.Base)
    return blend(base, accent, strength * (1.5 if is_dark(palette) else 1.0))


def score_color(score: float | None) -> QColor:
    if score is None:
        return QColor(128, 128, 128)
    if score >= 70:
        return GOOD
    if score >= 50:
        return WARN
    return BAD


def css(color: QColor) -> str:
    return color.name()


def text_color(palette: QPalette, dim: bool = False) -> QColor:
    text = palette.color(QPalette.ColorRole.WindowText)
    return blend(text, palette.color(QPalette.ColorRole.Window), 0.35) if dim else text
