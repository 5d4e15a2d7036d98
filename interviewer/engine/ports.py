"""The engine's collaborators, as the protocols it relies on.

The real ones are faster-whisper (speech/stt.py), pyttsx3 (speech/tts.py), sounddevice
(audio/), SQLite (history/) and llama.cpp (llm/worker.py); tests pass scripted ones with
the same shape (tests/engine_harness.py). Nothing here is probed with getattr/hasattr.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Protocol

import numpy as np

from ..transcript import Transcript


class Transcriber(Protocol):
    def transcribe(self, audio: np.ndarray, *, prompt: str | None = None, word_timestamps: bool = True,
                   cancel: threading.Event | None = None) -> Transcript: ...


class Speaker(Protocol):
    """Text to audio (16 kHz mono float32), in the background."""

    voice: object  # speech.tts.Voice: the default rate, pitch and voice

    def synthesize(self, text: str, voice=None) -> Future: ...


class Player(Protocol):
    @property
    def playing(self) -> bool: ...

    def play(self, audio: np.ndarray) -> None: ...

    def stop(self) -> None: ...

    def wait(self, timeout: float | None = None) -> bool: ...


class AudioSource(Protocol):
    level: float

    def start(self) -> "AudioSource": ...

    def stop(self) -> None: ...

    def drain(self) -> None: ...

    def read(self, timeout: float = 1.0) -> np.ndarray | None: ...

    def cue(self, state: str) -> None: ...

    def hold(self, held: bool) -> None: ...


class Vad(Protocol):
    def __call__(self, frame: np.ndarray) -> float: ...

    def reset(self) -> None: ...


class AudioWriter(Protocol):
    def write(self, frame: np.ndarray) -> None: ...

    def close(self) -> Path | None: ...

    def discard(self) -> None: ...


class Store(Protocol):
    def begin_session(self, format: str, mode: str = "study", persona: str | None = None,
                      settings: dict | None = None, question_ids: list[str] | None = None) -> str: ...

    def resume_session(self, sid: str) -> dict: ...

    def audio_writer(self, sid: str, turn_key: str) -> AudioWriter: ...

    def record_answer(self, sid: str, question, turn: dict | None = None, transcript=None,
                      analysis: dict | None = None, audio_path=None, timings: dict | None = None) -> int: ...

    def finish_session(self, sid: str, summary: dict | None = None) -> None: ...


class Llm(Protocol):
    parameters: int  # the model's size (from its GGUF): large ones may word follow-ups freely

    def complete(self, prompt: str, *, max_tokens: int, temperature: float, stop: list[str], seed: int,
                 cancel: threading.Event | None = None) -> Future: ...

    def prime(self, prefix: str) -> Future: ...

    def hold(self, held: bool) -> None: ...
