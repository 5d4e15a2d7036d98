"""The first-run walk (walk_first_run.py) with the real models, under a virtual X display:
no microphone -> demo -> report -> History -> drill -> projects -> leaving the demo ->
Settings, clicked as a person would. The pictures land in tests/_artifacts/walk/.

It needs a machine with no microphone (this one has none); elsewhere it is skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.gui]

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "tests" / "_artifacts" / "walk"
STEPS = ["first-run-no-microphone", "demo-listening", "demo-follow-up", "report", "report-evidence", "history",
         "drill-setup", "drill-countdown", "drill-report", "projects", "home-in-the-demo", "left-the-demo", "settings",
         "settings-voice-test"]


def test_first_run_walk_with_the_real_models(tmp_path):
    from interviewer.gui.mic_controller import scan_inputs

    try:
        if scan_inputs():
            pytest.skip("this machine has a microphone: the walk is of a first run without one")
    except Exception:
        pass  # no audio system at all: no microphone either
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        pytest.skip("Xvfb is not installed")
    read, write = os.pipe()
    display = subprocess.Popen([xvfb, "-displayfd", str(write), "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
                               pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as fh:
        number = fh.readline().strip()
    try:
        env = dict(os.environ, DISPLAY=f":{number}", QT_QPA_PLATFORM="xcb", INTERVIEWER_HOME=str(tmp_path / "home"))
        proc = subprocess.run([sys.executable, str(REPO / "tests" / "walk_first_run.py"), str(OUT)], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=1500)
    finally:
        display.terminate()
        display.wait(timeout=10)
    assert proc.returncode == 0 and "walk complete" in proc.stdout, (proc.stdout[-2000:], proc.stderr[-3000:])
    names = sorted(p.stem.split("-", 1)[1] for p in OUT.glob("*.png"))
    for step in STEPS:
        assert step in names, step
