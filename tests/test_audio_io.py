"""Audio files in any rate and channel count become 16 kHz mono float32."""

import wave

import numpy as np
import pytest

from interviewer.audio.io import load_audio, resample, write_wav
from interviewer.errors import AudioError


def tone(freq, seconds, rate):
    t = np.arange(int(seconds * rate)) / rate
    return (0.5 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def write_pcm(path, data, rate, channels):
    pcm = (np.clip(data, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as wf:
        wf.setnchannels(channels)
        wf.setsampwidth(2)
        wf.setframerate(rate)
        wf.writeframes(pcm.tobytes())


def dominant_freq(audio, rate=16000):
    spec = np.abs(np.fft.rfft(audio))
    return np.argmax(spec) * rate / audio.size


def test_stereo_44k_becomes_16k_mono(tmp_path):
    left, right = tone(440, 2.0, 44100), tone(440, 2.0, 44100)
    write_pcm(tmp_path / "s.wav", np.stack([left, right], axis=1).reshape(-1), 44100, 2)
    audio = load_audio(tmp_path / "s.wav")
    assert audio.dtype == np.float32 and audio.ndim == 1
    assert abs(audio.size - 32000) <= 2
    assert abs(dominant_freq(audio) - 440) < 2


def test_resampling_does_not_alias():
    # 10 kHz is above the 8 kHz Nyquist limit of 16 kHz audio: it must vanish, not fold to 6 kHz.
    out = resample(tone(10000, 1.0, 48000), 48000)
    assert np.sqrt(np.mean(out**2)) < 0.01


def test_long_audio_resamples_in_blocks_without_seams():
    out = resample(tone(300, 200.0, 22050), 22050)
    assert abs(out.size - 200 * 16000) <= 2
    ref = tone(300, 200.0, 16000)
    assert np.max(np.abs(out[16000:-16000] - ref[16000:-16000])) < 0.02


def test_round_trip_and_bad_files(tmp_path):
    a = tone(200, 1.0, 16000)
    write_wav(tmp_path / "a.wav", a)
    assert np.max(np.abs(load_audio(tmp_path / "a.wav") - a)) < 1e-3
    (tmp_path / "bad.wav").write_bytes(b"RIFF....WAVEjunk")
    with pytest.raises(AudioError, match="Cannot read audio"):
        load_audio(tmp_path / "bad.wav")
    with pytest.raises(AudioError, match="not found"):
        load_audio(tmp_path / "none.wav")
