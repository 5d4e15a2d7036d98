"""analyze(): one answer in, an explainable AnswerAnalysis out."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..content.bank import STORY_CATEGORIES, Question
from ..transcript import Transcript, Word
from . import acoustic
from .clarity import fmt_time, hedges, jargon, lexical_fillers, long_sentences, repetitions, score_clarity
from .depth import analyze_depth, build_views, follow_up_depth
from .pacing import BAND as PACE_BAND
from .pacing import BAND_TEXT, LONG_PAUSE_S, WINDOW_S, chart_window_s, score_pacing, wpm_windows
from .structure import analyze_structure
from .text import is_filled_pause, sentences, tokenize

AUDIENCES = ("interviewer", "non_expert")

# How much each dimension counts, by question category: depth leads a fundamentals
# screen, structure leads behavioral; pacing is never more than a tie-breaker.
WEIGHTS: dict[str, dict[str, float]] = {
    "fundamentals": {"depth": 0.50, "clarity": 0.20, "structure": 0.15, "pacing": 0.15},
    "ml_coding": {"depth": 0.45, "clarity": 0.20, "structure": 0.20, "pacing": 0.15},
    "case_study": {"depth": 0.35, "clarity": 0.20, "structure": 0.30, "pacing": 0.15},
    "system_design": {"depth": 0.35, "clarity": 0.15, "structure": 0.35, "pacing": 0.15},
    "behavioral": {"depth": 0.20, "clarity": 0.25, "structure": 0.40, "pacing": 0.15},
    "project": {"depth": 0.30, "clarity": 0.25, "structure": 0.30, "pacing": 0.15},
}
# A reply to a follow-up is judged on what the follow-up asked (depth), how it was said
# (clarity) and its pace. Structure is left out: signposts, assumptions and a conclusion
# belong to a full answer, and a crisp two-sentence reply has none of them, rightly.
FOLLOW_UP_WEIGHTS = {"depth": 0.55, "clarity": 0.30, "pacing": 0.15}
FOLLOW_UP_STRUCTURE_NOTE = ("not scored for a follow-up reply: structure is judged on the full answer; "
                            "a reply is judged on whether it answers what was asked")
ACOUSTIC_WORD = "(um/uh)"


@dataclass
class AnswerAnalysis:
    question_id: str
    category: str
    audience: str
    transcript: str
    duration_s: float
    word_count: int
    wpm: float
    fillers: list[dict]
    fillers_per_min: float
    pauses: list[dict]
    key_points: dict[str, list[str]]
    scores: dict[str, int]
    feedback: list[dict]
    extra: dict[str, Any] = field(default_factory=dict)
    no_speech: bool = False

    @property
    def covered(self) -> list[str]:
        return self.key_points["covered"]

    @property
    def missed(self) -> list[str]:
        return self.key_points["missed"]

    def to_dict(self) -> dict:
        d = {
            "transcript": self.transcript,
            "duration_s": self.duration_s,
            "word_count": self.word_count,
            "wpm": self.wpm,
            "fillers": self.fillers,
            "fillers_per_min": self.fillers_per_min,
            "pauses": self.pauses,
            "key_points": self.key_points,
            "scores": self.scores,
            "feedback": self.feedback,
            "question_id": self.question_id,
            "category": self.category,
            "audience": self.audience,
            "no_speech": self.no_speech,
        }
        d.update(self.extra)
        return d


def _tip(text: str, evidence: str, start: float | None = None, area: str = "", key_point: str | None = None) -> dict:
    d = {"tip": text, "evidence": evidence}
    if key_point:
        d["key_point"] = key_point  # a later answer in the same thread may cover it: the report drops the tip
    if start is not None:
        d["start"] = round(start, 2)
        d["at"] = fmt_time(start)
    if area:
        d["area"] = area
    return d


def _no_speech(question: Question, transcript: Transcript, audience: str, target: int | None) -> AnswerAnalysis:
    dur = round(float(transcript.duration_s), 2)
    fb = [
        _tip(
            "No speech was detected, so there is nothing to score. Check that the microphone is on and not muted, "
            "speak closer to it, and try the answer again.",
            f"{dur:.1f} s of audio with no words recognised",
            0.0,
            "input",
        )
    ]
    scores = {"clarity": 0, "pacing": 0, "depth": 0, "structure": 0, "overall": 0}
    explanations = {
        k: {"raised": [], "lowered": [{"reason": "no speech detected", "evidence": f"{dur:.1f} s of audio, no words"}]}
        for k in scores
    }
    extra = {
        "speech_start": None,
        "speech_end": None,
        "speaking_s": 0.0,
        "target_seconds": target,
        "time_vs_target": "no speech",
        "wpm_windows": [],
        "pace_curve": [],
        "filled_pauses": 0,
        "filled_pause_sources": {"transcript": 0, "acoustic": 0},
        "lexical_fillers": [],
        "hedges": [],
        "repetitions": [],
        "long_sentences": [],
        "jargon": [],
        "structure": {"format": None, "elements": []},
        "specificity": {"numbers": [], "examples": [], "tradeoffs": []},
        "key_point_evidence": [],
        "score_explanations": explanations,
        "weights": WEIGHTS.get(question.category, WEIGHTS["fundamentals"]),
    }
    return AnswerAnalysis(
        question.id, question.category, audience, "", dur, 0, 0.0, [], 0.0, [],
        {"covered": [], "missed": [kp.id for kp in question.key_points]}, scores, fb, extra, no_speech=True,
    )


def _merge_fillers(transcribed: list[Word], gaps: list[tuple[float, float]]) -> tuple[list[dict], int, int]:
    """One entry per filled pause. Whisper's time for a filler it kept can be a second
    off; the acoustic island is exact, so a transcribed filler near an island is that
    island, with the island's time and the transcript's word."""
    out = []
    free = sorted(gaps)
    used: set[int] = set()
    for w in transcribed:
        mid = 0.5 * (w.start + w.end)
        best, best_d = None, 1.0
        for k, (a, b) in enumerate(free):
            if k in used:
                continue
            d = 0.0 if a <= mid <= b else min(abs(mid - a), abs(mid - b))
            if d <= best_d:
                best, best_d = k, d
        word = w.text.strip(".,;:!?").lower()
        if best is not None:
            used.add(best)
            a, b = free[best]
            out.append({"word": word, "start": round(a, 2), "end": round(b, 2), "source": "transcript"})
        else:
            out.append({"word": word, "start": round(w.start, 2), "end": round(w.end, 2), "source": "transcript"})
    n_ac = 0
    for k, (a, b) in enumerate(free):
        if k not in used:
            out.append({"word": ACOUSTIC_WORD, "start": round(a, 2), "end": round(b, 2), "source": "acoustic"})
            n_ac += 1
    out.sort(key=lambda f: f["start"])
    return out, len(transcribed), n_ac


def _windows(spoken: list[Word], onset: float, offset: float, window_s: float) -> list[dict]:
    """Pace per window of the spoken words; the first window starts at the audio onset,
    although Whisper may time the first word earlier, so its early words count there."""
    windows = wpm_windows([w.start for w in spoken], onset, offset, window_s)
    if windows and spoken[0].start < onset:
        windows[0]["words"] = sum(1 for w in spoken if w.start < windows[0]["end"])
        windows[0]["wpm"] = round(windows[0]["words"] / max(0.1, windows[0]["end"] - windows[0]["start"]) * 60.0, 1)
    return windows


def analyze(
    question: Question,
    transcript: Transcript,
    audio: np.ndarray | None = None,
    *,
    target_seconds: int | None = None,
    audience: str = "interviewer",
    follow_up_on: str | None = None,
    probe: bool = False,
) -> AnswerAnalysis:
    """Score one answer. `audio` (16 kHz mono float32) sharpens pace and filled-pause counts.

    `follow_up_on`: the key point a follow-up asked about, when this is the reply to it. The
    reply is then scored on that point, with no length target (the question's target is for
    the full answer) and no structure score; which points it covers is still read in full,
    so the question's thread gets the credit for anything it explains. `probe`: the follow-up
    went deeper on a point the thread had already covered."""
    t0 = time.perf_counter()
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {AUDIENCES}, got {audience!r}")
    if follow_up_on is not None and all(kp.id != follow_up_on for kp in question.key_points):
        follow_up_on = None  # a point no longer in the question: judge the reply as an answer
    target = target_seconds if target_seconds is not None else question.target_seconds
    if follow_up_on is not None:
        target = None
    words = [w for w in transcript.words if w.text.strip()]
    duration = float(transcript.duration_s or (audio.size / acoustic.SAMPLE_RATE if audio is not None else 0.0))
    if audio is not None:
        audio = np.asarray(audio, dtype=np.float32).reshape(-1)
        duration = max(duration, audio.size / acoustic.SAMPLE_RATE)
    spoken = [w for w in words if not is_filled_pause(w.text)]
    if not spoken:
        tr = Transcript([], duration)
        return _no_speech(question, tr, audience, target)
    transcribed_fillers = [w for w in words if is_filled_pause(w.text)]

    # --- the waveform: onset/offset, silences, filled pauses Whisper dropped ------------
    frames = acoustic.energy_frames(audio) if audio is not None and audio.size else None
    if frames is not None:
        gaps = acoustic.voiced_gaps(audio, frames, spoken, 0.0, duration)
        after = 0.0
        onset, offset = acoustic.speech_bounds(frames, spoken, after)
        for _ in range(3):  # a filled pause that opens the answer is not its first word
            opener = [
                e for s, e in [*gaps, *((w.start, w.end) for w in transcribed_fillers)] if onset is not None and s - 0.15 <= onset < e
            ]
            if not opener:
                break
            after = max(opener)
            onset, offset = acoustic.speech_bounds(frames, spoken, after)
    else:
        gaps = [tuple(g) for g in transcript.voiced_gaps]
        onset = transcript.speech_start if transcript.speech_start is not None else spoken[0].start
        offset = transcript.speech_end if transcript.speech_end is not None else spoken[-1].end
    onset = float(onset if onset is not None else spoken[0].start)
    offset = float(offset if offset is not None else spoken[-1].end)
    span = max(offset - onset, 0.3)
    fillers_f, n_tr, n_ac = _merge_fillers(transcribed_fillers, [g for g in gaps if onset - 1.0 <= g[0] <= offset + 0.5])

    # --- pauses -------------------------------------------------------------------------
    if frames is not None:
        raw_pauses = acoustic.silences(frames, onset, offset, LONG_PAUSE_S)
        # a gap that holds a voiced filler is not a silence; silences must fall between words
        pauses = [{"start": round(s, 2), "duration": round(d, 2)} for s, d in raw_pauses]
    else:
        pauses = []
        for a, b in zip(words, words[1:]):
            if b.start - a.end >= LONG_PAUSE_S:
                pauses.append({"start": round(a.end, 2), "duration": round(b.start - a.end, 2)})

    # --- text ---------------------------------------------------------------------------
    tokens = tokenize(words)
    sents = sentences(tokens)
    views = build_views(tokens, sents)
    # Whisper writes "trade -off": the "-off" continues the word before it
    word_count = sum(1 for w in spoken if not w.text.strip().startswith(("-", "'")))
    wpm = word_count / span * 60.0
    windows = _windows(spoken, onset, offset, WINDOW_S)  # what the pacing score judges
    short = chart_window_s(span)
    curve = windows if short >= WINDOW_S else _windows(spoken, onset, offset, short)  # what the chart draws
    minutes = span / 60.0

    depth = analyze_depth(question, views, words)
    credited = {r.id: r.evidence[0] for r in depth.key_points if r.covered and r.evidence}
    structure = analyze_structure(question.category, views, words, offset, credited)
    lex = lexical_fillers(tokens, words)
    hed = hedges(tokens, words)
    reps = repetitions(tokens, words)
    longs = long_sentences(views, words)
    terms = jargon(views, words)
    clarity_score, c_up, c_down = score_clarity(fillers_f, lex, hed, reps, longs, terms, minutes, audience)
    pacing = score_pacing(wpm, windows, pauses, span, target)

    all_fillers = sorted(
        fillers_f + [{"word": f.word, "start": round(f.start, 2), "source": "lexical"} for f in lex], key=lambda f: f["start"]
    )
    fillers_per_min = round(len(all_fillers) / minutes, 2) if minutes > 0 else 0.0

    scores = {"clarity": clarity_score, "pacing": pacing.score, "depth": depth.score, "structure": structure.score}
    weights = WEIGHTS.get(question.category, WEIGHTS["fundamentals"])
    depth_up, depth_down = depth.raised, depth.lowered
    structure_expl: dict = {"raised": structure.raised, "lowered": structure.lowered}
    if follow_up_on is not None:
        scores["depth"], depth_up, depth_down = follow_up_depth(depth, follow_up_on, probe)
        del scores["structure"]
        weights = FOLLOW_UP_WEIGHTS
        structure_expl = {"raised": [], "lowered": [], "note": FOLLOW_UP_STRUCTURE_NOTE}
    overall = sum(scores[k] * w for k, w in weights.items())
    scores["overall"] = int(round(overall))
    covered = [r.id for r in depth.key_points if r.covered]
    missed = [r.id for r in depth.key_points if not r.covered]

    explanations = {
        "clarity": {"raised": c_up, "lowered": c_down},
        "pacing": {"raised": pacing.raised, "lowered": pacing.lowered},
        "depth": {"raised": depth_up, "lowered": depth_down},
        "structure": structure_expl,
        "overall": {
            "raised": [{"reason": f"{k} {scores[k]} x weight {w:.2f}", "evidence": f"{question.category} weights"} for k, w in weights.items() if scores[k] >= 60],
            "lowered": [{"reason": f"{k} {scores[k]} x weight {w:.2f}", "evidence": f"{question.category} weights"} for k, w in weights.items() if scores[k] < 60],
        },
    }

    feedback = _feedback(question, depth, structure, pacing, all_fillers, lex, hed, reps, longs, terms, audience, onset, offset, minutes)
    if follow_up_on is not None:  # tips about the full answer's other points do not belong to a reply
        feedback = [t for t in feedback if t.get("area") in ("clarity", "pacing") or t.get("key_point") == follow_up_on]

    extra = {
        "speech_start": round(onset, 3),
        "speech_end": round(offset, 3),
        "speaking_s": round(span, 2),
        "target_seconds": target,
        "time_vs_target": pacing.time_verdict,
        "wpm_windows": windows,
        "pace_curve": curve,
        "filled_pauses": n_tr + n_ac,
        "filled_pause_sources": {"transcript": n_tr, "acoustic": n_ac},
        "voiced_gaps": [[round(a, 3), round(b, 3)] for a, b in gaps],
        "lexical_fillers": [f.to_dict() for f in lex],
        "hedges": [h.to_dict() for h in hed],
        "repetitions": [r.to_dict() for r in reps],
        "long_sentences": longs,
        "jargon": terms,
        "structure": {"format": structure.format, "elements": structure.elements},
        "specificity": depth.specificity,
        "key_point_evidence": [
            {"id": r.id, "label": r.label, "covered": r.covered, "named_only": r.named_only, "credit": r.credit,
             "evidence": r.evidence, "meaning": r.meaning}
            for r in depth.key_points
        ],
        "named_not_explained": depth.naming_only,
        "key_point_matching": depth.matching,
        "question_fit": depth.fit,
        "score_explanations": explanations,
        "weights": weights,
        "follow_up_on": follow_up_on,
        "follow_up_probe": bool(probe and follow_up_on),
        "analysis_ms": round((time.perf_counter() - t0) * 1000.0, 2),
    }
    return AnswerAnalysis(
        question.id, question.category, audience, transcript.text, round(duration, 2), word_count, round(wpm, 1),
        all_fillers, fillers_per_min, pauses, {"covered": covered, "missed": missed}, scores, feedback, extra,
    )


def _feedback(question, depth, structure, pacing, fillers, lex, hed, reps, longs, terms, audience, onset, offset, minutes) -> list[dict]:
    span_ev = f"nothing about it in {fmt_time(onset)}-{fmt_time(offset)}"
    tips: list[dict] = []
    named = [r for r in depth.key_points if r.named_only]
    if named:
        ev = named[0].evidence[0] if named[0].evidence else {}
        what = "; ".join(r.label for r in named[:3])
        lead = "Naming terms is not explaining them. " if depth.naming_only else ""
        tips.append(_tip(
            f"{lead}You named {'these points' if len(named) > 1 else 'this point'} without explaining "
            f"{'them' if len(named) > 1 else 'it'}: {what}. Say what each means and why it matters here.",
            f"\"{ev.get('quote', '')}\"", ev.get("start"), "depth",
        ))
    missed = [r for r in depth.key_points if not r.covered and not r.named_only]
    for r in missed[:3]:
        tips.append(_tip(f"Cover this point: {r.label}.", span_ev, None, "depth", r.id))
    if any(r.covered for r in depth.key_points) and not depth.specificity["numbers"]:
        tips.append(_tip("Add one concrete number (a size, a rate, a before/after) to make the answer specific.", f"no numbers anywhere in {fmt_time(onset)}-{fmt_time(offset)}", None, "depth"))
    elif any(r.covered for r in depth.key_points) and not depth.specificity["examples"] \
            and question.category not in STORY_CATEGORIES:
        tips.append(_tip("Give an example (\"for example, ...\") to show you have used this, not only read about it.", f"no example in {fmt_time(onset)}-{fmt_time(offset)}", None, "depth"))
    n_structure = 0
    for el in structure.elements:
        if not el["found"]:
            name = el["name"].replace("_", " ")
            advice = _STRUCTURE_ADVICE.get(el["name"], f"Add a clear {name}.")
            ev = f"not found in {fmt_time(onset)}-{fmt_time(offset)}"
            if el.get("evidence"):
                ev += f"; closest: \"{el['evidence']}\" at {fmt_time(el.get('start'))}"
            if n_structure < 2:
                tips.append(_tip(advice, ev, None, "structure"))
                n_structure += 1
    rate = len(fillers) / minutes if minutes else 0.0
    if rate > 3.0:
        at = ", ".join(f"'{f['word']}' {fmt_time(f['start'])}" for f in fillers[:4])
        tips.append(_tip(f"Replace fillers with a silent pause: {len(fillers)} in {minutes * 60:.0f} s ({rate:.1f} per minute).", at, fillers[0]["start"], "clarity"))
    if len(hed) >= 3:
        tips.append(_tip("State your answer directly; hedges make a correct answer sound unsure.", "; ".join(f"'{h.word}' at {fmt_time(h.start)}" for h in hed[:3]), hed[0].start, "clarity"))
    for r in reps[:1]:
        if len(reps) >= 2:
            tips.append(_tip("Finish the sentence you started instead of restarting it.", f"\"{r.quote}\"", r.start, "clarity"))
    for s in longs[:1]:
        tips.append(_tip(f"Split long sentences: this one runs {s['words']} words.", f"\"{s['quote']}\"", s["start"], "clarity"))
    unexplained = [t for t in terms if not t["explained"]]
    if unexplained and audience == "non_expert":  # an ML interviewer shares the vocabulary (clarity.py)
        t = unexplained[0]
        tips.append(_tip(f"Explain '{t['term']}' in plain words the first time you use it.", f"\"{t['quote']}\"", t["start"], "clarity"))
    if pacing.wpm > PACE_BAND[1]:  # advice exactly when the pace is outside the band the score uses
        fast = max(pacing.windows, key=lambda w: w["wpm"]) if pacing.windows else None
        tips.append(_tip(f"Slow down: {pacing.wpm:.0f} wpm is above the {BAND_TEXT} band interviewers find easy to follow.", f"fastest stretch {fmt_time(fast['start'])}-{fmt_time(fast['end'])} at {fast['wpm']:.0f} wpm" if fast else "overall", fast["start"] if fast else None, "pacing"))
    elif pacing.wpm < PACE_BAND[0]:
        slow = min(pacing.windows, key=lambda w: w["wpm"]) if pacing.windows else None
        tips.append(_tip(f"Pick up the pace a little: {pacing.wpm:.0f} wpm is below the {BAND_TEXT} band.", f"slowest stretch {fmt_time(slow['start'])}-{fmt_time(slow['end'])} at {slow['wpm']:.0f} wpm" if slow else "overall", slow["start"] if slow else None, "pacing"))
    if len(pacing.pauses) >= 2 or any(p["duration"] >= 5 for p in pacing.pauses):
        p = max(pacing.pauses, key=lambda p: p["duration"])
        tips.append(_tip("Bridge long silences: say what you are thinking about (\"let me think about the trade-off\").", f"{p['duration']:.1f} s of silence at {fmt_time(p['start'])}", p["start"], "pacing"))
    if pacing.target_s and pacing.time_verdict in ("short", "much too short"):
        more = "the missed points" if missed or named else \
            "the detail of what you did, how it ended and what you learned" if question.category in STORY_CATEGORIES else \
            "an example and a trade-off"
        tips.append(_tip(f"Use more of your time: aim for about {pacing.target_s} s and spend it on {more}.", f"spoke {pacing.speaking_s:.0f} s of a {pacing.target_s} s target", None, "pacing"))
    elif pacing.target_s and pacing.time_verdict in ("long", "much too long"):
        tips.append(_tip(f"Tighten the answer to about {pacing.target_s} s: lead with the point, then support it.", f"spoke {pacing.speaking_s:.0f} s of a {pacing.target_s} s target", None, "pacing"))
    return tips[:MAX_TIPS]


MAX_TIPS = 8
_STRUCTURE_ADVICE = {
    "signposting": "Signpost: say how many parts the answer has and walk through them (\"first ..., second ...\").",
    "assumptions": "State an assumption or ask a clarifying question before diving in.",
    "conclusion": "End with a one-sentence conclusion that answers the question.",
    "situation": "Open with the situation: where you were and what was at stake.",
    "task": "Say what you personally were responsible for.",
    "action": "Describe what you did, in the first person (\"I traced ...\", \"I rolled back ...\").",
    "result": "Give the result with a number.",
    "lesson": "Close with what you learned and what you do differently now.",
    "requirements": "Start with requirements: latency, scale, and what a mistake costs.",
    "components": "Name the main components and how data flows between them.",
    "trade_offs": "Weigh at least one trade-off (\"X instead of Y because ...\").",
    "monitoring": "Say how you would monitor the system and when you would retrain.",
    "problem": "Open with the problem and why it mattered.",
    "data": "Describe the data: where it came from, how big, how labelled.",
    "approach": "Explain the approach and why you chose it over the alternatives.",
    "results": "Give results with numbers, against a baseline.",
    "impact": "Say what changed for users or the business.",
    "lessons": "Close with a lesson you learned.",
}
