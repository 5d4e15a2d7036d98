"""Score trends: one line per category, weekly averages of the overall score (0-100)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from .palette import SERIES, blend, ink


class TrendChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series: list[tuple[str, list[tuple[str, float]]]] = []  # (name, [(week, score)])
        self.weeks: list[str] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAccessibleName("Score trend per category")

    def sizeHint(self) -> QSize:
        return QSize(520, self.fontMetrics().height() * 14)

    def minimumSizeHint(self) -> QSize:
        return QSize(240, self.fontMetrics().height() * 10)

    def set_data(self, series: list[tuple[str, list[tuple[str, float]]]]) -> None:
        self.series = [(name, [(w, s) for w, s in points if s is not None]) for name, points in series]
        self.series = [s for s in self.series if s[1]]
        self.weeks = sorted({w for _, pts in self.series for w, _ in pts})
        self.setAccessibleDescription("; ".join(
            f"{name}: " + ", ".join(f"week of {w} {s:.0f}" for w, s in pts) for name, pts in self.series))
        self.update()

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        fm = self.fontMetrics()
        text, dim = ink(pal, 0.45)
        legend_w = max([fm.horizontalAdvance(n) for n, _ in self.series] + [0]) + fm.height() * 2
        left = fm.horizontalAdvance("100") + 10
        top = fm.height() * 0.6
        plot = QRectF(left, top, self.width() - left - legend_w - 10, self.height() - top - fm.height() * 2.3 - 6)
        p.fillRect(plot, pal.color(QPalette.ColorRole.Base))
        grid = blend(pal.color(QPalette.ColorRole.Base), text, 0.15)
        for score in range(0, 101, 25):
            y = plot.bottom() - plot.height() * score / 100
            p.setPen(QPen(grid, 1))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(dim)
            p.drawText(QRectF(0, y - fm.height() / 2, left - 6, fm.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(score))
        if not self.series:
            p.setPen(dim)
            p.drawText(plot, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                       "Trends appear after a few sessions")
            p.end()
            return
        n = len(self.weeks)

        def x_of(week: str) -> float:
            i = self.weeks.index(week)
            return plot.left() + (plot.width() * (i + 0.5) / n)

        step = max(1, int(n / max(1, plot.width() / (fm.horizontalAdvance("00-00") * 1.8))) + 1) if n > 1 else 1
        p.setPen(dim)
        for i, week in enumerate(self.weeks):
            if i % step:
                continue
            w = fm.horizontalAdvance("00-00") + 6
            p.drawText(QRectF(x_of(week) - w / 2, plot.bottom() + 2, w, fm.height()),
                       Qt.AlignmentFlag.AlignHCenter, week[5:])
        for k, (name, points) in enumerate(self.series):
            color = SERIES[k % len(SERIES)]
            pts = [QPointF(x_of(w), plot.bottom() - plot.height() * s / 100) for w, s in points]
            path = QPainterPath(pts[0])
            for pt in pts[1:]:
                path.lineTo(pt)
            p.setPen(QPen(color, max(2.0, fm.height() / 8)))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(path)
            p.setBrush(color)
            for pt in pts:
                p.drawEllipse(pt, 3.5, 3.5)
            y = plot.top() + k * fm.height() * 1.3
            lx = plot.right() + 10
            p.fillRect(QRectF(lx, y + fm.height() * 0.3, fm.height() * 0.8, fm.height() * 0.4), color)
            p.setPen(text)
            p.drawText(QRectF(lx + fm.height(), y, legend_w, fm.height()), Qt.AlignmentFlag.AlignLeft, name)
        p.setPen(dim)
        p.drawText(QRectF(plot.left(), plot.bottom() + fm.height() + 2, plot.width(), fm.height()),
                   Qt.AlignmentFlag.AlignRight, "week starting (month-day); overall score 0-100")
        p.end()
