"""Screenshots of every page, to look at: light, dark, 200 % scaling, and the window's
own minimum size.

They are rendered under Xvfb (a real X server, the xcb platform plugin) when it is
installed, else offscreen, by `python -m interviewer.gui.screenshots`, into
tests/_artifacts/screenshots/ (git-ignored). The test checks that every page was drawn
and is not blank, and that no two widgets overlap on any of them (the screenshot tool
checks each scene); a person looks at the pictures.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.gui

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "tests" / "_artifacts" / "screenshots"
PAGES = ["home", "home-focus", "home-focus-checkbox", "home-no-mic", "mic-none", "mic", "home-demo", "interview", "report-summary", "report-evidence",
         "report-key-points", "report-questions", "report-replay", "history", "history-progress", "settings", "settings-bad-model",
         "settings-voice-test", "drill-setup", "drill-countdown", "drill-overtime", "drill-report", "projects",
         "projects-invalid", "rehearsal-report", "rehearsal-followups", "questions", "questions-drafted"]


@pytest.fixture(scope="module")
def display():
    """A virtual X display for the module, or None (then Qt renders offscreen)."""
    exe = shutil.which("Xvfb")
    if exe is None:
        yield None
        return
    read, write = os.pipe()
    proc = subprocess.Popen([exe, "-displayfd", str(write), "-screen", "0", "2600x1800x24", "-nolisten", "tcp"],
                            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as fh:
        number = fh.readline().strip()
    try:
        yield f":{number}" if number else None
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def shoot(display, tmp_path, prefix: str, *extra: str, scale: str | None = None) -> list[Path]:
    env = dict(os.environ, INTERVIEWER_HOME=str(tmp_path / prefix))
    if display:
        env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb")
    else:
        env["QT_QPA_PLATFORM"] = "offscreen"
    if scale:
        env["QT_SCALE_FACTOR"] = scale
    proc = subprocess.run([sys.executable, "-m", "interviewer.gui.screenshots", str(OUT), "--prefix", prefix, *extra],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    overlapping = (OUT / f"{prefix}overlaps.txt").read_text(encoding="utf-8")
    assert not overlapping, f"widgets overlap:\n{overlapping}"
    return [OUT / f"{prefix}{page}.png" for page in PAGES]


def check(paths: list[Path], min_width: int) -> None:
    from PySide6.QtGui import QImage

    for path in paths:
        assert path.is_file(), path
        image = QImage(str(path))
        assert image.width() >= min_width, (path, image.width())
        # not blank: text and widgets give many distinct colours (anti-aliasing), an empty page a handful
        colours = {image.pixel(x, y) for x in range(0, image.width(), 5) for y in range(0, image.height(), 5)}
        assert len(colours) > 40, f"{path} looks empty ({len(colours)} colours)"


@pytest.mark.parametrize("variant", ["light", "dark", "scaled-200", "minimum"])
def test_screenshots_of_every_page(display, tmp_path, variant):
    if variant == "light":
        paths = shoot(display, tmp_path, "light-")
        check(paths, 1000)
    elif variant == "dark":
        paths = shoot(display, tmp_path, "dark-", "--dark")
        check(paths, 1000)
    elif variant == "scaled-200":
        # a 1920 x 1120 laptop screen at 200 %: 960 x 560 logical pixels
        paths = shoot(display, tmp_path, "scale200-", "--size", "960x560", scale="2")
        check(paths, 1900)  # drawn at twice the size, not shrunk
    else:
        paths = shoot(display, tmp_path, "min-", "--size", "min")  # the window's own minimum size
        check(paths, 700)
