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
