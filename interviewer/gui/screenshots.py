"""Render every page of the app to PNG, filled with sample data, to look at.

    python -m interviewer.gui.screenshots OUT_DIR [--dark] [--prefix NAME-] [--size WxH]

Uses no models (the pages get a store filled by `sample_data` and scripted interview
events), so it runs in a few seconds on any platform Qt has: offscreen, or a real or
virtual X display. Set QT_SCALE_FACTOR=2 before running for a 200 % screenshot;
`--size min` shows the window at its own minimum size.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from .event_loop import settle, wait_for  # noqa: F401  (scenes and tests use them from here too)


def dark_palette():
    """The app's dark palette (what a system dark theme gives it)."""
    from .theme import DARK, make_palette

    return make_palette(DARK)


def make_window(size: tuple[int, int] | None, dark: bool):
    """The real window over an offline runtime (the bank and a sample history, no models)
    and a machine with one USB microphone."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationDisplayName("ML Mock Interviewer")
    from . import theme

    theme.apply(app, dark=dark)
    from ..app.history import TaggedStore
    from ..app.runtime import OfflineRuntime
    from ..audio.playback import SilentPlayer
    from ..content.bank import load_bank
    from ..config import Settings
    from ..history import Store
    from .main_window import MainWindow, first_run_marker
    from ..tools.sample_data import populate, populate_demo

    clock = [datetime.now().astimezone()]
    store = Store.open(clock=lambda: clock[0], durability="off")
    bank = load_bank()
    if not store.sessions(limit=1):
        populate(store, bank, clock_setter=lambda when: clock.__setitem__(0, when))
        populate_demo(TaggedStore(store, {"demo": True}), bank)
    first_run_marker().touch()
    runtime = OfflineRuntime(store)
    mic = [{"index": 3, "name": "USB headset microphone", "default_input": True}]
    window = MainWindow(Settings(), runtime_factory=lambda: runtime, player_factory=SilentPlayer,
                        scan_devices=lambda reinit: list(mic))
    window.sample_mic = mic
    if size is None:
        window.resize(window.minimumSize())
    else:
        window.resize(*size)
    window.show()
    wait_for(window.runtime_ready)
    settle(400)
    return window, store, bank


def shoot(out: Path, prefix: str = "", dark: bool = False, size: tuple[int, int] | None = (1180, 800)) -> list[Path]:
    from .screenshot_scenes import SCENES

    from .layout_check import overlaps

    out.mkdir(parents=True, exist_ok=True)
    window, store, bank = make_window(size, dark)
    saved = []
    problems: list[str] = []

    def save(name: str, widget=None) -> None:
        settle()
        path = out / f"{prefix}{name}.png"
        (widget or window).grab().save(str(path))
        saved.append(path)
        problems.extend(f"{name}: {p}" for p in overlaps(widget or window))

    for scene in SCENES:
        scene(window, save, store, bank)
    window.close()
    # what a person would see as overlapping rows, for the screenshot test to check
    (out / f"{prefix}overlaps.txt").write_text("".join(f"{p}\n" for p in problems), encoding="utf-8")
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--dark", action="store_true", help="the dark theme")
    parser.add_argument("--prefix", default="")
    parser.add_argument("--size", default="1180x800",
                        help="window size in logical pixels, WIDTHxHEIGHT, or 'min' for its minimum size")
    args = parser.parse_args(argv)
    if not os.environ.get("INTERVIEWER_HOME"):
        os.environ["INTERVIEWER_HOME"] = tempfile.mkdtemp(prefix="interviewer-shots-")
    size = None if args.size == "min" else tuple(int(v) for v in args.size.lower().split("x"))
    for path in shoot(args.out, args.prefix, args.dark, size):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
