"""The accurate final pass: filler merging, the embedded base model, the stt_quality setting.

Fast tests here use no model; tests/test_speech_real.py runs the real models on real speech.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures" / "analysis"))
import corpus  # noqa: E402

from interviewer.analysis import analyze  # noqa: E402
from interviewer.analysis.text import is_filled_pause, transcript_from_text
from interviewer.errors import ModelError, UserError
from interviewer.speech import embedded_base, fillers, final_pass
from interviewer.transcript import Transcript, Word
from tests.helpers import run_cli


def _words(spec: str) -> list[Word]:
    """'so:0.0:0.2 uh:0.3:0.6' -> Words."""
    out = []
    for item in spec.split():
        text, a, b = item.rsplit(":", 2)
        out.append(Word(text, float(a), float(b)))
    return out


def test_prompted_fillers_that_the_plain_pass_lacks_are_added():
    plain = _words("so:0.0:0.3 bias:0.4:1.2 is:1.3:1.4 error:1.5:1.9")
    prompted = _words("so:0.0:0.3 uh,:0.4:0.7 bias:0.8:1.2 is:1.3:1.4 um:1.4:1.5 error:1.5:1.9")
    found = fillers.inserted_fillers(plain, prompted)
    assert [w.text for w in found] == ["uh,", "um"]
    merged = fillers.merge(Transcript(plain, 2.0), found)
    assert [w.text for w in merged.words] == ["so", "uh,", "bias", "is", "um,", "error"]


def test_an_article_becomes_a_filler_only_when_it_lasts_like_one():
    plain = _words("lasso:0.0:0.5 a:0.6:0.9 ridge:1.0:1.4 a:1.5:1.6 model:1.6:2.0")
    prompted = _words("lasso:0.0:0.5 uh:0.6:0.9 ridge:1.0:1.4 uh:1.5:1.58 model:1.6:2.0")
    found = fillers.aligned_fillers(plain, prompted)
    assert [(w.start, idx) for w, idx in found] == [(0.6, 1)]  # the 80 ms "uh" stays the article
    merged = fillers.merge(Transcript(plain, 2.0), [w for w, _ in found], {i for _, i in found})
    assert [w.text for w in merged.words] == ["lasso", "uh,", "ridge", "a", "model"]


def test_a_word_the_plain_pass_was_unsure_of_and_the_prompted_pass_hears_as_a_filler_is_one():
    """"recall firm, and" (p 0.17) for "recall, um, and": an espeak answer of the tuning set."""
    plain = [Word("recall", 7.43, 7.75, 0.88), Word("firm,", 7.75, 8.19, 0.17), Word("and", 8.35, 8.51, 0.99)]
    prompted = [Word("recall,", 7.47, 7.75, 0.92), Word("um,", 7.97, 8.19, 0.14), Word("and", 8.33, 8.51, 0.97)]
    found = fillers.aligned_fillers(plain, prompted)
    assert [(w.text, idx) for w, idx in found] == [("um,", 1)]
    merged = fillers.merge(Transcript(plain, 9.0), [w for w, _ in found], {i for _, i in found})
    assert [w.text for w in merged.words] == ["recall", "um,", "and"]
    sure = [plain[0], Word("firm,", 7.75, 8.19, 0.9), plain[2]]
    assert fillers.aligned_fillers(sure, prompted) == []  # a word it was sure of stays a word


class _ScriptedTranscriber:
    """The Transcriber boundary of FinalPass: the whole answer gives `plain` (unprompted) or
    `prompted`; a shorter stretch (a gap decoded again) gives `gap_words`, in its own time."""

    def __init__(self, plain, prompted, gap_words):
        self.plain, self.prompted, self.gap_words = plain, prompted, gap_words
        self.calls: list[tuple[float, str | None]] = []

    def transcribe(self, audio, prompt=None, **_kw):
        seconds = audio.size / 16000
        self.calls.append((round(seconds, 2), prompt))
        if seconds < 9.0:
            return Transcript(list(self.gap_words), seconds)
        return Transcript(list(self.prompted if prompt == fillers.FILLER_PROMPT else self.plain), seconds)

    def clear_encoder_cache(self):
        pass


def _voiced(spans: list[tuple[float, float]], seconds: float = 10.0) -> np.ndarray:
    """A 140 Hz tone in `spans`, faint noise elsewhere."""
    t = np.arange(int(16000 * seconds)) / 16000
    audio = np.random.default_rng(0).normal(0, 1e-4, t.size)
    for a, b in spans:
        sel = (t >= a) & (t < b)
        audio[sel] += 0.3 * np.sin(2 * np.pi * 140 * t[sel])
    return audio.astype(np.float32)


def _final_pass_over(stt) -> final_pass.FinalPass:
    engine = final_pass.FinalPass.__new__(final_pass.FinalPass)
    engine.transcriber = engine.filler_transcriber = stt
    engine.find_fillers = True
    return engine


def test_a_filler_both_whole_answer_passes_missed_is_found_by_decoding_its_gap_again():
    """The real tuning monologue's "um" at 22.9 s: neither whole-answer pass wrote it; the
    1.8 s gap it sits in, decoded again with a second of speech either side, gives it."""
    words = [Word("more", 1.0, 1.4), Word("words", 1.5, 2.0), Word("and", 2.1, 3.0),
             Word("that", 3.5, 3.8), Word("is", 5.6, 5.8), Word("all", 5.9, 6.3)]
    # voice where the words are and in 4.4-5.2 s; the pause at 3.0-3.5 s is silent, so it is
    # not decoded again
    audio = _voiced([(w.start, w.end) for w in words] + [(4.4, 5.2)])
    stt = _ScriptedTranscriber(words, words, [Word("and", 0.9, 1.1), Word("that", 1.2, 1.4), Word("um,", 2.0, 2.8),
                                              Word("is", 3.4, 3.6)])
    transcript, info = _final_pass_over(stt).transcribe(audio)
    assert info["gaps_decoded"] == 1
    gap_call = [c for c in stt.calls if c[0] < 9.0]
    # the gap 3.8-5.6 s, with 1.2 s before it and 1.0 s after, and the collage's separator
    assert gap_call == [(4.0 + fillers.GAP_SEPARATOR_S, fillers.FILLER_PROMPT)]
    assert [(w.text, round(w.start, 2)) for w in transcript.words if is_filled_pause(w.text)] == [("um,", 4.6)]


def test_a_gap_decode_adds_no_filler_already_found_outside_the_gap_or_without_length():
    plain = [Word("montreal", 0.9, 1.8), Word("forced", 3.6, 4.4), Word("aligner", 4.4, 5.0)]
    prompted = [Word("montreal", 0.9, 1.75), Word("uh,", 1.75, 2.0), Word("forced", 3.6, 4.4), Word("aligner", 4.4, 5.0)]
    audio = _voiced([(0.9, 2.0), (2.6, 3.0), (3.6, 5.0)])
    # the gap (1.8-3.6 s, decoded from 0.6 s) gives the same "uh" timed later, an "uh" with
    # no length (a decode gone astray) and an "um" that lies in "forced", not in the gap
    stt = _ScriptedTranscriber(plain, prompted, [Word("uh,", 1.3, 1.7), Word("uh,", 2.3, 2.3), Word("um,", 3.2, 3.6)])
    transcript, info = _final_pass_over(stt).transcribe(audio)
    assert info["gaps_decoded"] == 1
    assert [w.text for w in transcript.words if is_filled_pause(w.text)] == ["uh,"]


def test_gaps_are_decoded_together_in_collages_of_one_whisper_window():
    audio = np.arange(16000 * 60, dtype=np.float32) / 16000  # each sample is its own time
    windows = [(1.0, 5.0), (10.0, 20.0), (30.0, 44.0), (50.0, 53.0)]
    collages = fillers.gap_collages(audio, windows)
    sep = fillers.GAP_SEPARATOR_S
    assert [placed for _a, placed in collages] == [[(0, 0.0), (1, 4.0 + sep)], [(2, 0.0), (3, 14.0 + sep)]]
    first = collages[0][0]
    assert first.size / 16000 == pytest.approx(4.0 + 10.0 + 2 * sep)
    assert first[0] == pytest.approx(1.0) and first[int((4.0 + sep) * 16000)] == pytest.approx(10.0)
    assert all(a.size / 16000 <= fillers.COLLAGE_S + sep for a, _p in collages)


def test_decoder_loops_collapse_to_the_fillers_that_fit_in_time():
    loop = [Word("uh,", 5.5 + 0.002 * i, 5.6) for i in range(40)] + [Word("uh,", 6.0, 6.3), Word("forced", 6.4, 6.8)]
    out = fillers.collapse_loops([Word("montreal", 0.5, 1.0), *loop])
    assert [w.text for w in out] == ["montreal", "uh,", "uh,", "forced"]
    words = [Word("words,", 0.0, 0.3), Word("words,", 0.35, 0.6), Word("words", 0.62, 0.9)]
    assert fillers.collapse_loops(words) == words  # only fillers collapse: "words words words" is speech


def test_one_word_said_over_and_over_is_a_decoder_loop_however_long_the_window():
    """Without the VAD cutting an answer into short chunks, a loop sits in a window with the
    whole answer and its text no longer compresses past LOOP_COMPRESSION_RATIO: tiny.en wrote
    "up" 20 times for six real "uh"s and was not decoded again (32 errors in 69 words)."""
    from interviewer.speech.stt import _repeats_a_word

    assert _repeats_a_word("Montreal up, up, up, up, up, up, fourth to win her. This is the acoustic corpus.")
    assert not _repeats_a_word("Here's some more words, words, words, words.")  # four is speech
    assert not _repeats_a_word("Uh, uh, uh, uh, uh, uh, forced aligner.")  # real fillers: collapse_loops' job
    assert not _repeats_a_word("up, up, up, down, up, up, up")


def test_a_loop_counts_as_the_one_word_it_repeats_when_decodes_are_compared():
    """A looping window is decoded again two ways; the decode that kept the most words said
    wins, so a loop of one word ("ha ha ha ...", "up, up, ...") must not outscore real words."""
    from interviewer.speech.stt import _words_said

    laugh = [Word("ha", 0.7 + 0.05 * i, 0.75 + 0.05 * i) for i in range(200)]
    assert _words_said(laugh) == 0  # laughter
    assert _words_said(_words("up,:1.0:1.1 up,:1.1:1.2 up,:1.2:1.3 up:1.3:1.4")) == 1
    assert _words_said(_words("Montreal,:0.5:1.0 uh,:1.2:1.5 uh,:1.6:1.9 forced:2.0:2.4 a:2.5:2.6 liner:2.6:3.0")) == 4


def test_hyphen_led_tails_are_not_fillers():
    assert not is_filled_pause("-er") and is_filled_pause("er,")
    assert is_filled_pause("Uh,") and is_filled_pause("um...") and is_filled_pause("hum,")
    assert not is_filled_pause("human") and not is_filled_pause("arm")


def test_one_filler_spelled_two_ways_by_the_two_passes_is_one_filler():
    """The plain pass wrote a long "um" as "Ummmmm" from 70.6 s, the prompted pass as "um,"
    from 70.0 s: aligned as different words, the prompted one was added and the answer had
    two fillers where the speaker said one."""
    plain = [Word("forced", 69.0, 69.6), Word("Ummmmm", 70.6, 71.4), Word("a", 71.5, 71.6), Word("liner", 71.6, 72.0)]
    prompted = [Word("forced", 69.0, 69.6), Word("um,", 70.0, 71.2), Word("a", 71.5, 71.6), Word("liner.", 71.6, 72.0)]
    assert fillers.aligned_fillers(plain, prompted) == []
    merged = fillers.merge(Transcript(plain, 72.0), fillers.inserted_fillers(plain, prompted))
    assert [w.text for w in merged.words if is_filled_pause(w.text)] == ["Ummmmm"]


def test_a_long_hum_is_a_filler_however_many_letters_it_is_written_with():
    """Whisper writes a long "um" with as many letters as it lasted ("Montreal forced
    ummmmm a liner", a real recording)."""
    assert is_filled_pause("Ummmmm,") and is_filled_pause("uhhhh") and is_filled_pause("Hmmmm.") and is_filled_pause("Mmmm")
    assert not is_filled_pause("summer") and not is_filled_pause("all") and not is_filled_pause("too")


def _with_fillers(text: str, n: int) -> str:
    """n "um,"/"uh," put in at the commas and full stops, in order."""
    words = text.split()
    out, added = [], 0
    for w in words:
        out.append(w)
        if added < n and w.endswith((",", ".")):
            out.append("um," if added % 2 else "uh,")
            added += 1
    assert added == n
    return " ".join(out)


ANSWER = (
    "Bias is the error from a model that is too simple, so it underfits. Variance is the error from a model "
    "that is too flexible, so it overfits and memorizes noise. As complexity grows, bias falls and variance "
    "rises, so there is a sweet spot. I compare training error with validation error to tell them apart, "
    "and then I add regularization, more data, or bagging. For example, a deep tree that fits the training "
    "set perfectly but scores seventy percent on validation has high variance. So in short, I pick the "
    "complexity where validation error is lowest, and I check it with cross validation."
)


def test_a_word_stamped_across_skipped_speech_does_not_count_as_covering_it():
    """Whisper stamps the word before skipped speech across all of it ('of' at 33.9-46.8 s)."""
    from interviewer.speech.answers import speech_coverage

    rng = np.random.default_rng(0)
    audio = (0.2 * rng.standard_normal(16000 * 20)).astype(np.float32)  # 20 s, loud throughout
    said = [Word(f"w{i}", i * 0.4, i * 0.4 + 0.3) for i in range(25)]  # words for the first 10 s
    assert speech_coverage(Transcript(said, 20.0), audio) < 0.6
    stretched = said[:-1] + [Word("of", said[-1].start, 19.9)]
    assert speech_coverage(Transcript(stretched, 20.0), audio) < 0.7
    assert speech_coverage(Transcript([Word(f"w{i}", i * 0.4, i * 0.4 + 0.3) for i in range(50)], 20.0), audio) > 0.95


@pytest.mark.slow
def test_an_answer_the_prompted_pass_cut_short_is_transcribed_to_the_end():
    """tests/fixtures/skipped_speech: base, prompted with the question, stopped 15 s early."""
    from interviewer.audio.io import load_audio
    from interviewer.content.bank import load_bank
    from interviewer.speech.stt import build_prompt

    folder = Path(__file__).resolve().parent / "fixtures" / "skipped_speech"
    q = next(q for q in load_bank(include_user=False) if q.id == "sd-eta-prediction")
    audio = load_audio(folder / "eta_answer_espeak.flac")
    transcript, info = final_pass.FinalPass(find_fillers=False).transcribe(
        audio, prompt=build_prompt(q.prompt, q.all_cues()[:20]))
    text = transcript.text.lower()
    assert "completed trips" in text and "tabular features" in text, (info, text)
    assert analyze(q, transcript).to_dict()["key_points"]["covered"].count("labels_model") == 1


def test_clarity_falls_with_every_three_fillers():
    q = corpus.questions()["fx-bias-variance"]
    scores = []
    for n in (0, 3, 6, 9):
        t = transcript_from_text(_with_fillers(ANSWER, n), wpm=150)
        r = analyze(q, t)
        assert sum(1 for f in r.fillers if f["source"] == "transcript") == n
        scores.append(r.scores["clarity"])
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == 4, scores


def test_quality_costs_are_there_for_the_gui():
    std, acc = (final_pass.cost_seconds_per_minute(q) for q in final_pass.QUALITIES)
    assert 0 < std < acc < 60
    with pytest.raises(UserError, match="standard, accurate"):
        final_pass.cost_seconds_per_minute("best")


def test_bad_stt_quality_in_settings_is_a_clear_error(isolated_home):
    from interviewer.config import settings_path

    settings_path().write_text(json.dumps({"stt_quality": "best"}))
    proc = run_cli("questions", "--json")
    assert proc.returncode == 1 and "stt_quality" in proc.stderr and "Traceback" not in proc.stderr


def test_bad_stt_quality_flag_is_a_usage_error():
    proc = run_cli("transcribe", "x.wav", "--stt-quality", "best")
    assert proc.returncode == 2 and "standard" in proc.stderr and "Traceback" not in proc.stderr


def _fake_parts(tmp_path, monkeypatch, payload: bytes):
    """Two parts holding `payload` cut in two, with the side files of a model folder."""
    folders = []
    for i, chunk in enumerate((payload[: len(payload) // 2], payload[len(payload) // 2 :]), 1):
        d = tmp_path / f"part{i}" / "data"
        d.mkdir(parents=True)
        (d / f"model.bin.part{i}").write_bytes(chunk)
        for side in ("config.json", "tokenizer.json", "vocabulary.txt"):
            (d / side).write_text("{}")
        folders.append(d / f"model.bin.part{i}")
    monkeypatch.setattr(embedded_base, "part_files", lambda: folders)
    monkeypatch.setattr(embedded_base, "MODEL_BIN_SIZE", len(payload))
    return folders


def test_base_parts_are_joined_once_and_checked(tmp_path, monkeypatch, isolated_home):
    import hashlib

    payload = bytes(range(256)) * 1000
    _fake_parts(tmp_path, monkeypatch, payload)
    monkeypatch.setattr(embedded_base, "_expected_sha", lambda: hashlib.sha256(payload).hexdigest())
    out = embedded_base.ensure_joined()
    assert (out / "model.bin").read_bytes() == payload and (out / "tokenizer.json").is_file()
    mtime = (out / "model.bin").stat().st_mtime_ns
    assert embedded_base.ensure_joined() == out and (out / "model.bin").stat().st_mtime_ns == mtime  # not rejoined


def test_base_parts_that_do_not_match_the_manifest_are_refused(tmp_path, monkeypatch, isolated_home):
    _fake_parts(tmp_path, monkeypatch, b"not a model" * 100)
    monkeypatch.setattr(embedded_base, "_expected_sha", lambda: "0" * 64)
    with pytest.raises(ModelError) as err:
        embedded_base.ensure_joined()
    assert "sha256" in str(err.value) and "pip install --force-reinstall" in err.value.fix
    assert not (embedded_base.target_dir() / "model.bin").exists()  # nothing half-joined left in place


def test_no_base_model_means_a_clear_message_for_accurate(monkeypatch):
    monkeypatch.setattr(embedded_base, "part_files", lambda: None)
    with pytest.raises(ModelError) as err:
        final_pass.FinalPass()
    assert "--stt-quality standard" in err.value.fix


def test_laughter_is_not_words_but_a_lone_ha_is():
    text = "Ha ha ha! Montreal! Ha -ha! (laughs) Hahaha ha, he said".split()
    kept = [w.text for w in fillers.drop_laughter([Word(t, i, i + 0.5) for i, t in enumerate(text)])]
    assert kept == ["Montreal!", "ha,", "he", "said"]


class _StubEngine:
    """Stands in for FinalPass: 'transcribes' to a fixed transcript at once."""

    def __init__(self, transcript: Transcript) -> None:
        self.transcript = transcript
        self.submitted = 0

    def submit(self, audio, prompt=None):
        from concurrent.futures import Future

        self.submitted += 1
        f = Future()
        f.set_result((self.transcript, {"model": "stub"}))
        return f

    def close(self) -> None:
        pass


def test_session_hooks_swap_in_the_accurate_analysis():
    import numpy as np

    from interviewer.analysis import score_answer

    q = corpus.questions()["fx-bias-variance"]
    live_t = transcript_from_text("Bias is when the model is too simple and underfits.", wpm=150)
    accurate_t = transcript_from_text("Bias is when the model is too simple, uh, and underfits, um, the data.", wpm=150)
    stub = _StubEngine(accurate_t)
    passes = final_pass.FinalPasses(stub)
    audio = np.zeros(16000 * 5, dtype=np.float32)
    live = score_answer(q, live_t)
    record = type("Rec", (), {"analysis": live, "transcript": live_t.to_dict()})()
    passes.schedule(q, live_t, audio, live)
    assert stub.submitted == 1
    assert passes.finish([record]) == 1
    assert record.analysis is live and live["stt"]["quality"] == "accurate"  # same dict, new content
    assert "uh" in record.transcript["text"] and live["live_transcript"].startswith("Bias is when")
    assert live["filled_pauses"] == 2 or len([f for f in live["fillers"] if f["source"] == "transcript"]) == 2


def test_standard_quality_has_no_final_pass(monkeypatch):
    from interviewer.config import Settings

    monkeypatch.setattr(final_pass, "FinalPass", lambda *a, **k: pytest.fail("no final pass at standard quality"))
    assert final_pass.for_settings(Settings(stt_quality="standard")) is None


def test_the_store_gets_the_accurate_analysis(isolated_home):
    from interviewer.history import Store

    q = corpus.questions()["fx-bias-variance"]
    live_t = transcript_from_text("Bias is when the model is too simple.", wpm=150)
    accurate_t = transcript_from_text("Bias is when the model is too simple, uh, and underfits.", wpm=150)
    from interviewer.analysis import score_answer

    with Store.open() as store:
        sid = store.begin_session("fundamentals")
        store.record_answer(sid, question={"id": q.id, "category": q.category, "prompt": q.prompt},
                            turn={"kind": "answer", "index": 0}, transcript=live_t.to_dict(),
                            analysis=score_answer(q, live_t))
        accurate = score_answer(q, accurate_t)
        assert store.update_answer_analysis(sid, 0, accurate_t.to_dict(), accurate)
        assert not store.update_answer_analysis(sid, 5, accurate_t.to_dict(), accurate)  # no such turn
        (turn,) = store.session(sid)["turns"]
        assert "uh" in turn["transcript"]["text"] and turn["analysis"]["scores"] == accurate["scores"]
