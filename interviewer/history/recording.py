"""Answer audio written to disk while it is recorded, so a crash loses (almost) nothing.

A recording is `<turn>.wav.part` until it is closed, then renamed to `<turn>.wav`:

- the 44-byte WAV header goes first, with the sizes rewritten about once a second, so
  the `.part` file is a readable WAV at any moment;
- every chunk goes straight to the OS with `os.write` (no user-space buffer), so a
  `kill -9` loses nothing that `write()` returned from; `fsync` about once a second
  bounds what a power cut can take;
- the writer holds an exclusive `flock` on the file while it records. The OS drops it
  when the process dies, which is how recovery tells a crashed recording from one that
  another window of the app is still making.

`recover_part_file` fixes the header from the file's real size and renames it.
"""

from __future__ import annotations

import os
import struct
import time
import wave
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: an open file cannot be renamed, which protects live recordings
    fcntl = None  # type: ignore[assignment]

SAMPLE_RATE = 16000
HEADER_BYTES = 44
PART_SUFFIX = ".part"
SYNC_EVERY_S = 1.0


def wav_header(data_bytes: int, rate: int = SAMPLE_RATE) -> bytes:
    """Canonical PCM header: mono, 16-bit."""
    return struct.pack(
        "<4sI4s4sIHHIIHH4sI",
        b"RIFF", 36 + data_bytes, b"WAVE", b"fmt ", 16, 1, 1, rate, rate * 2, 2, 16, b"data", data_bytes,
    )


def to_pcm16(chunk) -> bytes:
    """float32 samples in [-1, 1] (numpy array or any sequence of floats), or int16 bytes."""
    if isinstance(chunk, (bytes, bytearray, memoryview)):
        data = bytes(chunk)
        return data[: len(data) // 2 * 2]
    if hasattr(chunk, "astype"):  # numpy, without importing it here
        import numpy as np

        flat = np.asarray(chunk, dtype=np.float32).reshape(-1)
        return (np.clip(flat, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()
    import array
    import sys

    pcm = array.array("h", (int(max(-1.0, min(1.0, float(x))) * 32767.0) for x in chunk))
    if sys.byteorder != "little":
        pcm.byteswap()
    return pcm.tobytes()


def try_lock(fd: int) -> bool:
    """Exclusive, non-blocking. True when we hold it (or the platform has no flock)."""
    if fcntl is None:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def is_locked_elsewhere(path: Path) -> bool:
    """Whether a live process holds the lock on `path`."""
    if fcntl is None or not path.exists():
        return False
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        if try_lock(fd):
            fcntl.flock(fd, fcntl.LOCK_UN)
            return False
        return True
    finally:
        os.close(fd)


class AudioWriter:
    """Streams one answer's audio to `<final>.part`; `close()` returns the final WAV path."""

    def __init__(self, final_path: Path, on_close=None, rate: int = SAMPLE_RATE, on_discard=None) -> None:
        self.path = final_path
        self.part_path = final_path.with_name(final_path.name + PART_SUFFIX)
        self.rate = rate
        self._on_close = on_close
        self._on_discard = on_discard
        self._data_bytes = 0
        self._synced_at = time.monotonic()
        self._closed = False
        self._fd = os.open(self.part_path, os.O_RDWR | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
        try_lock(self._fd)
        os.write(self._fd, wav_header(0, rate))

    @property
    def duration_s(self) -> float:
        return self._data_bytes / (2 * self.rate)

    seconds = duration_s

    def write(self, chunk) -> None:
        if self._closed:  # a late frame after close must not kill the audio loop
            return
        data = to_pcm16(chunk)
        view = memoryview(data)
        while view:  # os.write may write less than asked
            n = os.write(self._fd, view)
            view = view[n:]
        self._data_bytes += len(data)
        if time.monotonic() - self._synced_at >= SYNC_EVERY_S:
            self.sync()

    def sync(self) -> None:
        """Header sizes up to date and data on the disk."""
        if hasattr(os, "pwrite"):
            os.pwrite(self._fd, wav_header(self._data_bytes, self.rate), 0)
        else:
            self._seek_write()
        try:
            os.fsync(self._fd)
        except OSError:
            pass
        self._synced_at = time.monotonic()

    def _seek_write(self) -> None:
        os.lseek(self._fd, 0, os.SEEK_SET)
        os.write(self._fd, wav_header(self._data_bytes, self.rate))
        os.lseek(self._fd, 0, os.SEEK_END)

    def close(self) -> Path:
        if self._closed:
            return self.path
        self.sync()
        os.close(self._fd)  # releases the flock
        self._closed = True
        os.replace(self.part_path, self.path)
        if self._on_close:
            self._on_close(self)
        return self.path

    def discard(self) -> None:
        """Throw the take away (e.g. a turn the engine decided not to keep)."""
        if self._closed:
            return
        os.close(self._fd)
        self._closed = True
        self.part_path.unlink(missing_ok=True)
        if self._on_discard:
            self._on_discard(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class NullAudioWriter:
    """What `audio_writer` returns when the user chose not to keep audio."""

    path = None
    duration_s = 0.0
    seconds = 0.0

    def write(self, chunk) -> None:
        pass

    def sync(self) -> None:
        pass

    def close(self) -> None:
        return None

    def discard(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        pass


def part_duration(part: Path, rate: int = SAMPLE_RATE) -> float:
    """The duration `recover_part_file` will give a crashed `.part` (whole samples after the header)."""
    return max(0, part.stat().st_size - HEADER_BYTES) // 2 * 2 / (2 * rate)


def recover_part_file(part: Path, final: Path, rate: int = SAMPLE_RATE) -> float:
    """Make a crashed `.part` a complete WAV at `final`; returns its duration in seconds."""
    size = part.stat().st_size
    data_bytes = max(0, size - HEADER_BYTES) // 2 * 2
    with open(part, "r+b") as f:
        if size < HEADER_BYTES:
            f.truncate(0)
        f.seek(0)
        f.write(wav_header(data_bytes, rate))
        f.truncate(HEADER_BYTES + data_bytes)
        f.flush()
        os.fsync(f.fileno())
    os.replace(part, final)
    return data_bytes / (2 * rate)


def wav_duration(path: Path) -> float | None:
    try:
        with wave.open(str(path), "rb") as wf:
            return wf.getnframes() / float(wf.getframerate())
    except (OSError, wave.Error, EOFError):
        return None
