"""A microphone level meter. Levels arrive ~30 times a second; it repaints at most 20."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from .palette import GOOD, blend


class LevelMeter(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._level = 0.0
        self._shown = 0.0
        self._voiced = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Microphone level")
        self._timer = QTimer(self)
        self._timer.setInterval(50)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def sizeHint(self) -> QSize:
        h = max(10, self.fontMetrics().height() // 2 + 4)
        return QSize(240, h)

    def minimumSizeHint(self) -> QSize:
        return QSize(80, self.sizeHint().height())

    @property
    def level(self) -> float:
        return self._level

    def set_level(self, value: float, voiced: bool = False) -> None:
        self._level = max(0.0, min(1.0, float(value)))
        self._voiced = bool(voiced)

    def _tick(self) -> None:
        # fast attack, slow release: a meter the eye can follow
        target = self._level
        new = target if target > self._shown else self._shown * 0.8 + target * 0.2
        if abs(new - self._shown) > 0.002:
            self._shown = new
            self.setAccessibleDescription(f"{round(new * 100)} percent")
            self.update()

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        r = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        radius = r.height() / 2
        p.setPen(pal.color(QPalette.ColorRole.Mid))
        p.setBrush(pal.color(QPalette.ColorRole.Base))
        p.drawRoundedRect(r, radius, radius)
        if self._shown > 0.01:
            fill = QRectF(r.left(), r.top(), max(r.height(), r.width() * self._shown), r.height())
            color = GOOD if self._voiced else blend(pal.color(QPalette.ColorRole.Highlight),
                                                    pal.color(QPalette.ColorRole.Base), 0.2)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(color)
            p.drawRoundedRect(fill, radius, radius)
        p.end()
