"""Timed drills, project rehearsal and personas: report fields checked against known truth."""

import json

import numpy as np
import pytest

from interviewer.audio import SAMPLE_RATE
from interviewer.audio.io import load_audio
from interviewer.content.bank import load_bank
from interviewer.content.drills import concept_question, drill_report
from interviewer.dialogue.wording import Interviewer
from interviewer.content.personas import PERSONAS, get_persona
from interviewer.engine.policy import is_vague
from interviewer.transcript import Transcript, Word
from tests.helpers import run_cli

EXPLANATION = ("Gradient descent is a way to minimise a loss. For example, in linear regression you start with "
               "random weights and repeatedly step against the gradient. It matters because most models are "
               "trained this way. However, a learning rate that is too large makes it diverge. In short, walk "
               "downhill in small steps.")


def timed_words(text: str, wpm: float, start: float = 0.5) -> Transcript:
    step = 60.0 / wpm
    words = [Word(w, start + i * step, start + i * step + step * 0.8) for i, w in enumerate(text.split())]
    return Transcript(words, words[-1].end + 0.5)


def test_drill_report_times_parts_against_known_truth():
    from interviewer.analysis import analyze

    q = concept_question("gradient descent", 30)
    transcript = timed_words(EXPLANATION, wpm=150)
    report = drill_report(q, analyze(q, transcript).to_dict(), 30)
    n = len(EXPLANATION.split())
    truth_used = (n - 1) * 0.4 + 0.32  # first word's start to last word's end at 150 wpm
    assert abs(report["used_s"] - truth_used) <= 0.5
    assert report["verdict"] == "on time" if 0.85 * 30 <= truth_used <= 33 else report["verdict"] in ("short", "over")
    order = [p["part"] for p in report["parts"]]
    assert order == ["definition", "example", "why", "limits", "summary"]
    example = report["parts"][1]
    idx = EXPLANATION.split().index("example,") - 1  # "For"
    assert abs(example["start"] - (0.5 + idx * 0.4)) <= 0.5
    assert abs(sum(p["seconds"] for p in report["parts"]) - report["used_s"]) <= 0.6
    assert 140 <= report["wpm"] <= 160


def test_over_time_drill_says_what_to_cut_and_short_one_what_to_add():
    from interviewer.analysis import analyze

    q = concept_question("gradient descent", 30)
    long_text = EXPLANATION + " " + " ".join(["For example, imagine a ball rolling down a long valley."] * 6)
    over = drill_report(q, analyze(q, timed_words(long_text, 150)).to_dict(), 30)
    assert over["verdict"] == "over" and over["delta_s"] > 10 and over["cut"]
    short = drill_report(q, analyze(q, timed_words("Gradient descent minimises a loss.", 150)).to_dict(), 30)
    assert short["verdict"] == "short" and any("example" in a["tip"].lower() for a in short["add"])


def test_non_expert_variant_flags_unexplained_jargon():
    from interviewer.analysis import analyze

    q = concept_question("regularization", 60, audience="non_expert")
    text = "Regularization adds an L2 penalty to the loss and uses the Hessian and a KKT condition. In short, smaller weights."
    analysis = analyze(q, timed_words(text, 150), audience="non_expert").to_dict()
    report = drill_report(q, analysis, 60, "non_expert")
    expert = analyze(q, timed_words(text, 150)).to_dict()
    assert "non-expert" in q.prompt or "no technical background" in q.prompt
    assert analysis["scores"]["clarity"] <= expert["scores"]["clarity"]
    assert any("everyday words" in a["tip"] for a in report["add"]) or analysis["jargon"]


def test_personas_differ_in_questions_follow_ups_strictness_and_voice():
    bank = load_bank(include_user=False)
    friendly, rigorous, manager = PERSONAS["friendly"], PERSONAS["rigorous"], PERSONAS["manager"]
    pick = lambda p: bank.select(20, seed=1, categories=["fundamentals"], priority=p.question_weight)
    assert np.mean([q.difficulty for q in pick(rigorous)]) > np.mean([q.difficulty for q in pick(friendly)])
    assert rigorous.max_follow_ups > friendly.max_follow_ups and rigorous.pushback and not friendly.pushback
    q = bank.get("proj-pitch-two-minutes")
    missed = [kp.id for kp in q.key_points]
    assert manager.order_missed(q, missed)[0] in ("impact", "results")
    assert Interviewer(None, persona=manager).choose_target(q, "", [], missed, [])[1].id in ("impact", "results")
    assert len({(p.rate, p.pitch) for p in PERSONAS.values()}) == 3
    with pytest.raises(Exception, match="Unknown persona"):
        get_persona("pirate")


def test_vague_answers_get_pushback_from_a_strict_interviewer():
    bank = load_bank(include_user=False)
    q = bank.get("fund-bias-variance")
    brain = Interviewer(None, persona=PERSONAS["rigorous"])
    d = brain.pushback(q, q.key_points[1].id, "It is about models and data, basically.")
    assert d.kind == "follow_up" and d.text.endswith("?") and d.targets in [kp.id for kp in q.key_points]
    assert is_vague({"word_count": 12, "scores": {"depth": 60}})
    assert not is_vague({"word_count": 120, "scores": {"depth": 70}})


def f0(audio: np.ndarray) -> float:
    """Median pitch by autocorrelation over voiced 40 ms frames."""
    frame, pitches = 640, []
    for i in range(0, audio.size - frame, frame):
        x = audio[i:i + frame] - audio[i:i + frame].mean()
        if np.sqrt(np.mean(x * x)) < 0.02:
            continue
        ac = np.correlate(x, x, "full")[frame - 1:]
        lo, hi = SAMPLE_RATE // 400, SAMPLE_RATE // 60
        lag = lo + int(np.argmax(ac[lo:hi]))
        if ac[lag] > 0.3 * ac[0]:
            pitches.append(SAMPLE_RATE / lag)
    return float(np.median(pitches))


def _persona_line(persona_id: str, path) -> np.ndarray:
    """Synthesize in a fresh process: espeak-ng is one engine per process, and a rate changed
    between two lines in one process sometimes reaches the next line late (see tts.py)."""
    import subprocess
    import sys

    code = ("import sys; from interviewer.content.personas import PERSONAS; from interviewer.speech.tts import Speaker, Voice;"
            "p = PERSONAS[sys.argv[1]]; s = Speaker();"
            "s.speak_to_file('Tell me about the hardest bug you fixed in a data pipeline.', sys.argv[2],"
            " Voice(rate=p.rate, pitch=p.pitch)); s.close()")
    subprocess.run([sys.executable, "-c", code, persona_id, str(path)], check=True, timeout=60)
    return load_audio(path)


@pytest.mark.slow
def test_persona_voices_differ_in_pitch_and_rate(tmp_path):
    low = _persona_line("rigorous", tmp_path / "rigorous.wav")
    high = _persona_line("friendly", tmp_path / "friendly.wav")
    assert f0(high) > f0(low) * 1.05
    assert low.size < high.size  # the technical lead speaks faster


@pytest.mark.slow
def test_drill_from_the_cli_with_a_recording(make_speech, isolated_home):
    wav = make_speech(EXPLANATION, wpm=150)
    audio = load_audio(wav)
    loud = np.flatnonzero(np.abs(audio) > 0.02)
    truth = (loud[-1] - loud[0]) / SAMPLE_RATE
    proc = run_cli("drill", "--concept", "gradient descent", "--target", "30", "--answers", str(wav), "--json",
                   env={"INTERVIEWER_HOME": str(isolated_home)}, timeout=240)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout[proc.stdout.rindex('\n{') + 1:] if '\n{' in proc.stdout else proc.stdout)
    assert abs(report["used_s"] - truth) <= 0.1 * truth + 0.3
    assert report["target_s"] == 30 and report["verdict"] in ("on time", "short", "over")
    assert {p["part"] for p in report["parts"]} >= {"example", "limits", "summary"}


@pytest.mark.slow
def test_project_rehearsal_follow_ups_are_grounded_in_the_notes(make_speech, isolated_home):
    env = {"INTERVIEWER_HOME": str(isolated_home)}
    add = run_cli("projects", "add", "--title", "Delivery delay predictor", "--problem",
                  "Dispatchers could not tell which parcels would arrive late.", "--data",
                  "Two years of GPS pings from 300 delivery vans joined with weather reports.", "--results",
                  "Recall of late deliveries rose from 41 to 68 percent.", "--json", env=env)
    pid = json.loads(add.stdout)["id"]
    pitch = make_speech("Dispatchers could not tell which parcels would arrive late. We used GPS pings from our "
                        "delivery vans and weather reports. Recall of late deliveries rose to sixty eight percent.")
    other = make_speech("We compared it with the old rule of thumb on the last three months.")
    proc = run_cli("rehearse", "--project", pid, "--deep-dives", "1", "--max-follow-ups", "1", "--answers",
                   str(pitch), str(other), str(other), str(other), "--json", env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout[proc.stdout.index('\n{\n') + 1:])
    assert result["project"] == "Delivery delay predictor"
    covered = result["pitch"]["key_points"]["covered"]
    assert {"problem", "data", "results"} <= set(covered)
    assert result["follow_ups"] and all(f["text"].endswith("?") for f in result["follow_ups"])
    assert result["follow_ups"][0]["targets"] in result["pitch"]["key_points"]["missed"]
