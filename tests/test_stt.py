"""Speech recognition with the real embedded tiny.en model."""

import re

import numpy as np
import pytest

from interviewer.audio.io import load_audio

pytestmark = pytest.mark.slow


def normalise(text: str) -> list[str]:
    text = text.lower().replace("mr.", "mister")
    return re.findall(r"[a-z']+", text)


def wer(ref: str, hyp: str) -> float:
    r, h = normalise(ref), normalise(hyp)
    d = np.zeros((len(r) + 1, len(h) + 1), dtype=int)
    d[:, 0] = np.arange(len(r) + 1)
    d[0, :] = np.arange(len(h) + 1)
    for i in range(1, len(r) + 1):
        for j in range(1, len(h) + 1):
            d[i, j] = min(d[i - 1, j] + 1, d[i, j - 1] + 1, d[i - 1, j - 1] + (r[i - 1] != h[j - 1]))
    return d[len(r), len(h)] / len(r)


JFK = "And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country."


def test_jfk_word_error_rate(transcriber, real_speech):
    result = transcriber.transcribe(load_audio(real_speech / "jfk.wav"))
    assert wer(JFK, result.text) <= 0.10, result.text
    starts = [w.start for w in result.words]
    assert starts == sorted(starts) and result.words[-1].end <= 11.1


@pytest.mark.parametrize(
    "name,ref",
    [
        ("librispeech-sir-i-exist.wav", "A man said to the universe, sir, I exist."),
        ("librispeech-mister-quilter.wav", "Nor is mister Quilter's manner less interesting than his matter."),
    ],
)
def test_librispeech_samples(transcriber, real_speech, name, ref):
    assert wer(ref, transcriber.transcribe(load_audio(real_speech / name)).text) <= 0.15


def test_silence_and_noise_give_no_words(transcriber):
    rng = np.random.default_rng(0)
    assert transcriber.transcribe(np.zeros(16000 * 5, dtype=np.float32)).words == []
    noise = (rng.standard_normal(16000 * 5) * 0.01).astype(np.float32)
    assert transcriber.transcribe(noise).words == []


def test_the_pronoun_i_is_a_capital_in_the_prompt_and_in_the_words():
    """The bank's cues are lower case ("i owned", "i was responsible"); as the prompt they
    taught Whisper to write "i", which the transcript showed and lead-ins quoted."""
    from interviewer.speech.stt import _capital_i, build_prompt

    assert build_prompt("What happened?", ["i owned", "i'm on call", "ai models", "if it fails"]) == \
        "I owned, I'm on call, ai models, if it fails. What happened?"
    assert [_capital_i(w) for w in ("i", "i'd,", "i've", "it", "hi", "i.")] == ["I", "I'd,", "I've", "it", "hi", "I."]
