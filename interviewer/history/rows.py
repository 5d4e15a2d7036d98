"""One answer as the history stores it: a row, its key-point rows, and the encodings both
the store and the archive import use."""

from __future__ import annotations

import json
import sqlite3

from .schema import key_point_id_label

MODES = ("study", "real")
KINDS = ("answer", "follow_up", "clarification")


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _number(value) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def insert_answer(conn: sqlite3.Connection, sid: str, created_at: str, question: dict, turn: dict, transcript: dict,
                  analysis: dict, audio_rel: str | None, timings: dict) -> int:
    """One answer row plus its key-point rows (main answers only). Shared with import."""
    scores = analysis.get("scores") if isinstance(analysis.get("scores"), dict) else {}
    text = transcript.get("text") if isinstance(transcript.get("text"), str) else analysis.get("transcript", "")
    kind = turn.get("kind", "answer")
    cur = conn.execute(
        "INSERT INTO answers (session_id, created_at, question_id, category, kind, turn_index, transcript_text, "
        "analysis_json, overall, audio_path, clarity, pacing, depth, structure, prompt, tags_json, turn_json, "
        "transcript_json, timings_json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (sid, created_at, str(question["id"]), str(question["category"]), kind, int(turn.get("index") or 0),
         text or "", _dumps(analysis), _number(scores.get("overall")), audio_rel,
         *(_number(scores.get(k)) for k in ("clarity", "pacing", "depth", "structure")),
         str(question.get("prompt") or ""), _dumps(list(question.get("tags") or [])), _dumps(turn),
         _dumps(transcript), _dumps(timings)),
    )
    answer_id = cur.lastrowid
    if kind == "answer":
        insert_key_point_results(conn, answer_id, sid, str(question["id"]), analysis, created_at[:10])
    return answer_id


def insert_key_point_results(conn, answer_id: int, sid: str, qid: str, analysis: dict, day: str) -> None:
    """One row per key point the main answer covered or missed: what the per-topic progress reads."""
    kps = analysis.get("key_points") if isinstance(analysis.get("key_points"), dict) else {}
    for covered, key in ((1, "covered"), (0, "missed")):
        for kp in kps.get(key) or []:
            kp_id, label = key_point_id_label(kp)
            if kp_id:
                conn.execute("INSERT OR IGNORE INTO key_point_results VALUES (?,?,?,?,?,?,?)",
                             (answer_id, sid, qid, kp_id, label, covered, day))
