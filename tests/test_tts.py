"""pyttsx3 speaks into a buffer in its own thread."""

import numpy as np
import pytest

from interviewer.audio.io import load_audio
from interviewer.speech.tts import Speaker, Voice

pytestmark = pytest.mark.slow


def test_pyttsx3_writes_a_plausible_wav(tmp_path):
    speaker = Speaker(Voice(rate=175))
    text = "Tell me about a time you had to explain a model's results to people without a technical background."
    try:
        path = speaker.speak_to_file(text, tmp_path / "q.wav")
    finally:
        speaker.close()
    quick = Speaker(Voice(rate=260))  # the rate a Speaker is made with applies to all its lines
    try:
        fast = quick.synthesize(text).result(timeout=30)
    finally:
        quick.close()
    audio = load_audio(path)
    seconds = audio.size / 16000
    words = len(text.split())
    assert 0.5 * words / 175 * 60 < seconds < 2.0 * words / 175 * 60  # close to the asked-for rate
    rms_db = 20 * np.log10(np.sqrt(np.mean(audio**2)))
    assert rms_db > -40  # audible, not silence
    assert fast.size < audio.size * 0.85  # the rate setting takes effect


def test_each_line_is_spoken_at_its_own_rate_and_pitch():
    """A voice change between lines must not reach into the neighbouring line."""
    text = "Walk me through how you would pick a learning rate for a new model."
    speaker = Speaker(Voice(rate=175))
    try:
        voices = [Voice(rate=260), Voice(rate=150), Voice(rate=260), Voice(rate=150, pitch=20), Voice(rate=150, pitch=80)]
        lines = [speaker.synthesize(text, v).result(timeout=30) for v in voices]
    finally:
        speaker.close()
    fast, slow = [lines[0].size, lines[2].size], [lines[1].size, lines[3].size]
    assert max(fast) < min(slow) * 0.7  # 150/260 = 0.58: each line has its own rate
    assert max(fast) < min(fast) * 1.03 and max(slow) < min(slow) * 1.03

    def f0(audio, sr=16000):  # median pitch of the voiced frames, by autocorrelation
        found = []
        for i in range(0, audio.size - 800, 800):
            frame = audio[i:i + 800]
            if np.sqrt(np.mean(frame ** 2)) < 0.02:
                continue
            corr = np.correlate(frame, frame, "full")[799:]
            found.append(sr / (sr // 400 + np.argmax(corr[sr // 400: sr // 60])))
        return np.median(found)

    assert f0(lines[3]) * 1.3 < f0(lines[4])  # pitch 20 vs 80


def test_speaker_is_usable_from_several_threads():
    import threading

    speaker = Speaker()
    out = []
    try:
        threads = [threading.Thread(target=lambda i=i: out.append(speaker.synthesize(f"Number {i}.").result(30)))
                   for i in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        speaker.close()
    assert len(out) == 3 and all(a.size > 1000 for a in out)



def test_two_speakers_alive_at_once_both_speak():
    """pyttsx3 hands every caller in a process the same engine, and espeak-ng is one per
    process. With a thread per Speaker, two Speakers alive at once (the app reloading its
    models while the old runtime's Speaker is still up) drove one engine from two threads:
    measured, one of six lines was lost (a 60 s timeout). One thread now serves them all."""
    import threading

    speakers = [Speaker(), Speaker(Voice(rate=220))]
    sizes, errors = [], []

    def talk(speaker, who):
        try:
            for k in range(3):
                sizes.append(speaker.synthesize(f"Speaker {who} says line {k}, with a few more words.").result(30).size)
        except Exception as exc:
            errors.append(repr(exc))

    threads = [threading.Thread(target=talk, args=(s, i)) for i, s in enumerate(speakers)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        for s in speakers:
            s.close()
    assert errors == [] and len(sizes) == 6 and min(sizes) > 16000
    assert sum(t.name == "tts" for t in threading.enumerate()) == 1
