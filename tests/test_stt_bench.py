"""The answer-length recordings of `interviewer bench stt` (the long answers' WER)."""

from __future__ import annotations

import json
import wave

from interviewer.tools.stt_bench import GAP_S, long_answers


def test_long_answers_move_the_window_seam_through_each_splits_monologue(real_speech):
    labels = json.loads((real_speech / "fillers.json").read_text())["recordings"]
    seconds = {}
    for rel in labels:
        with wave.open(str(real_speech / rel)) as w:
            seconds[rel[:-4]] = w.getnframes() / w.getframerate()
    answers = long_answers(real_speech)
    assert set(answers) == {"tuning", "heldout"}
    for split, orders in answers.items():
        starts = set()
        for order in orders:
            assert {labels[f"{name}.wav"]["split"] for name in order} == {split}  # never mixed
            assert not any("mfa_" in name for name in order)  # no staged clip
            monologue = [i for i, name in enumerate(order) if name.startswith("spontaneous/")]
            assert len(monologue) == 1
            assert sum(seconds[name] + GAP_S for name in order) > 40  # two windows, like an answer
            starts.add(round(sum(seconds[name] + GAP_S for name in order[:monologue[0]]), 1))
        # the first window's end (30 s) falls at five or more different points of the monologue
        assert len(starts) >= 5, (split, sorted(starts))
