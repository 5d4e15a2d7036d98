"""Streaming transcription with the real tiny.en model: segments, cuts inside speech, and
the window faster-whisper would decode over trailing silence."""

from __future__ import annotations

import re
import time

import numpy as np
import pytest

from interviewer.audio import SAMPLE_RATE
from interviewer.audio.io import load_audio
from interviewer.audio.sources import FRAME
from interviewer.audio.vad import StreamingVad
from interviewer.speech.streaming import StreamingTranscriber
from interviewer.speech.stt import SttSettings, Transcriber, build_prompt

pytestmark = pytest.mark.slow

LONG = ("Gradient boosting fits each new tree to the residual errors of the ensemble so far and adds it with a small "
        "learning rate which is why it needs early stopping on a validation set to avoid overfitting the training data")


def words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())


def overlap(ref: str, hyp: str) -> float:
    r, h = words(ref), set(words(hyp))
    return sum(w in h for w in r) / len(r)


def feed(stream: StreamingTranscriber, audio: np.ndarray, on_frame=None, real_time: bool = False) -> None:
    vad = StreamingVad()
    speaking = False
    t0 = time.monotonic()
    for i in range(0, audio.size - FRAME + 1, FRAME):
        if real_time:  # the microphone's pace
            time.sleep(max(0.0, t0 + i / SAMPLE_RATE - time.monotonic()))
        frame = audio[i:i + FRAME]
        p = vad(frame)
        speaking = p >= (0.35 if speaking else 0.5)
        stream.add(frame, speaking)
        if on_frame:
            on_frame(i / SAMPLE_RATE)


def test_unbroken_speech_is_cut_and_transcribed_while_it_goes_on(transcriber, make_speech):
    audio = load_audio(make_speech(LONG, wpm=200))  # ~11 s with no pause long enough to close a segment: cut after 6 s
    assert audio.size / SAMPLE_RATE > 9
    stream = StreamingTranscriber(transcriber, prompt=build_prompt("How does gradient boosting work?"),
                                  split_after_s=6.0)
    seen = []
    feed(stream, audio, on_frame=lambda t: seen.append((t, stream.settled_count())), real_time=True)
    assert stream.splits >= 1
    first_text_at = next(t for t, n in seen if n > 0)
    assert first_text_at < audio.size / SAMPLE_RATE - 3  # text arrived while the candidate was still talking
    open_tail = (stream._current.audio_len / SAMPLE_RATE) if stream._current else 0.0
    assert open_tail <= 6.0 + 0.1  # what is left for the end of the turn is a few seconds at most
    transcript = stream.finish()
    assert overlap(LONG, transcript.text) >= 0.5, transcript.text  # cuts inside speech cost accuracy
    starts = [w.start for w in transcript.words]
    assert starts == sorted(starts) and transcript.words[-1].end <= audio.size / SAMPLE_RATE + 0.1
    stream.close()


def test_a_short_answer_is_not_cut(transcriber, make_speech):
    audio = load_audio(make_speech("A validation set is used to tune the hyperparameters."))
    stream = StreamingTranscriber(transcriber)
    feed(stream, np.concatenate([audio, np.zeros(SAMPLE_RATE, dtype=np.float32)]))
    assert stream.splits == 0
    assert "validation set" in stream.finish().text.lower()
    stream.close()


def test_no_second_window_over_trailing_silence(stt_model_path, make_speech):
    """With a prompt and word timestamps faster-whisper would encode the audio after the last
    word again; the guard skips that window when it holds no speech, and the words stay the same."""
    audio = load_audio(make_speech("A random forest averages many decision trees to reduce variance."))
    prompt = build_prompt("How does a random forest work?", ["bagging", "variance", "decision trees"])
    guarded = Transcriber(stt_model_path)
    plain = Transcriber(stt_model_path, SttSettings(skip_silent_windows=False))
    a = guarded.transcribe(audio, prompt=prompt)
    b = plain.transcribe(audio, prompt=prompt)
    assert guarded.windows_skipped == 1 and plain.windows_skipped == 0
    assert [w.text for w in a.words] == [w.text for w in b.words]
    assert "forest" in a.text.lower()


def test_speech_after_the_first_window_is_still_decoded(stt_model_path, make_speech):
    """A long clip needs more than one 30 s window: the guard must let those through."""
    part = load_audio(make_speech("Precision is the share of predicted positives that are correct."))
    gap = np.zeros(int(31 * SAMPLE_RATE) - part.size, dtype=np.float32)
    audio = np.concatenate([part, gap, part])  # the second sentence starts after 31 s
    no_vad = Transcriber(stt_model_path, SttSettings(vad_filter=False))  # keep the silence in
    text = no_vad.transcribe(audio).text.lower()
    assert text.count("precision") == 2, text
