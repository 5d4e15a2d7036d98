"""The small widget kit every page builds from, so they share one look: headings on the
type scale, wrapped labels, captions, cards, banners, the primary button, disclosures
("Show evidence"), score bars, and a page body that scrolls instead of overlapping when
the window is small or the text is large.

Pages import from here (and from palette/theme), never from each other.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton, QScrollArea, QSizePolicy,
                               QVBoxLayout, QWidget)

from .theme import CAPTION, SECTION


def unit(widget: QWidget) -> int:
    """The spacing unit: half a line of the widget's font (it grows with scaling)."""
    return max(4, widget.fontMetrics().height() // 2)


def heading(text: str, scale: float = SECTION, bold: bool = True) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(bold)
    label.setFont(font)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def wrap_label(text: str = "", rich: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def caption(text: str = "", rich: bool = False) -> QLabel:
    """Secondary text: smaller and dimmer, from the style sheet."""
    label = wrap_label(text, rich)
    label.setProperty("role", "caption")
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * CAPTION)
    label.setFont(font)
    return label


def card(layout: type = QVBoxLayout, name: str = "card") -> tuple[QFrame, QVBoxLayout | QHBoxLayout]:
    """A grouped section: a framed, rounded panel one step off the page background."""
    frame = QFrame()
    frame.setObjectName(name)
    lay = layout(frame)
    u = unit(frame)
    lay.setContentsMargins(int(u * 1.5), u + 2, int(u * 1.5), u + 2)
    lay.setSpacing(u)
    return frame, lay


def banner(text: str = "", rich: bool = False) -> tuple[QFrame, QLabel, QHBoxLayout]:
    """A tinted strip for the mode the app is in (the demo) or an offer; returns its label
    and the row, so a page can add a button to it."""
    frame, row = card(QHBoxLayout, "banner")
    label = wrap_label(text, rich)
    row.addWidget(label, 1)
    return frame, label, row


def primary(button: QPushButton) -> QPushButton:
    """The one main action of a page: filled with the accent colour."""
    button.setProperty("primary", True)
    button.setDefault(True)
    button.setMinimumHeight(button.fontMetrics().height() * 2 + 6)
    return button


def link_button(text: str) -> QPushButton:
    """A quiet, text-like button (Show evidence, More voices…)."""
    button = QPushButton(text)
    button.setProperty("flat", True)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
    return button


class Disclosure(QWidget):
    """A line of detail one click away: a quiet toggle, then the detail beneath it."""

    toggled = Signal(bool)

    def __init__(self, show_text: str, hide_text: str, detail: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.show_text, self.hide_text = show_text, hide_text
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        self.button = link_button(show_text)
        self.button.setCheckable(True)
        self.button.toggled.connect(self.set_open)
        self.detail = detail
        lay.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)
        lay.addWidget(detail)
        detail.hide()

    def set_open(self, on: bool) -> None:
        self.detail.setVisible(on)
        self.button.setText(self.hide_text if on else self.show_text)
        if self.button.isChecked() != on:
            self.button.setChecked(on)
        self.toggled.emit(on)

    @property
    def is_open(self) -> bool:
        return self.detail.isVisible()


class ScoreBar(QWidget):
    """The number, then a bar: the text never sits on the bar, so it reads in any theme."""

    def __init__(self, score, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.number = QLabel(f"<b>{score:.0f}</b>" if isinstance(score, (int, float)) else "–")
        self.number.setMinimumWidth(self.fontMetrics().horizontalAdvance("100") + 6)
        self.number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.bar.setValue(int(score) if isinstance(score, (int, float)) else 0)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(max(6, self.fontMetrics().height() // 2 - 1))
        row.addWidget(self.number)
        row.addWidget(self.bar, 1)


def scroll_page(body: QWidget) -> QScrollArea:
    """A page body that scrolls when the window is smaller than its content, so rows
    never squeeze into each other (at the minimum size, at 200 %, with long text)."""
    area = QScrollArea()
    area.setObjectName("page-scroll")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    area.setWidget(body)
    return area


def page_layout(page: QWidget, scroll: bool = True) -> QVBoxLayout:
    """The layout for a page's content, inside a scroll area when `scroll`: margins and
    spacing from the spacing unit."""
    page.setObjectName("page")
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    body = QWidget()
    body.setObjectName("page")
    lay = QVBoxLayout(body)
    u = unit(page)
    lay.setContentsMargins(u * 3, u * 2, u * 3, u * 2)
    lay.setSpacing(int(u * 1.5))
    outer.addWidget(scroll_page(body) if scroll else body)
    return lay


def hline() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Plain)
    return line
