"""Builders of hostile input, and a session whose models are fakes, for the hostile tests.

Everything bad is made here, in code, so each test says exactly what it feeds the app:
GGUF headers with a bad field, WAV headers that lie, question files in the wrong
encoding, databases with garbage inside. `fake_cli_child` runs the real CLI in a child
process with the models replaced by fakes (no model loads, the session logic is real),
so signals, exit codes and kill -9 can be tried for real.
"""

from __future__ import annotations

import os
import shutil
import signal
import struct
import subprocess
import sys
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


# -- GGUF --------------------------------------------------------------------------------------

GGUF_UINT32, GGUF_STRING, GGUF_ARRAY = 4, 8, 9


def gguf_string(text: str | bytes) -> bytes:
    data = text.encode() if isinstance(text, str) else text
    return struct.pack("<Q", len(data)) + data


def write_gguf(path: Path, kvs: list[tuple[str, int, bytes]], version: int = 3) -> Path:
    """A GGUF file with no tensors and the given (key, type, encoded value) metadata."""
    body = b"".join(gguf_string(k) + struct.pack("<I", t) + v for k, t, v in kvs)
    header = b"GGUF" + struct.pack("<IQQ", version, 0, len(kvs)) + body
    path.write_bytes(header + bytes(-len(header) % 32))  # padded to where the (empty) tensor data starts
    return path


def nested_array(depth: int) -> bytes:
    """An array of an array of ... (depth levels), the innermost empty."""
    return struct.pack("<IQ", GGUF_ARRAY, 1) * (depth - 1) + struct.pack("<IQ", GGUF_UINT32, 0)


# -- WAV ---------------------------------------------------------------------------------------


def wav_bytes(rate: int, data: bytes, channels: int = 1, width: int = 2) -> bytes:
    """A canonical PCM WAV whose header says `rate`, whatever the data is."""
    return struct.pack("<4sI4s4sIHHIIHH4sI", b"RIFF", 36 + len(data), b"WAVE", b"fmt ", 16, 1, channels, rate,
                       (rate * channels * width) & 0xFFFFFFFF, channels * width, 8 * width, b"data", len(data)) + data


# -- questions ---------------------------------------------------------------------------------


def question_yaml(qid: str = "custom-q", cue: str = "overfitting") -> str:
    return textwrap.dedent(f"""\
        - id: {qid}
          category: fundamentals
          prompt: Explain overfitting and how you would detect it.
          key_points:
            - id: definition
              label: Overfitting is fitting the noise of the training data
              cues: ["{cue}", memorize]
            - id: detect
              label: Detect it with a validation set
              cues: [validation error, learning curve]
        """)


# -- processes ---------------------------------------------------------------------------------


def child_env(home: Path, **extra: str) -> dict:
    env = dict(os.environ)
    env["INTERVIEWER_HOME"] = str(home)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    env.update(extra)
    return env


def run_python(code: str, home: Path, timeout: float = 120, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout,
                          env=child_env(home, **env), cwd=REPO)


def wait_for(path: Path, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if proc.poll() is not None:
            out, err = proc.communicate()
            raise AssertionError(f"child ended ({proc.returncode}) before {path.name}:\n{out}\n{err}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"child never reached {path.name}")
        time.sleep(0.02)


def namespace_available() -> bool:
    """Whether this machine lets a test mount a tiny tmpfs in a private mount namespace
    (how a full or read-only disk is made for real, without touching the machine's disks)."""
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt 2>/dev/null || "
                            "mount -t tmpfs -o size=64k tmpfs /tmp"], capture_output=True)
    return probe.returncode == 0


def in_namespace(script: str, timeout: float = 180) -> subprocess.CompletedProcess:
    """Run a shell script as root of a private mount namespace (mounts vanish with it)."""
    return subprocess.run(["unshare", "-rm", "sh", "-euc", script], capture_output=True, text=True,
                          timeout=timeout, env=child_env(Path("/nonexistent")), cwd=REPO)


# -- a session with fake models, for the CLI ---------------------------------------------------

# Installed in a child process before `interviewer.cli.main` runs: the Runtime loads no
# model; the transcriber always hears FAKE_WORDS; the voice is 0.1 s of silence; the
# microphone is a source scripted by HOSTILE_SOURCE:
#   "answer"  frames until 40 have been read, then presses Done (a normal answer);
#   "hang"    frames forever; after 30 frames of an answer writes HOSTILE_MARKER (then a
#             test sends SIGINT/SIGTERM or SIGKILL);
#   "enospc"  the disk fills up while the candidate answers (OSError ENOSPC).
# HOSTILE_ANALYSIS=crash makes the analysis of every answer raise.
FAKE_RUNTIME = r'''
import errno, os, sys, threading, time
from concurrent.futures import Future
import numpy as np
import interviewer.app.runtime as runtime_mod
import interviewer.engine.listener as listener_mod
from interviewer.engine.recorder import Recorder
from interviewer.audio.sources import AudioSource
from interviewer.audio.playback import SilentPlayer
from interviewer.content.bank import load_bank, load_question_file
from interviewer.paths import REPO_ROOT
from interviewer.engine import InterviewSession
from interviewer.speech.tts import Voice
from interviewer.transcript import Transcript, Word

FAKE_WORDS = "Overfitting means the model memorizes noise so the validation error grows".split()


def fake_transcript(seconds):
    return Transcript([Word(w, 0.3 * i, 0.3 * i + 0.25) for i, w in enumerate(FAKE_WORDS)], max(seconds, 4.0))


class FakeTranscriber:
    def transcribe(self, audio, prompt=None, **kw):
        return fake_transcript(audio.size / 16000)

    def warmup(self):
        pass


class FakeSpeaker:
    voice = Voice()

    def synthesize(self, text, voice=None):
        f = Future()
        f.set_result(np.zeros(1600, np.float32))
        return f

    def close(self):
        pass


class FakeStream:
    def __init__(self, transcriber, prompt="", executor=None, **kw):
        self.samples = 0
        self.interims = 0

    def add(self, frame, voiced):
        self.samples += frame.size

    def close_segment(self):
        pass

    def settled_count(self):
        return 0

    def provisional(self):
        return fake_transcript(self.samples / 16000)

    def partial_text(self):
        return ""

    def wait_pending(self, timeout=3.0):
        return True

    def finish(self):
        return fake_transcript(self.samples / 16000)

    def close(self):
        pass


class FakeVad:
    def __call__(self, frame):
        return 0.9

    def reset(self):
        pass


class ScriptedSource(AudioSource):
    def __init__(self, mode, marker):
        super().__init__()
        self.mode, self.marker, self.session = mode, marker, None
        self.reads = 0
        self.listening = False

    def cue(self, state):
        self.listening = state == "listen"
        self.reads = 0

    def read(self, timeout=1.0):
        time.sleep(0.004)  # about 8 times faster than a real microphone's 32 ms frames
        self.reads += 1
        if self.listening:
            if self.mode == "enospc" and self.reads > 10:
                raise OSError(errno.ENOSPC, "No space left on device")
            if self.mode == "hang" and self.reads == 30 and self.marker:
                open(self.marker, "w").close()
            if self.mode == "answer" and self.reads == 40:
                self.session.done()
        return np.full(512, 0.05, np.float32)


listener_mod.StreamingTranscriber = FakeStream
if os.environ.get("HOSTILE_ANALYSIS") == "crash":
    def crash(self, question, turn):
        raise RuntimeError("analysis exploded")
    Recorder._analyse = crash


class FakeRuntime(runtime_mod.Runtime):
    def load(self, progress=lambda m: None):
        from interviewer.history import Store
        self._bank = load_bank()
        self.transcriber = FakeTranscriber()
        self.speaker = FakeSpeaker()
        if self._store is None:
            self._store = Store.open(settings=self.settings)
        return self

    def new_session(self, config, *, source, on_event, player=None, audio_dir=None, questions=None):
        scripted = ScriptedSource(os.environ.get("HOSTILE_SOURCE", "answer"), os.environ.get("HOSTILE_MARKER"))
        session = InterviewSession(config, questions=questions or self.pick_questions(config),
                                   transcriber=self.transcriber, speaker=self.speaker, player=SilentPlayer(speed=20),
                                   source=scripted, llm=None, on_event=on_event, store=self.store, vad=FakeVad())
        scripted.session = session
        return session


runtime_mod.Runtime = FakeRuntime
'''


def fake_cli_argv_code(argv: list[str]) -> str:
    return FAKE_RUNTIME + f"\nfrom interviewer.cli import main\nsys.exit(main({argv!r}))\n"


def _default_sigint() -> None:
    """In the child, before Python starts: Ctrl+C as a terminal delivers it. A shell starts a
    background job (`pytest ... &`) with SIGINT ignored, the child inherited that, and the
    Ctrl+C test waited 60 s for an exit that an ignored signal never causes."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def fake_cli_child(argv: list[str], home: Path, **env) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", fake_cli_argv_code(argv)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=child_env(home, **env), cwd=REPO,
                            preexec_fn=_default_sigint if os.name == "posix" else None)


def run_fake_cli(argv: list[str], home: Path, timeout: float = 120, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", fake_cli_argv_code(argv)], capture_output=True, text=True,
                          timeout=timeout, env=child_env(home, **env), cwd=REPO)


def quiet_wav(path: Path, seconds: float = 1.0) -> Path:
    path.write_bytes(wav_bytes(16000, b"\0\0" * int(16000 * seconds)))
    return path
