"""Entry point of the desktop app: `run_gui(settings, demo=..., ...)` returns an exit code.

The window is shown before anything heavy happens; the models load on a worker thread
right after, with their progress in the status bar. Set INTERVIEWER_GUI_SMOKE=1 to
print how long the window took to appear and close again (the launch-time check).
"""

from __future__ import annotations

import logging
import os
import sys
import time

log = logging.getLogger(__name__)


def _process_age_s() -> float | None:
    """Seconds since this process started (Linux), so launch time includes Python's start-up."""
    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            start_ticks = int(fh.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime", encoding="ascii") as fh:
            uptime = float(fh.read().split()[0])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def run_gui(settings=None, *, demo: bool = False, stt_override: str | None = None,
            llm_override: str | None = None) -> int:
    age = _process_age_s()
    launch_t0 = time.perf_counter() - (age or 0.0)
    from PySide6.QtCore import QThreadPool, QTimer
    from PySide6.QtWidgets import QApplication

    from ..config import Settings
    from ..paths import log_dir
    from .dialogs import ExceptionHook
    from .gui_thread_gc import GuiThreadCollector

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("ML Mock Interviewer")
    app.setOrganizationName("interviewer")
    app.setApplicationDisplayName("ML Mock Interviewer")
    from . import theme

    collector = GuiThreadCollector.running(app)  # the window below starts it too; here it is ours to stop
    theme.apply(app)  # light or dark, as the desktop is; and again whenever it switches
    theme.follow_system(app)

    from .main_window import MainWindow

    settings = settings or Settings()
    window = MainWindow(settings, demo=demo, stt_override=stt_override, llm_override=llm_override,
                        launch_t0=launch_t0)
    window.autostart_demo = demo
    try:
        log_path = str(log_dir() / "interviewer.log")
    except OSError:
        log_path = None
    hook = ExceptionHook(lambda: window, log_path).install()

    smoke = os.environ.get("INTERVIEWER_GUI_SMOKE") == "1"
    if smoke:
        def report_shown() -> None:
            print(f"window shown after {window.shown_after_s:.3f} s", flush=True)
            QTimer.singleShot(0, window.close)

        window.window_shown.connect(report_shown)
    window.show()
    try:
        code = app.exec()
    finally:
        hook.uninstall()
    # The window is gone: from here on blocking is harmless. Let the workers finish.
    for worker in (window.session_thread, window.loader, window.monitor):
        if worker is not None and not worker.thread.wait(10_000):
            log.warning("a worker (%s) did not stop; exiting anyway (answers are already saved)",
                        worker.thread.objectName())
            logging.shutdown()
            os._exit(code)
    QThreadPool.globalInstance().waitForDone(10_000)
    collector.stop()  # no worker left: cycles may be collected on any thread again
    if window.runtime is not None:
        window.runtime.close()
    return code
