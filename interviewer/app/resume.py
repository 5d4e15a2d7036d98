"""Resuming an interrupted session: the answer the interruption cut off is not thrown away.

A crash, Ctrl+C or SIGTERM leaves the answer being recorded as a `.part` file, which the
store repairs when it next opens (`recordings` row 'recovered'). Before the session goes
on, each such recording that no stored turn refers to is transcribed and stored as the
turn it was: the engine names recordings `turnNNN-<kind>-<question id>[@<key point>]`, so
the question, the kind of turn and the point a follow-up asked about are known (a cut-off
reply to a follow-up is scored on that point, like any follow-up reply). The stored turn
says `cut_off: true`. A recording with an older name (no question in it) is left listed as a partial recording, never guessed at.
"""

from __future__ import annotations

import logging
import re

log = logging.getLogger(__name__)

_TURN_KEY = re.compile(r"^turn\d+-(answer|follow_up|clarification)-([^@]+)(?:@(.+))?$")


def parse_turn_key(turn_key: str) -> tuple[str, str, str | None] | None:
    """(kind, question id, the key point a follow-up asked about or None) from a key the
    engine wrote, None for any other key."""
    m = _TURN_KEY.match(turn_key or "")
    return (m.group(1), m.group(2), m.group(3) if m.group(1) == "follow_up" else None) if m else None


def recover_cut_off_answers(store, sid: str, transcriber, bank) -> list[dict]:
    """Transcribe, analyse and store the recordings of `sid` that were cut off; returns one
    {question_id, kind, text, path} per turn stored."""
    from ..analysis import assess_follow_up, covered_earlier, score_answer
    from ..audio.io import load_audio
    from ..errors import UserError
    from ..speech.stt import build_prompt

    stored = []
    report = store.session(sid)
    for rec in report["partial_recordings"]:
        parsed = parse_turn_key(rec["turn_key"])
        if parsed is None or rec["status"] not in ("recovered", "complete"):
            continue
        kind, qid, target = parsed
        if qid not in bank.questions:
            log.warning("cut-off recording %s answers %s, which is no longer in the bank: kept, not transcribed",
                        rec["path"], qid)
            continue
        question = bank.get(qid)
        try:
            audio = load_audio(rec["path"])
        except UserError as exc:
            log.warning("cut-off recording %s cannot be read: %s", rec["path"], exc)
            continue
        transcript = transcriber.transcribe(audio, prompt=build_prompt(question.prompt, question.all_cues()[:20]))
        if not transcript.text.strip():
            continue  # nothing was said yet: the question is asked again
        earlier = (t.get("analysis") for t in report["turns"] if t["question"]["id"] == qid)
        analysis = score_answer(question, transcript, audio, follow_up_on=target,
                                probe=covered_earlier(earlier, target))
        store.record_answer(
            sid, question={"id": question.id, "category": question.category, "prompt": question.prompt,
                           "tags": question.tags},
            turn={"kind": kind, "index": len(report["turns"]) + len(stored), "cut_off": True,
                  "end_reason": "interrupted", "source": "recovered", "targets": target,
                  "follow_up_assessment": assess_follow_up(question, target, analysis) if target else None},
            transcript=transcript, analysis=analysis, audio_path=rec["path"])
        stored.append({"question_id": qid, "kind": kind, "text": transcript.text, "path": rec["path"]})
    return stored
