"""End-of-turn decisions on synthetic VAD streams: fast, no models."""

from interviewer.engine.turn import FRAME_S, TurnDetector, TurnSettings


def run(detector, pattern):
    """pattern: list of (seconds, prob); returns the events with their times."""
    events = []
    for seconds, prob in pattern:
        for _ in range(int(round(seconds / FRAME_S))):
            events.extend(detector.feed(prob))
    return events


def test_short_pauses_do_not_end_the_turn():
    d = TurnDetector(TurnSettings(patience_s=2.5))
    events = run(d, [(1, 0.9), (2.0, 0.05), (1, 0.9), (1.5, 0.05), (1, 0.9)])
    assert [e.kind for e in events if e.kind == "end"] == []
    assert [e.kind for e in events].count("speculate") == 2 and [e.kind for e in events].count("resume") == 2


def test_patience_ends_the_turn_and_says_why():
    d = TurnDetector(TurnSettings(patience_s=2.5))
    events = run(d, [(2, 0.9), (3.0, 0.05)])
    end = [e for e in events if e.kind == "end"][0]
    assert abs(end.t - (2 + 2.5)) < 0.1 and "patience" in end.reason


def test_thinking_phrase_extends_patience():
    d = TurnDetector(TurnSettings(patience_s=2.5, thinking_patience_s=8))
    run(d, [(2, 0.9)])
    d.note_transcript("Okay so hmm, let me think about that")
    events = run(d, [(6.0, 0.05), (1, 0.9)])
    assert not [e for e in events if e.kind == "end"]
    d.note_transcript("and the answer is regularization")
    events = run(d, [(3.0, 0.05)])
    assert [e for e in events if e.kind == "end"]


def test_manual_done_and_no_speech_timeout():
    d = TurnDetector()
    run(d, [(1, 0.9)])
    assert d.done().reason.startswith("manual")
    assert d.feed(0.9) == []  # nothing after the end
    quiet = TurnDetector(TurnSettings(start_timeout_s=3))
    events = run(quiet, [(4, 0.01)])
    assert events[-1].kind == "end" and "no speech" in events[-1].reason


def test_a_cough_is_not_speech():
    d = TurnDetector(TurnSettings(min_speech_frames=3))
    events = run(d, [(0.064, 0.95), (1, 0.01)])
    assert not d.started and not events


def test_end_is_taken_back_when_the_late_transcript_shows_a_thinking_phrase():
    d = TurnDetector(TurnSettings(patience_s=2.5, thinking_patience_s=8))
    events = run(d, [(2, 0.9), (2.6, 0.05)])
    assert events[-1].kind == "end"
    assert d.reconsider("so the key idea is, hmm, let me think")
    assert not [e for e in run(d, [(3.0, 0.05)]) if e.kind == "end"]  # still waiting, up to 8 s
    assert [e for e in run(d, [(3.0, 0.05)]) if e.kind == "end"]
    d2 = TurnDetector(TurnSettings(patience_s=2.5))
    run(d2, [(2, 0.9), (2.6, 0.05)])
    assert not d2.reconsider("and that is my answer")
