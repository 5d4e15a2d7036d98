"""Workers: the engines wrapped in QObjects that live on their own threads.

Each long-running engine (model loading, an interview session, the microphone monitor)
is a QObject moved to a QThread and reports by signals; one-shot jobs (exports, history
queries, a test transcription) go to the thread pool through `run_task`. Signals emitted
from a worker thread reach GUI-thread slots as queued calls, so no slot ever runs on a
worker and no worker ever touches a widget.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThread, QThreadPool, Signal, Slot

from ..errors import UserError

log = logging.getLogger(__name__)


def describe_error(exc: BaseException) -> tuple[str, str]:
    """(problem, fix) for a dialog: a UserError says both; anything else is a bug."""
    if isinstance(exc, UserError):
        return exc.problem, exc.fix
    return (f"Unexpected {exc.__class__.__name__}: {exc}",
            "The details are in the log file (Help > Open log folder). Your answers so far are saved.")


# -- one-shot jobs --------------------------------------------------------------------------


class TaskSignals(QObject):
    done = Signal(object)
    failed = Signal(str, str)
    progress = Signal(str)


class _Task(QRunnable):
    def __init__(self, fn: Callable, signals: TaskSignals, with_progress: bool) -> None:
        super().__init__()
        self.fn = fn
        self.signals = signals
        self.with_progress = with_progress
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn(self.signals.progress.emit) if self.with_progress else self.fn()
        except Exception as exc:  # reported as a dialog, logged with its traceback
            if not isinstance(exc, UserError):
                log.error("background task failed:\n%s", traceback.format_exc())
            self.signals.failed.emit(*describe_error(exc))
            return
        self.signals.done.emit(result)


def _guarded(callback: Callable) -> Callable:
    """A job can outlive the page that started it (the window closed meanwhile): its
    result then has nowhere to go, which is not an error."""

    def call(*args) -> None:
        try:
            callback(*args)
        except RuntimeError as exc:
            if "already deleted" not in str(exc):
                raise
            log.debug("a background result arrived after its page was closed")

    return call


_alive: set[TaskSignals] = set()  # keeps each job's signal object alive until it reports


def run_task(fn: Callable, on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[str, str], None] | None = None, *, with_progress: bool = False,
             on_progress: Callable[[str], None] | None = None) -> TaskSignals:
    """Run `fn` on the thread pool; `on_done(result)` / `on_error(problem, fix)` run on the GUI thread.

    With `with_progress`, `fn` receives a callable to report progress messages.
    """
    signals = TaskSignals()
    _alive.add(signals)

    def finish(*_args) -> None:
        _alive.discard(signals)

    if on_done:
        signals.done.connect(_guarded(on_done))
    if on_error:
        signals.failed.connect(_guarded(on_error))
    if on_progress:
        signals.progress.connect(on_progress)
    signals.done.connect(finish)
    signals.failed.connect(finish)
    QThreadPool.globalInstance().start(_Task(fn, signals, with_progress))
    return signals


# -- model loading --------------------------------------------------------------------------


class RuntimeLoader(QObject):
    """Loads the speech model, LLM, voice, bank and history store off the GUI thread."""

    progress = Signal(str)
    loaded = Signal(object)
    failed = Signal(str, str)
    finished = Signal()

    def __init__(self, factory: Callable[[], Any]) -> None:
        super().__init__()
        self.factory = factory

    @Slot()
    def run(self) -> None:
        t0 = time.perf_counter()
        try:
            runtime = self.factory()
            runtime.load(progress=self.progress.emit)
        except Exception as exc:
            if not isinstance(exc, UserError):
                log.exception("loading the models failed")
            self.failed.emit(*describe_error(exc))
        else:
            log.info("models loaded in %.2f s", time.perf_counter() - t0)
            self.loaded.emit(runtime)
        self.finished.emit()


# -- the interview --------------------------------------------------------------------------


class SessionWorker(QObject):
    """Builds one InterviewSession and runs it (it blocks until the interview ends) on
    its own thread. Building happens there too: it opens the speaker (device
    enumeration) and queries the history for question priorities.

    The session's events (engine/events.py), raised on the engine's threads, are
    re-emitted as `event`; commands go straight to the session, whose methods are
    thread-safe.
    """

    event = Signal(object)
    failed = Signal(str, str, str)  # problem, fix, error class name (e.g. "AudioError")
    finished = Signal(object)  # the summary, or None when the session could not run

    def __init__(self, build: Callable[[Callable], Any]) -> None:
        super().__init__()
        self.build = build  # build(on_event) -> InterviewSession
        self.session = None
        self._ended = threading.Event()

    def on_event(self, event) -> None:  # engine thread
        self.event.emit(event)

    def end(self) -> None:  # any thread: ends the session, or stops it before it starts
        self._ended.set()
        if self.session is not None:
            self.session.end()

    @Slot()
    def run(self) -> None:
        summary = None
        try:
            self.session = self.build(self.on_event)
            if not self._ended.is_set():  # ended before it began: nothing to record
                summary = self.session.run()
        except Exception as exc:  # e.g. AudioError: no microphone (raised before anything is recorded)
            if not isinstance(exc, UserError):
                log.exception("the session failed")
            self.failed.emit(*describe_error(exc), type(exc).__name__)
        self.finished.emit(summary)


class ThreadedWorker:
    """A QObject worker on its own QThread; `start()` calls `worker.run` there."""

    def __init__(self, worker: QObject, name: str) -> None:
        self.worker = worker
        self.thread = QThread()
        self.thread.setObjectName(name)
        worker.moveToThread(self.thread)
        self.thread.started.connect(worker.run)
        worker.finished.connect(self.thread.quit)
        self.running = False
        self.thread.finished.connect(self._stopped)

    def start(self) -> None:
        self.running = True
        self.thread.start()

    def _stopped(self) -> None:
        self.running = False


# -- the microphone check ------------------------------------------------------------------


class MicMonitor(QObject):
    """Opens an audio source, reports its level, and records a test clip on request."""

    level = Signal(float)
    recorded = Signal(object)  # np.ndarray, 16 kHz mono float32
    failed = Signal(str, str)
    finished = Signal()

    def __init__(self, source_factory: Callable[[], Any]) -> None:
        super().__init__()
        self.source_factory = source_factory
        self._stop = threading.Event()
        self._record_frames: int = 0
        self._lock = threading.Lock()

    def stop(self) -> None:  # any thread
        self._stop.set()

    def record(self, seconds: float = 3.0) -> None:  # any thread
        from ..audio import SAMPLE_RATE

        with self._lock:
            self._record_frames = int(seconds * SAMPLE_RATE)

    @Slot()
    def run(self) -> None:
        import numpy as np

        source = None
        try:
            source = self.source_factory()
            source.start()
            if hasattr(source, "next_answer"):  # a FileSource stands in for the microphone
                source.next_answer()
            take: list[np.ndarray] = []
            got = 0
            last_level = 0.0
            while not self._stop.is_set():
                frame = source.read(timeout=0.2)
                if frame is None or frame.size == 0:
                    continue
                now = time.monotonic()
                if now - last_level > 0.05:  # 20 updates a second is plenty for a meter
                    last_level = now
                    self.level.emit(source.level)
                with self._lock:
                    want = self._record_frames
                if want:
                    take.append(frame)
                    got += frame.size
                    if got >= want:
                        with self._lock:
                            self._record_frames = 0
                        self.recorded.emit(np.concatenate(take)[:want])
                        take, got = [], 0
        except Exception as exc:
            if not isinstance(exc, UserError):
                log.exception("microphone monitor failed")
            self.failed.emit(*describe_error(exc))
        finally:
            if source is not None:
                try:
                    source.stop()
                except Exception:
                    log.exception("closing the audio source failed")
            self.level.emit(0.0)
            self.finished.emit()
