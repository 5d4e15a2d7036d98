"""Speaking pace over one answer: words per minute per window against the pace band,
with long pauses shaded and fillers ticked. Drawn with QPainter (QtCharts is not part of
PySide6-Essentials). Clicking the chart asks to replay the answer from that moment.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QFont, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from .drill_text import pace_band
from .palette import BAD, GOOD, WARN, blend, ink, is_dark
from .wording import clock as fmt_clock


class PacingChart(QWidget):
    seek = Signal(float)  # seconds into the answer

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.windows: list[dict] = []
        self.pauses: list[dict] = []
        self.fillers: list[dict] = []
        self.duration = 0.0
        self.overall_wpm: float | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAccessibleName("Pacing chart")
        self.setToolTip("Words per minute over the answer. The shaded band is the pace listeners follow easily; "
                        "grey spans are pauses, ticks at the bottom are fillers. Click to replay from there.")

    def sizeHint(self) -> QSize:
        return QSize(520, self.fontMetrics().height() * 11)

    def minimumSizeHint(self) -> QSize:
        return QSize(240, self.fontMetrics().height() * 9)

    def set_data(self, analysis: dict | None) -> None:
        a = analysis or {}
        # the chart's own windows (shorter for a short answer); older reports have only the score's
        self.windows = list(a.get("pace_curve") or a.get("wpm_windows") or [])
        self.pauses = list(a.get("pauses") or [])
        self.fillers = [f for f in (a.get("fillers") or []) if f.get("start") is not None]
        ends = [w["end"] for w in self.windows] + [p["start"] + p["duration"] for p in self.pauses]
        self.duration = float(max([a.get("speech_end") or 0.0, *ends, 1.0]))
        self.overall_wpm = a.get("wpm")
        desc = ", ".join(f"{fmt_clock(w['start'])}-{fmt_clock(w['end'])} {w['wpm']:.0f} wpm" for w in self.windows)
        self.setAccessibleDescription(f"Overall {self.overall_wpm or 0:.0f} wpm. {desc}. {len(self.pauses)} long pauses.")
        self.update()

    # geometry --------------------------------------------------------------------------
    def _plot_rect(self) -> QRectF:
        fm = self.fontMetrics()
        left = fm.horizontalAdvance("200 wpm") + 8
        top = fm.height() * 0.6
        return QRectF(left, top, self.width() - left - 10, self.height() - top - fm.height() * 2.3 - 6)

    def _y_max(self) -> float:
        peak = max([w["wpm"] for w in self.windows] + [200.0])
        return float(int(peak / 50 + 1) * 50)

    def _x(self, t: float, plot: QRectF) -> float:
        return plot.left() + plot.width() * min(max(t / self.duration, 0.0), 1.0)

    def _y(self, wpm: float, plot: QRectF) -> float:
        return plot.bottom() - plot.height() * min(max(wpm / self._y_max(), 0.0), 1.0)

    def mousePressEvent(self, event) -> None:
        plot = self._plot_rect()
        x = event.position().x()
        if plot.left() <= x <= plot.right() and self.duration > 0:
            self.seek.emit((x - plot.left()) / plot.width() * self.duration)

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        text, dim = ink(pal, 0.45)
        plot = self._plot_rect()
        fm = self.fontMetrics()
        p.fillRect(plot, pal.color(QPalette.ColorRole.Base))

        # the target band
        band_color = blend(pal.color(QPalette.ColorRole.Base), GOOD, 0.35 if is_dark(pal) else 0.2)
        band = pace_band()
        top, bottom = self._y(band[1], plot), self._y(band[0], plot)
        p.fillRect(QRectF(plot.left(), top, plot.width(), bottom - top), band_color)

        # grid and y labels
        p.setPen(QPen(blend(pal.color(QPalette.ColorRole.Base), text, 0.15), 1))
        y_max = self._y_max()
        for wpm in range(0, int(y_max) + 1, 50):
            y = self._y(wpm, plot)
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        p.setPen(dim)
        for wpm in (0, *band, 200):
            if wpm > y_max:
                continue
            y = self._y(wpm, plot)
            label = f"{wpm:.0f}"
            p.drawText(QRectF(0, y - fm.height() / 2, plot.left() - 6, fm.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
        p.save()
        small = QFont(self.font())
        small.setPointSizeF(max(6.0, self.font().pointSizeF() * 0.85))
        p.setFont(small)
        p.drawText(QRectF(0, plot.top() - fm.height() * 0.6, plot.left() - 6, fm.height()),
                   Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, "wpm")
        p.restore()

        # pauses
        pause_color = blend(pal.color(QPalette.ColorRole.Base), text, 0.18)
        for pause in self.pauses:
            x0 = self._x(pause["start"], plot)
            x1 = self._x(pause["start"] + pause["duration"], plot)
            p.fillRect(QRectF(x0, plot.top(), max(2.0, x1 - x0), plot.height()), pause_color)
            p.setPen(dim)
            p.drawText(QRectF(x0, plot.top(), max(40.0, x1 - x0 + 40), fm.height()),
                       Qt.AlignmentFlag.AlignLeft, f" {pause['duration']:.1f}s")

        # the pace line: one point per window, at its middle
        if self.windows:
            path = QPainterPath()
            points = [QPointF(self._x((w["start"] + w["end"]) / 2, plot), self._y(w["wpm"], plot))
                      for w in self.windows]
            if len(points) == 1:  # one window (under 15 s of speech): a level line across it
                w = self.windows[0]
                path.moveTo(QPointF(self._x(w["start"], plot), points[0].y()))
                path.lineTo(QPointF(self._x(w["end"], plot), points[0].y()))
            else:
                path.moveTo(points[0])
                for pt in points[1:]:
                    path.lineTo(pt)
            line = pal.color(QPalette.ColorRole.Highlight)
            if line.lightness() < 60 and is_dark(pal):
                line = line.lighter(160)
            p.setPen(QPen(line, max(2.0, fm.height() / 8)))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(path)
            for w, pt in zip(self.windows, points):
                color = GOOD if band[0] <= w["wpm"] <= band[1] else (
                    WARN if band[0] - 10 <= w["wpm"] <= band[1] + 10 else BAD)
                p.setBrush(color)
                p.setPen(QPen(pal.color(QPalette.ColorRole.Base), 1))
                r = max(3.0, fm.height() / 5)
                p.drawEllipse(pt, r, r)
        else:
            p.setPen(dim)
            p.drawText(plot, Qt.AlignmentFlag.AlignCenter, "No speech to chart")

        # fillers: ticks along the bottom
        p.setPen(QPen(BAD, 2))
        for f in self.fillers:
            x = self._x(f["start"], plot)
            p.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() - fm.height() * 0.6))

        # frame and x labels
        p.setPen(QPen(blend(pal.color(QPalette.ColorRole.Base), text, 0.35), 1))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(plot)
        p.setPen(dim)
        steps = max(1, min(6, int(plot.width() / (fm.horizontalAdvance("00:00") * 2.2))))
        for i in range(steps + 1):
            t = self.duration * i / steps
            x = self._x(t, plot)
            align = Qt.AlignmentFlag.AlignHCenter if 0 < i < steps else (
                Qt.AlignmentFlag.AlignLeft if i == 0 else Qt.AlignmentFlag.AlignRight)
            w = fm.horizontalAdvance("00:00") + 4
            left = x - w / 2 if 0 < i < steps else (x if i == 0 else x - w)
            p.drawText(QRectF(left, plot.bottom() + 2, w, fm.height()), align | Qt.AlignmentFlag.AlignTop, fmt_clock(t))
        legend = f"band: {band[0]:.0f}-{band[1]:.0f} wpm   grey: pause   red tick: filler"
        p.drawText(QRectF(plot.left(), plot.bottom() + fm.height() + 2, plot.width(), fm.height()),
                   Qt.AlignmentFlag.AlignRight, legend)
        p.end()

