"""Reading and writing audio files in the internal format."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

from ..errors import AudioError
from . import MAX_RATE, MIN_RATE, SAMPLE_RATE

MAX_BLOCK = 1 << 22  # samples resampled in one FFT (4.2 M: 87 s at 48 kHz, 11 s at 384 kHz)


def resample(audio: np.ndarray, rate: int, target: int = SAMPLE_RATE) -> np.ndarray:
    """Band-limited resampling in the frequency domain (no aliasing of sibilants into speech).

    Long inputs go in one-minute blocks with overlap so memory stays proportional to a block.
    Rates outside MIN_RATE..MAX_RATE are refused: with them a block (and the output) would
    grow without bound, which is how a lying WAV header could exhaust memory.
    """
    audio = np.asarray(audio, dtype=np.float32)
    for r in (rate, target):
        if not MIN_RATE <= r <= MAX_RATE:
            raise ValueError(f"sample rate {r} Hz is outside {MIN_RATE}-{MAX_RATE} Hz")
    if rate == target or audio.size == 0:
        return audio
    # One minute per block, but never more than MAX_BLOCK samples: at 384 kHz a minute's FFT
    # alone would take 370 MB; capped, a block costs about 70 MB whatever the rate. Blocks are
    # whole seconds so each maps to a whole number of output samples (no drift at the joins).
    block = rate * max(1, min(60, MAX_BLOCK // rate))
    if audio.size <= block * 1.5:
        return _fft_resample(audio, rate, target)
    pad = rate  # 1 s of context on each side hides block edges
    out = []
    for start in range(0, audio.size, block):
        lo, hi = max(0, start - pad), min(audio.size, start + block + pad)
        chunk = _fft_resample(audio[lo:hi], rate, target)
        a = int(round((start - lo) * target / rate))
        b = a + int(round((min(start + block, audio.size) - start) * target / rate))
        out.append(chunk[a:b])
    return np.concatenate(out)


def _fft_resample(audio: np.ndarray, rate: int, target: int) -> np.ndarray:
    n_out = int(round(audio.size * target / rate))
    spectrum = np.fft.rfft(audio.astype(np.float64))
    keep = n_out // 2 + 1
    if keep <= spectrum.size:
        spectrum = spectrum[:keep]
    else:
        spectrum = np.concatenate([spectrum, np.zeros(keep - spectrum.size, dtype=spectrum.dtype)])
    return (np.fft.irfft(spectrum, n_out) * (n_out / audio.size)).astype(np.float32)


def to_mono(audio: np.ndarray) -> np.ndarray:
    return audio.mean(axis=1) if audio.ndim == 2 else audio


def implausible_rate(path: Path, rate: int) -> AudioError | None:
    """The error for a WAV whose header claims a rate no real recording has, else None."""
    if MIN_RATE <= rate <= MAX_RATE:
        return None
    return AudioError(
        f"{path} claims a sample rate of {rate:,} Hz; real recordings are between {MIN_RATE // 1000} kHz and "
        f"{MAX_RATE // 1000} kHz, so its header is damaged or forged",
        "Record the answer again, or convert the file to a 16 kHz WAV (e.g. `ffmpeg -i IN -ar 16000 OUT.wav`).")


def _read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as wf:
        channels, width, rate, frames = wf.getnchannels(), wf.getsampwidth(), wf.getframerate(), wf.getnframes()
        error = implausible_rate(path, rate)
        if error:  # before reading or resampling a byte of it
            raise error
        raw = wf.readframes(frames)
    if width == 2:
        data = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    elif width == 4:
        data = np.frombuffer(raw, dtype="<i4").astype(np.float32) / 2147483648.0
    elif width == 1:
        data = (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
    else:
        raise wave.Error(f"{8 * width}-bit samples")
    data = data[: (data.size // channels) * channels].reshape(-1, channels)
    return resample(to_mono(data), rate)


def _declared_rate(path: Path) -> int:
    """The sample rate the file's first audio stream claims (SAMPLE_RATE if it cannot tell:
    then FFmpeg's own error says what is wrong)."""
    try:
        import av

        with av.open(str(path)) as container:
            stream = next(iter(container.streams.audio), None)
            return int(stream.codec_context.sample_rate) if stream is not None else SAMPLE_RATE
    except Exception:  # not a media file at all: decode_audio reports it
        return SAMPLE_RATE


def load_audio(path: str | Path) -> np.ndarray:
    """Any WAV (or anything FFmpeg reads) as 16 kHz mono float32."""
    path = Path(path)
    if not path.is_file():
        raise AudioError(f"Audio file not found: {path}", "Check the path, or record an answer first.")
    try:
        return _read_wav(path)
    except (wave.Error, EOFError, ValueError):
        pass  # not a PCM WAV: let FFmpeg (PyAV, shipped with faster-whisper) try
    error = implausible_rate(path, _declared_rate(path))
    if error:  # FFmpeg would resample it just as obediently
        raise error
    try:
        from faster_whisper.audio import decode_audio

        return decode_audio(str(path), sampling_rate=SAMPLE_RATE).astype(np.float32, copy=False)
    except Exception as exc:  # PyAV raises many kinds; all mean "cannot decode"
        raise AudioError(
            f"Cannot read audio from {path}: {exc.__class__.__name__}: {exc}",
            "Pass a WAV, FLAC, MP3 or OGG file with speech in it.",
        ) from None


def write_wav(path: str | Path, audio: np.ndarray, rate: int = SAMPLE_RATE) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    pcm = (np.clip(audio, -1.0, 1.0) * 32767.0).astype("<i2")
    with wave.open(str(path), "wb") as wf:
        wf.setnchannels(1)
        wf.setsampwidth(2)
        wf.setframerate(rate)
        wf.writeframes(pcm.tobytes())
    return path

