"""Filled pauses and word error rate on real human speech and on espeak-ng answers with short
inline "um,"/"uh,", through the default (accurate) final pass. Real models, so `slow`.

Which recordings and texts were used for tuning and which are held out is fixed in
tests/fixtures/speech/README.md; each figure is printed per split.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures" / "analysis"))
import corpus  # noqa: E402
import short_fillers  # noqa: E402

from interviewer.analysis import analyze  # noqa: E402
from interviewer.app.score_file import score_file  # noqa: E402
from interviewer.audio.io import load_audio, write_wav  # noqa: E402
from interviewer.speech.wer import edit_distance, normalise, real_speech_set  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def final_pass_engine():
    from interviewer.speech.final_pass import FinalPass

    engine = FinalPass()
    engine.warmup()
    return engine


@pytest.fixture(scope="session")
def real_runs(final_pass_engine, real_speech):
    """{relative path: (audio, accurate transcript)} for every real recording, transcribed once."""
    out = {}
    for _source, wav, _ref in real_speech_set(real_speech):
        audio = load_audio(wav)
        out[str(wav.relative_to(real_speech))] = (audio, final_pass_engine.transcribe(audio)[0])
    return out


def _match(labels: dict, found: list[dict], tolerance: float = 0.35) -> tuple[int, int]:
    """(true positives, false positives): by time where the label has times, else by count."""
    if "fillers" not in labels:
        tp = min(len(found), labels["count"])
        return tp, len(found) - tp
    return corpus.match_fillers(labels["fillers"], found, tolerance)


def test_filled_pauses_in_real_speech(real_runs, real_speech):
    labels = json.loads((real_speech / "fillers.json").read_text())["recordings"]
    q = corpus.questions()["fx-bias-variance"]
    per = {}
    for rel, lab in labels.items():
        audio, transcript = real_runs[rel]
        found = [f for f in analyze(q, transcript, audio).fillers if f["source"] in ("transcript", "acoustic")]
        tp, fp = _match(lab, found)
        s = per.setdefault(lab["split"], [0, 0, 0])
        s[0], s[1], s[2] = s[0] + tp, s[1] + fp, s[2] + lab["count"]
    tp, fp, n = (sum(v[i] for v in per.values()) for i in range(3))
    for split, (a, b, c) in sorted(per.items()):
        print(f"\n[real {split}] filled pauses: recall {a}/{c} = {a / c:.0%}, precision {a}/{a + b} = {a / max(1, a + b):.0%}")
    print(f"[real all] recall {tp}/{n} = {tp / n:.0%}, precision {tp}/{tp + fp} = {tp / max(1, tp + fp):.0%}")
    assert tp / n >= 0.8 and tp / (tp + fp) >= 0.8
    assert per["heldout"][0] / per["heldout"][2] >= 0.8  # recall holds on the recordings never tuned on


def test_word_error_rate_on_real_speech(real_runs, real_speech, transcriber):
    """Accurate beats standard on every kind of real speech, and stays under 7 % outside the
    staged "Montreal Forced Aligner" clips (see the report in tests/fixtures/speech/README.md)."""
    tally = {}
    for source, wav, ref in real_speech_set(real_speech):
        rel = str(wav.relative_to(real_speech))
        group = "staged" if wav.name.startswith("mfa_") else source
        audio, accurate = real_runs[rel]
        standard = transcriber.transcribe(audio)
        r = normalise(ref)
        t = tally.setdefault(group, [0, 0, 0])
        t[0] += edit_distance(r, normalise(accurate.text))
        t[1] += edit_distance(r, normalise(standard.text))
        t[2] += len(r)
    for group, (ea, es, n) in sorted(tally.items()):
        print(f"\n[wer {group}] accurate {ea}/{n} = {ea / n:.1%}, standard {es}/{n} = {es / n:.1%}")
    natural = [v for k, v in tally.items() if k != "staged"]
    ea, es, n = (sum(v[i] for v in natural) for i in range(3))
    print(f"[wer clips+read+monologues] accurate {ea / n:.1%}, standard {es / n:.1%}")
    assert ea / n <= 0.07 and ea < es
    assert sum(v[0] for v in tally.values()) < sum(v[1] for v in tally.values())


@pytest.mark.parametrize("quality", ["standard", "accurate"])
def test_a_stammer_loop_does_not_swallow_the_rest_of_the_answer(quality, real_speech, transcriber,
                                                                  final_pass_engine):
    """Six real "uh"s then a monologue, as one answer (tuning recordings). Both models fall
    into a decoder loop on the "uh"s ("up, up, up, ..." / "uh, uh, uh, ...") that ran to the
    end of the 30 s window and dropped the 28 s of answer after it (tiny.en: 111 errors in 69
    words; base: 59). The looping window is decoded again, barred from repeating itself."""
    import numpy as np

    parts = ("spontaneous/mfa_uhuh", "spontaneous/acoustic_corpus")
    audio = np.concatenate([load_audio(real_speech / f"{p}.wav") for p in parts])
    ref = normalise(" ".join((real_speech / f"{p}.txt").read_text() for p in parts))
    text = (transcriber.transcribe(audio) if quality == "standard" else final_pass_engine.transcribe(audio)[0]).text
    errors = edit_distance(ref, normalise(text))
    print(f"\n[stammer loop, {quality}] {errors}/{len(ref)}: {text}")
    assert "slightly lower in intensity" in text.lower()
    assert errors / len(ref) < 0.25


@pytest.mark.parametrize("clip, words", [("mfa_laughter", ("montreal", "forced")), ("mfa_uhuh", ("montreal", "forced"))])
def test_words_between_laughs_and_after_a_run_of_uhs_are_kept(clip, words, real_speech, final_pass_engine):
    """Tuning clips. Base looped on the laugh ("ha ha ha ..." for the whole clip, then dropped
    as laughter: an empty transcript) and on the six "uh"s, and the decode barred from
    repeating itself still lost "forced aligner". The decode with the VAD filter, cut at the
    pauses, keeps them."""
    text = final_pass_engine.transcribe(load_audio(real_speech / f"spontaneous/{clip}.wav"))[0].text
    print(f"\n[{clip}] {text}")
    assert all(w in normalise(text) for w in words)


# Real recordings end to end, 0.6 s apart, as one long answer whose timed fillers all fall
# after its first 30 s window. Each set holds recordings of one split only.
LONG_ANSWERS = {
    "tuning": ("spontaneous/mfa_cutoff", "jfk", "read/sense_and_sensibility_01_austen_64kb-0870",
               "spontaneous/acoustic_corpus", "read/sense_and_sensibility_01_austen_64kb-0880",
               "read/sense_and_sensibility_01_austen_64kb-0890"),
    "heldout": ("spontaneous/mfa_breaths", "librispeech-sir-i-exist", "read/sense_and_sensibility_01_austen_64kb-0920",
                "spontaneous/mfa_hes", "spontaneous/cold_corpus", "read/sense_and_sensibility_01_austen_64kb-0930",
                "librispeech-mister-quilter", "spontaneous/mfa_um"),
}


def long_answer(real_speech: Path, parts: tuple[str, ...]):
    """(audio, timed fillers shifted to their place in it, reference words)."""
    import numpy as np

    labels = json.loads((real_speech / "fillers.json").read_text())["recordings"]
    gap = np.zeros(int(0.6 * 16000), np.float32)
    pieces, truth, refs, at = [], [], [], 0.0
    for p in parts:
        audio = load_audio(real_speech / f"{p}.wav")
        truth += [{**f, "start": f["start"] + at, "end": f["end"] + at} for f in labels[f"{p}.wav"].get("fillers", [])]
        refs.append((real_speech / f"{p}.txt").read_text())
        pieces += [audio, gap]
        at += (audio.size + gap.size) / 16000
    return np.concatenate(pieces), truth, normalise(" ".join(refs))


def test_fillers_after_the_first_30_seconds_of_a_long_answer(final_pass_engine, real_speech):
    """faster-whisper primes only the first 30 s window with an `initial_prompt` when it does
    not carry text over: the disfluency prompt reached the first half-minute of an answer
    alone, and the filler pass found 0 of the 3 fillers at 47-62 s of the tuning answer
    (held out: 1 of 5 at 32-49 s). The prompt now primes every window (3 of 3; 3 of 5, and 2
    of 5 once the words pass carries its text across windows: WER 28 -> 22 errors in 119)."""
    q = corpus.questions()["fx-bias-variance"]
    recall = {}
    for split, parts in LONG_ANSWERS.items():
        audio, truth, ref = long_answer(real_speech, parts)
        transcript = final_pass_engine.transcribe(audio)[0]
        found = [f for f in analyze(q, transcript, audio).fillers if f["source"] in ("transcript", "acoustic")]
        tp, fp = corpus.match_fillers(truth, found, tolerance=0.35)
        errors = edit_distance(ref, normalise(transcript.text))
        recall[split] = tp / len(truth)
        if split == "tuning":  # the words pass carries its text across windows: 7 errors, was 10
            assert errors / len(ref) < 0.07, transcript.text
        print(f"\n[long answer, {split}] {audio.size / 16000:.0f} s: timed fillers {tp}/{len(truth)}, "
              f"{fp} other fillers; WER {errors}/{len(ref)} = {errors / len(ref):.1%}")
    assert recall["tuning"] == 1.0


# tuning: the first 18 texts of answers.yaml (what the thresholds were set on); heldout: all 7
@pytest.mark.parametrize("split,count,floor", [("tuning", 18, 0.8), ("heldout", 7, 0.8)])
def test_short_inline_fillers_in_espeak_answers(final_pass_engine, split, count, floor):
    """espeak-ng answers said in one go with "um,"/"uh," in the text (120-200 wpm)."""
    qs = corpus.questions()
    answers = {a.id: a for a in (*corpus.answers(), *corpus.heldout())}
    tp = total = false_clean = 0
    for aid, rate, markup in short_fillers.answer_set(split, 3)[:count]:
        a = answers[aid]
        s = short_fillers.synth_inline(markup, rate)
        found = [f for f in analyze(qs[a.question], final_pass_engine.transcribe(s.audio)[0], s.audio).fillers
                 if f["source"] in ("transcript", "acoustic")]
        tp += corpus.match_fillers(s.fillers, found, tolerance=0.35)[0]
        total += len(s.fillers)
        c = short_fillers.synth_inline(short_fillers.plain_markup(a.markup), rate)
        false_clean += sum(1 for f in analyze(qs[a.question], final_pass_engine.transcribe(c.audio)[0], c.audio).fillers
                           if f["source"] in ("transcript", "acoustic"))
    n = len(short_fillers.answer_set(split, 3)[:count])
    print(f"\n[espeak inline {split}] recall {tp}/{total} = {tp / total:.0%}; "
          f"false fillers on the clean answers {false_clean}/{n} = {false_clean / n:.2f} per answer")
    # Measured (faster-whisper 1.2.1, CTranslate2 4.8.5): tuning 48/54 = 89 %, held out
    # 19/21 = 90 % (18/21 since the final pass carries text across windows), since suspect gaps are decoded again, an unsure word heard as a filler
    # counts (before: 45/54 and 16/21) and the filler prompt primes every 30 s window (46/54
    # before; clean tuning answers 0.17 false fillers each, was 0.11). A 16-bit round trip of the audio moved two fillers
    # once, so the floor is the brief's 80 %, not the figure. Most misses left are fillers
    # glued to the word before them at 120-160 wpm (no dip between them) that Whisper writes
    # as "arm" or nothing, in both passes.
    assert tp / total >= floor and false_clean / n <= 0.25


def test_clarity_falls_as_spoken_fillers_rise(final_pass_engine, tmp_path):
    """The same espeak answer with 0, 3, 6 and 9 inline fillers, scored from audio.

    Measured on this held-out answer: clarity 100, 76, 44, 41 with 0, 2, 6, 7 fillers found.
    Before Whisper's "hum," counted as a filler and the penalty lost its cap at 40 it was
    100, 76, 55, 66 (found 0, 2, 6, 3)."""
    a = corpus.heldout()[0]
    text = short_fillers.plain_markup(a.markup)
    scores = []
    for n in (0, 3, 6, 9):
        s = short_fillers.synth_inline(short_fillers.with_fillers(text, n, seed=7), 150)
        wav = write_wav(tmp_path / f"fillers{n}.wav", s.audio)
        d = score_file(wav, corpus.question_file(a.question), final_pass_engine)
        scores.append((n, d["scores"]["clarity"], len([f for f in d["fillers"] if f["source"] != "lexical"])))
    print(f"\n[clarity] (fillers said, clarity, fillers found): {scores}")
    clarity = [c for _, c, _ in scores]
    assert all(x > y for x, y in zip(clarity, clarity[1:])), scores
