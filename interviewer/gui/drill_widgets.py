"""The timed drill's two pictures, drawn with QPainter in palette-derived colours:

- `Countdown`: the time left against the target in big digits, and a bar that fills up to
  a target mark; past the target the digits turn to "+0:07 over" and the bar goes on in
  the problem colour, so running over is visible without reading the number.
- `DrillTimeline`: where the time went, one block per part of the answer (proportional
  widths, labelled), against the target mark; a numbered legend underneath says each
  part's time and share in words.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from .wording import clock as fmt_clock
from .palette import BAD, GOOD, SERIES, WARN, blend, ink, is_dark

WARN_LAST_S = 10  # the digits turn to the warning colour this close to the target


def fmt_signed(seconds: float) -> str:
    return ("+" if seconds >= 0 else "−") + fmt_clock(abs(seconds))


class Countdown(QWidget):
    """Time left against a target; counts on past it as overtime."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.target_s = 60
        self.elapsed_s = 0.0
        self.running = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Time left")
        self._describe()

    # -- state ---------------------------------------------------------------------------
    def set_target(self, seconds: int) -> None:
        self.target_s = max(1, int(seconds))
        self.elapsed_s = 0.0
        self._describe()
        self.update()

    def set_elapsed(self, seconds: float, running: bool = True) -> None:
        self.elapsed_s = max(0.0, float(seconds))
        self.running = running
        self._describe()
        self.update()

    @property
    def over(self) -> bool:
        return self.elapsed_s > self.target_s

    @property
    def left_s(self) -> float:
        return self.target_s - self.elapsed_s

    def digits(self) -> str:
        """What the big number says: the time left, or the overtime with a plus sign."""
        if self.over:
            return fmt_signed(self.elapsed_s - self.target_s)
        # count down in whole seconds, rounding up: "0:01" until the target is reached
        left = self.left_s
        return fmt_clock(int(left) + (1 if left - int(left) > 1e-6 else 0))

    def caption(self) -> str:
        if self.over:
            return f"over the {fmt_clock(self.target_s)} target"
        return f"left of {fmt_clock(self.target_s)}"

    def _describe(self) -> None:
        self.setAccessibleDescription(f"{self.digits()} {self.caption()}")

    # -- drawing -------------------------------------------------------------------------
    def _big_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 4.0)
        font.setBold(True)
        font.setStyleHint(QFont.StyleHint.Monospace)
        return font

    def sizeHint(self) -> QSize:
        big = QFontMetrics(self._big_font())
        fm = self.fontMetrics()
        return QSize(big.horizontalAdvance("+00:00") * 2, big.height() + fm.height() * 3 + 12)

    def minimumSizeHint(self) -> QSize:
        return QSize(QFontMetrics(self._big_font()).horizontalAdvance("+00:00") + 20, self.sizeHint().height())

    def digit_color(self) -> QColor:
        pal = self.palette()
        if self.over:
            return BAD
        if self.left_s <= WARN_LAST_S and self.elapsed_s > 0:
            return WARN
        return pal.color(QPalette.ColorRole.WindowText)

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        fm = self.fontMetrics()
        text, dim = ink(pal, 0.4)
        big = self._big_font()
        bfm = QFontMetrics(big)

        # the digits and their caption, side by side
        p.setFont(big)
        p.setPen(self.digit_color())
        digits = self.digits()
        digits_w = bfm.horizontalAdvance(digits)
        p.drawText(QRectF(0, 0, digits_w + 4, bfm.height()), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   digits)
        p.setFont(self.font())
        p.setPen(BAD if self.over else dim)
        caption = self.caption() + ("" if self.running or self.elapsed_s == 0 else " · stopped")
        cap_font = QFont(self.font())
        cap_font.setPointSizeF(cap_font.pointSizeF() * 1.3)
        cap_font.setBold(self.over)
        p.setFont(cap_font)
        p.drawText(QRectF(digits_w + fm.height(), 0, self.width() - digits_w - fm.height(), bfm.height()),
                   Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, caption)
        p.setFont(self.font())

        # the bar: 0 … target (marked) … 1.5 × target; overtime in the problem colour
        top = bfm.height() + 6
        bar_h = max(8.0, fm.height() * 0.7)
        bar = QRectF(1, top, self.width() - 2, bar_h)
        scale = max(self.target_s * 1.5, self.elapsed_s)
        x_of = lambda t: bar.left() + bar.width() * min(t / scale, 1.0)  # noqa: E731
        p.setPen(QPen(pal.color(QPalette.ColorRole.Mid), 1))
        p.setBrush(pal.color(QPalette.ColorRole.Base))
        p.drawRoundedRect(bar, bar_h / 2, bar_h / 2)
        on_time = min(self.elapsed_s, self.target_s)
        if on_time > 0:
            fill = GOOD if not self.over and self.left_s > WARN_LAST_S else (WARN if not self.over else GOOD)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(fill)
            p.drawRoundedRect(QRectF(bar.left(), bar.top(), max(bar_h, x_of(on_time) - bar.left()), bar_h),
                              bar_h / 2, bar_h / 2)
        if self.over:
            p.setBrush(BAD)
            p.drawRoundedRect(QRectF(x_of(self.target_s), bar.top(), max(bar_h, x_of(self.elapsed_s) - x_of(self.target_s)),
                                     bar_h), bar_h / 2, bar_h / 2)
        tx = x_of(self.target_s)
        p.setPen(QPen(text, 2))
        p.drawLine(QPointF(tx, bar.top() - 3), QPointF(tx, bar.bottom() + 3))
        p.setPen(dim)
        label = f"target {fmt_clock(self.target_s)}"
        lw = fm.horizontalAdvance(label) + 4
        p.drawText(QRectF(tx - lw / 2, bar.bottom() + 4, lw, fm.height()), Qt.AlignmentFlag.AlignHCenter, label)
        p.drawText(QRectF(bar.left(), bar.bottom() + 4, lw, fm.height()), Qt.AlignmentFlag.AlignLeft, "0:00")
        p.end()


def part_colors(palette: QPalette, n: int) -> list[QColor]:
    """The series hues, a little softened on a dark base so labels on them stay readable."""
    colors = [SERIES[i % len(SERIES)] for i in range(n)]
    if is_dark(palette):
        colors = [c.darker(115) for c in colors]
    return colors


def readable_on(color: QColor) -> QColor:
    """Black or white, whichever reads on `color`."""
    luminance = 0.299 * color.red() + 0.587 * color.green() + 0.114 * color.blue()
    return QColor(0, 0, 0) if luminance > 150 else QColor(255, 255, 255)


class DrillTimeline(QWidget):
    """Where the drill's time went: one block per part, proportional to its seconds."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.parts: list[dict] = []
        self.used_s = 0.0
        self.target_s = 60
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Where the time went")

    def set_report(self, report: dict) -> None:
        self.parts = list(report.get("parts") or [])
        self.used_s = float(report.get("used_s") or 0.0)
        self.target_s = int(report.get("target_s") or 60)
        desc = "; ".join(f"{p['label']}: {p['seconds']:.0f} seconds" for p in self.parts)
        self.setAccessibleDescription(f"{self.used_s:.0f} seconds used of {self.target_s}. {desc or 'no parts found'}.")
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(520, int(self.fontMetrics().height() * 4.9))

    def minimumSizeHint(self) -> QSize:
        return QSize(240, self.sizeHint().height())

    def _scale(self) -> float:
        total = sum(float(p.get("seconds") or 0.0) for p in self.parts)
        return max(self.target_s, self.used_s, total, 1.0) * 1.04

    def blocks(self, width: float) -> list[tuple[float, float, dict]]:
        """(x, width, part) of each block in a bar `width` pixels wide, laid end to end."""
        scale = self._scale()
        out, x = [], 0.0
        for part in self.parts:
            w = width * float(part.get("seconds") or 0.0) / scale
            out.append((x, w, part))
            x += w
        return out

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        fm = self.fontMetrics()
        text, dim = ink(pal, 0.4)
        base = pal.color(QPalette.ColorRole.Base)
        bar = QRectF(1, fm.height() * 1.2, self.width() - 2, fm.height() * 2.0)
        scale = self._scale()
        x_of = lambda t: bar.left() + bar.width() * min(max(t / scale, 0.0), 1.0)  # noqa: E731

        p.setPen(QPen(pal.color(QPalette.ColorRole.Mid), 1))
        p.setBrush(base)
        p.drawRect(bar)
        # past the target: a wash of the problem colour behind the blocks
        if self.used_s > self.target_s:
            p.fillRect(QRectF(x_of(self.target_s), bar.top(), x_of(self.used_s) - x_of(self.target_s), bar.height()),
                       blend(base, BAD, 0.35 if is_dark(pal) else 0.2))

        colors = part_colors(pal, len(self.parts))
        if self.parts:
            for n, ((x, w, part), color) in enumerate(zip(self.blocks(bar.width()), colors), 1):
                rect = QRectF(bar.left() + x, bar.top() + 3, max(1.0, w - 2), bar.height() - 6)
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(color)
                p.drawRect(rect)
                p.setPen(readable_on(color))
                label = f"{n} {part.get('label', '')}"
                secs = f"{float(part.get('seconds') or 0):.0f} s"
                for candidate in (f"{label} · {secs}", label, f"{n} · {secs}", str(n)):
                    if fm.horizontalAdvance(candidate) + 8 <= rect.width():
                        p.drawText(rect.adjusted(4, 0, -4, 0), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                                   candidate)
                        break
        else:
            used = QRectF(bar.left(), bar.top() + 3, x_of(self.used_s) - bar.left(), bar.height() - 6)
            p.fillRect(used, blend(base, text, 0.2))
            p.setPen(dim)
            p.drawText(bar, Qt.AlignmentFlag.AlignCenter, "No part of the explanation was recognised")

        # the target mark and the time axis
        tx = x_of(self.target_s)
        p.setPen(QPen(text, 2))
        p.drawLine(QPointF(tx, bar.top() - fm.height() * 0.4), QPointF(tx, bar.bottom() + 3))
        target_label = f"target {fmt_clock(self.target_s)}"
        tw = fm.horizontalAdvance(target_label) + 6
        p.setPen(text)
        p.drawText(QRectF(min(max(0.0, tx - tw / 2), self.width() - tw), 0, tw, fm.height()),
                   Qt.AlignmentFlag.AlignHCenter, target_label)
        ux = x_of(self.used_s)
        strip = max(3.0, fm.height() / 4)
        if self.used_s > self.target_s:  # the overtime, underlined in the problem colour and said
            p.fillRect(QRectF(tx, bar.bottom() + 1, ux - tx, strip), BAD)
            over = f"{self.used_s - self.target_s:.0f} s over"
            ow = fm.horizontalAdvance(over) + 6
            bold = QFont(self.font())
            bold.setBold(True)
            p.setFont(bold)
            p.setPen(BAD)
            left = tx + tw / 2 + 6
            if left + ow > self.width():
                left = max(0.0, tx - tw / 2 - ow - 6)
            p.drawText(QRectF(left, 0, ow + 8, fm.height()), Qt.AlignmentFlag.AlignLeft, over)
            p.setFont(self.font())
        p.setPen(dim)
        used_label = f"used {fmt_clock(self.used_s)}"
        uw = fm.horizontalAdvance(used_label) + 6
        below = bar.bottom() + strip + 2
        p.drawText(QRectF(bar.left(), below, 60, fm.height()), Qt.AlignmentFlag.AlignLeft, "0:00")
        p.drawLine(QPointF(ux, bar.bottom()), QPointF(ux, bar.bottom() + 4))
        p.drawText(QRectF(min(max(fm.horizontalAdvance("0:00 ") + 4, ux - uw / 2), self.width() - uw), below, uw,
                          fm.height()), Qt.AlignmentFlag.AlignHCenter, used_label)
        p.end()


def verdict_color(verdict: str) -> QColor:
    return {"on time": GOOD, "short": WARN, "over": BAD}.get(verdict, WARN)
