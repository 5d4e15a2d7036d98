"""The microphone path, with only the sound card faked: the real MicSource (and, in the
slow tier, the real CLI and session) on a fake `sounddevice` whose InputStream replays a
WAV through the callback from its own thread (tests/support/fake_sounddevice.py)."""

from __future__ import annotations

import time
from types import SimpleNamespace

import numpy as np
import pytest
from support.fake_sounddevice import FakeSoundDevice

from interviewer.audio import SAMPLE_RATE
from interviewer.audio.io import load_audio, resample
from interviewer.audio.sources import FRAME, QUEUE_FRAMES, DeviceLost, MicSource
from interviewer.errors import AudioError


def read_frames(source: MicSource, seconds: float) -> np.ndarray:
    got, deadline = [], time.monotonic() + 30
    while sum(f.size for f in got) < seconds * SAMPLE_RATE and time.monotonic() < deadline:
        frame = source.read(timeout=1.0)
        if frame is not None and frame.size:
            assert frame.size == FRAME and frame.dtype == np.float32
            got.append(frame)
    return np.concatenate(got)


def tone(seconds: float, rate: int) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)


def test_starting_twice_opens_one_stream():
    """The CLI opens the microphone early (to fail early); the session starts it again."""
    sd = FakeSoundDevice(speed=10)
    mic = MicSource(sounddevice=sd)
    mic.start()
    mic.start()
    assert len(sd.streams) == 1 and mic.opened == 1
    mic.stop()
    assert not sd.open_streams and sd.streams[0].closed


def test_no_input_device_says_so_with_a_way_forward():
    with pytest.raises(AudioError) as err:
        MicSource(sounddevice=FakeSoundDevice(inputs=0)).start()
    assert "No microphone" in err.value.problem and "demo" in err.value.fix.lower()


def test_a_lost_device_raises_and_is_recovered_after_reconnecting():
    sd = FakeSoundDevice(audio=tone(30, 16000), speed=10)
    mic = MicSource(sounddevice=sd).start()
    read_frames(mic, 0.5)
    sd.unplug()
    with pytest.raises(DeviceLost):
        for _ in range(200):
            mic.read(timeout=0.1)
    with pytest.raises(AudioError):  # still unplugged: reopening fails with a message
        mic.start()
    sd.plug_in()
    mic.start()  # Resume after reconnecting: a fresh stream, and the old error forgotten
    assert len(sd.open_streams) == 1
    assert read_frames(mic, 0.5).size >= 0.5 * SAMPLE_RATE
    mic.stop()


def test_a_48_khz_only_device_delivers_clean_16_khz_frames():
    audio48 = tone(2.0, 48000)
    sd = FakeSoundDevice(audio=audio48, rate=48000, rates=(44100, 48000), speed=10)
    mic = MicSource(sounddevice=sd).start()
    got = read_frames(mic, 1.8)
    mic.stop()
    assert sd.streams[0].samplerate == 48000
    reference = resample(audio48, 48000)[:got.size]
    err = np.sqrt(np.mean((got - reference) ** 2)) / np.sqrt(np.mean(reference ** 2))
    assert err < 0.01, f"relative error {err:.4f}: block edges must not click"


def test_queue_overflow_drops_new_frames_and_counts_them():
    sd = FakeSoundDevice(audio=tone(60, 16000), speed=200)
    mic = MicSource(sounddevice=sd).start()
    deadline = time.monotonic() + 20
    while mic.dropped == 0 and time.monotonic() < deadline:  # nobody reads: the queue fills
        time.sleep(0.05)
    mic.stop()
    assert mic.dropped > 0 and mic._queue.qsize() == QUEUE_FRAMES
    assert mic.read(timeout=0.1).size == FRAME  # what was queued is still there, oldest first


# -- the whole path, with the real models -----------------------------------------------------


@pytest.mark.slow
def test_cli_interview_through_a_48_khz_microphone_opens_it_once_and_hears_the_answer(
        make_speech, monkeypatch, capsys):
    from interviewer import cli
    from interviewer.audio import devices
    from interviewer.audio.playback import SilentPlayer

    speech = load_audio(make_speech("Bias means the model is too simple and underfits the data."))
    lead = np.zeros(int(9.0 * SAMPLE_RATE), np.float32)  # the question is read first (silent player)
    audio48 = np.concatenate([lead, speech])
    audio48 = np.interp(np.arange(0, audio48.size, 1 / 3), np.arange(audio48.size), audio48).astype(np.float32)
    sd = FakeSoundDevice(audio=audio48, rate=48000, rates=(48000,))
    monkeypatch.setattr(devices, "import_sounddevice", lambda: sd)
    monkeypatch.setattr("interviewer.audio.playback.default_player", lambda device=None: SilentPlayer())
    code = cli.main(["interview", "--question-id", "fund-bias-variance", "--questions", "1", "--max-follow-ups", "0",
                     "--json"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert len(sd.streams) == 1, "the microphone was opened twice"
    finals = [line for line in out.splitlines() if '"event": "final"' in line]
    assert finals and "underfit" in finals[0].lower()


@pytest.mark.slow
def test_unplugging_mid_answer_pauses_and_resume_keeps_the_whole_answer(transcriber, make_speech, tmp_path):
    from interviewer.audio.playback import SilentPlayer
    from interviewer.content.bank import load_question_file
    from interviewer.engine import InterviewSession, SessionConfig
    from interviewer.engine import events as ev
    from interviewer.paths import REPO_ROOT
    from interviewer.speech.tts import Speaker

    question = load_question_file(REPO_ROOT / "interviewer" / "demo_data" / "question.yaml")
    first = load_audio(make_speech("Bias is the error of a model that is too simple."))
    second = load_audio(make_speech("Variance means it overfits the training data."))
    lead = np.zeros(int(8.0 * SAMPLE_RATE), np.float32)
    sd = FakeSoundDevice(audio=np.concatenate([lead, first, np.zeros(SAMPLE_RATE, np.float32), second]))
    mic = MicSource(sounddevice=sd)
    speaker = Speaker()
    events = []
    state = SimpleNamespace(unplugged=False)

    def on_event(event):
        events.append(event)
        if isinstance(event, ev.Partial) and "simple" in event.text and not state.unplugged:
            state.unplugged = True
            sd.unplug()
            sd.audio = np.concatenate([second, np.zeros(4 * SAMPLE_RATE, np.float32)])  # goes on after Resume
        if isinstance(event, ev.StateChanged) and event.state is ev.State.PAUSED:
            sd.plug_in()
            session.resume()

    session = InterviewSession(SessionConfig(max_follow_ups=0), questions=[question], transcriber=transcriber,
                               speaker=speaker, player=SilentPlayer(), source=mic, on_event=on_event,
                               audio_dir=tmp_path)
    try:
        session.run()
    finally:
        speaker.close()
    assert state.unplugged and len(sd.streams) == 2  # reopened once, on Resume
    assert any(isinstance(e, ev.ErrorRaised) and "microphone" in e.message for e in events)
    text = session.records[0].transcript["text"].lower()
    assert "simple" in text and "overfit" in text, text
