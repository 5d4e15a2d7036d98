"""Per key point progress: how often each point was covered, and its history (oldest first)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from .palette import BAD, GOOD, blend, ink


class KeyPointChart(QWidget):
    MAX_ROWS = 12
    MAX_OUTCOMES = 10

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[dict] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Key point coverage")

    def set_data(self, key_points: list[dict]) -> None:
        """`key_points`: dicts with label, rate (0-1), outcomes ("0011", oldest first)."""
        self.rows = list(key_points)[: self.MAX_ROWS]
        self.setAccessibleDescription("; ".join(
            f"{r['label']}: covered {round(r['rate'] * 100)} percent" for r in self.rows))
        self.updateGeometry()
        self.update()

    def _row_h(self) -> float:
        return self.fontMetrics().height() * 1.5

    def sizeHint(self) -> QSize:
        return QSize(520, int(self._row_h() * max(2, len(self.rows)) + 4))

    def minimumSizeHint(self) -> QSize:
        return QSize(240, self.sizeHint().height())

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        fm = self.fontMetrics()
        text, dim = ink(pal, 0.45)
        if not self.rows:
            p.setPen(dim)
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No key points practised yet")
            p.end()
            return
        h = self._row_h()
        box = fm.height() * 0.7
        outcomes_w = self.MAX_OUTCOMES * (box + 3)
        pct_w = fm.horizontalAdvance("100%") + 8
        bar_w = min(160.0, self.width() * 0.2)
        label_w = self.width() - outcomes_w - pct_w - bar_w - 24
        for i, row in enumerate(self.rows):
            y = i * h
            label = fm.elidedText(row["label"], Qt.TextElideMode.ElideRight, int(label_w))
            p.setPen(text)
            p.drawText(QRectF(0, y, label_w, h), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, label)
            bx = label_w + 8
            track = QRectF(bx, y + h * 0.3, bar_w, h * 0.4)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(blend(pal.color(QPalette.ColorRole.Base), text, 0.12))
            p.drawRoundedRect(track, 3, 3)
            rate = float(row.get("rate") or 0.0)
            p.setBrush(GOOD if rate >= 0.7 else (blend(GOOD, BAD, 0.5) if rate >= 0.4 else BAD))
            p.drawRoundedRect(QRectF(track.left(), track.top(), max(3.0, bar_w * rate), track.height()), 3, 3)
            p.setPen(text)
            p.drawText(QRectF(bx + bar_w + 4, y, pct_w, h), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                       f"{round(rate * 100)}%")
            ox = bx + bar_w + pct_w + 12
            for k, ch in enumerate(str(row.get("outcomes") or "")[-self.MAX_OUTCOMES:]):
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(GOOD if ch == "1" else BAD)
                p.drawRoundedRect(QRectF(ox + k * (box + 3), y + (h - box) / 2, box, box), 2, 2)
        p.end()
