"""Python's cycle collector runs on the GUI thread only, while the app runs.

CPython collects reference cycles on whichever thread happens to cross its allocation
threshold. In a Qt app that is often a worker (a history query on the thread pool, the
session thread), and a cycle that holds a widget then destroys the widget off the GUI
thread: Qt crashes. A CI run died exactly so ("Fatal Python error: Segmentation fault",
a pool thread "Garbage-collecting" inside a history query).

So while a window is up, automatic collection is off and a GUI-thread timer does the
same work instead: each tick collects the oldest generation whose count has passed gc's
own threshold, which is what the interpreter would have done, only on the right thread.
This is the approach calibre and other long-lived Qt apps take.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

TICK_MS = 500  # often enough that garbage never piles up between ticks


class GuiThreadCollector(QObject):
    """Owned by the QApplication (one per process); `running()` starts it if need be."""

    def __init__(self, app: QObject) -> None:
        super().__init__(app)
        self.setObjectName("gui-thread-gc")
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self.step)
        self._was_enabled = True  # set by start(), read by stop()

    @classmethod
    def running(cls, app: QObject) -> "GuiThreadCollector":
        collector = app.findChild(cls, "gui-thread-gc") or cls(app)
        collector.start()
        return collector

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def start(self) -> None:
        if not self.active:
            self._was_enabled = gc.isenabled()
            gc.disable()
            self._timer.start()

    def stop(self) -> None:
        """Collect everything now (on this, the GUI, thread) and hand collection back to
        the interpreter. Call it once no worker can still be running."""
        if self.active:
            self._timer.stop()
            gc.collect()
            if self._was_enabled:
                gc.enable()

    def step(self) -> int | None:
        """Collect the generation the interpreter would collect now, if any; returns it."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        for generation in (2, 1, 0):
            if thresholds[generation] and counts[generation] > thresholds[generation]:
                gc.collect(generation)
                return generation
        return None
