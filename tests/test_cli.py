"""The command line as a user meets it: help, version, exit codes, the demo, offline."""

import json
from pathlib import Path

import pytest

from interviewer import __version__
from interviewer.cli import COMMANDS
from tests.helpers import REPO, run_cli, run_json

SUPPORT = Path(__file__).resolve().parent / "support"


def test_version():
    proc = run_cli("--version")
    assert proc.returncode == 0 and proc.stdout.strip() == f"interviewer {__version__}"


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_on_every_command(command):
    proc = run_cli(*([command] if command else []), "--help")
    assert proc.returncode == 0 and "usage: interviewer" in proc.stdout


def test_usage_errors_exit_2():
    assert run_cli("no-such-command").returncode == 2
    proc = run_cli("score", "x.wav")  # --question-file is required
    assert proc.returncode == 2 and "--question-file" in proc.stderr


def test_log_file_is_written(isolated_home):
    run_cli("models", env={"INTERVIEWER_HOME": str(isolated_home)})
    log = isolated_home / "logs" / "interviewer.log"
    assert log.exists() and "interviewer" in log.read_text()


def test_data_dir_is_private(isolated_home):
    run_cli("models", env={"INTERVIEWER_HOME": str(isolated_home)})
    assert (isolated_home / "data").stat().st_mode & 0o077 == 0


def test_portaudio_missing_is_a_clear_error():
    proc = run_cli("devices", pythonpath=SUPPORT / "no_portaudio")
    assert proc.returncode == 1
    assert "PortAudio" in proc.stderr and "libportaudio2" in proc.stderr and "Traceback" not in proc.stderr


def test_bad_question_file_names_file_and_field(tmp_path):
    q = tmp_path / "q.yaml"
    q.write_text("id: x\ncategory: cooking\nprompt: Explain something here.\nkey_points: []\n")
    proc = run_cli("follow-up", "--question-file", str(q), "--answer-text", "hi", "--no-llm")
    assert proc.returncode == 1
    assert "q.yaml" in proc.stderr and "category" in proc.stderr and "key_points" in proc.stderr


@pytest.mark.slow
def test_demo_json_has_every_field_filled_offline(tmp_path):
    """The demo with every outgoing connection refused: nothing is fetched at run time."""
    proc = run_cli("demo", "--json", "--out", str(tmp_path / "demo"), pythonpath=SUPPORT / "offline", timeout=120)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)

    def empty(value):
        return value is None or value == "" or value == [] or value == {}

    missing = [k for k, v in data.items() if empty(v) and k not in ("feedback",)]
    assert not missing, missing
    assert data["transcript"] and len(data["words"]) > 20
    assert "bias" in data["transcript"].lower() and "overfit" in data["transcript"].lower()
    assert data["follow_up"]["text"].endswith("?") and data["follow_up"]["source"] in ("llm", "authored", "template")
    assert data["follow_up"]["targets"] in data["key_points"]["missed"]
    assert data["question_audio"]["duration_s"] > 2 and data["question_audio"]["level_dbfs"] > -40
    assert Path(data["question_audio"]["path"]).stat().st_size > 10_000
    assert all(isinstance(v, (int, float)) for v in data["scores"].values() if v is not None)
    assert data["models"]["stt"]["path"] and data["models"]["llm"]["path"]
    # the text a person reads names key points by label, never by id
    from interviewer.app.demo import format_demo

    text = format_demo(data)
    for kp in data["key_points"]["covered"] + data["key_points"]["missed"]:
        assert data["key_point_labels"][kp] in text and f" {kp}" not in text and f"({kp}" not in text


@pytest.mark.slow
def test_interview_from_recordings_is_stored_in_history(tmp_path, make_speech, isolated_home):
    answer = make_speech("Bias is the error of a model that is too simple, so it underfits. Variance is when the "
                         "model is too sensitive to the training data and overfits.")
    env = {"INTERVIEWER_HOME": str(isolated_home)}
    proc = run_cli("interview", "--question-id", "fund-bias-variance", "--answers", str(answer), "--max-follow-ups",
                   "0", "--json", env=env, timeout=240)
    assert proc.returncode == 0, proc.stderr
    events = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    summary = events[-1]
    assert summary["event"] == "summary" and summary["answers"] == 1
    final = [e for e in events if e["event"] == "final"][0]
    assert "overfit" in final["text"].lower()
    history = json.loads(run_cli("history", "--json", env=env).stdout)
    sessions = history["sessions"] if isinstance(history, dict) else history
    assert [s["id"] for s in sessions] == [summary["session_id"]]


def test_interview_without_microphone_says_what_to_do(isolated_home):
    proc = run_cli("interview", env={"INTERVIEWER_HOME": str(isolated_home)})
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "microphone" in proc.stderr.lower() or "portaudio" in proc.stderr.lower()
    assert "--answers" in proc.stderr or "demo" in proc.stderr


def test_score_reads_as_a_report_with_key_points_by_label(tmp_path):
    """`interviewer score` without --json is for a person: scores with what lowered them,
    key points by label (never their ids), tips; --json keeps every field."""
    import yaml

    from interviewer.analysis import transcript_from_text

    bank = yaml.safe_load((REPO / "questions" / "fundamentals.yaml").read_text())
    q = next(x for x in bank if x["id"] == "fund-bias-variance")
    qfile = tmp_path / "q.yaml"
    qfile.write_text(yaml.safe_dump([q]))
    answer = tmp_path / "a.json"
    answer.write_text(json.dumps(transcript_from_text(
        "Um, bias is the error of a model that is too simple, so it underfits. Uh, variance is when the model is "
        "too sensitive to the training data and overfits.", wpm=150).to_dict()))
    proc = run_cli("score", str(answer), "--question-file", str(qfile))
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    assert text.startswith("Overall ") and "Covered:" in text and "Missed:" in text and "Clarity (" in text
    labels = {kp["id"]: kp["label"] for kp in q["key_points"]}
    data = run_json("score", str(answer), "--question-file", str(qfile), "--json")
    for kp in data["key_points"]["covered"] + data["key_points"]["missed"]:
        assert labels[kp] in text and f"- {kp}\n" not in text
    assert "2 um/uh" in text


def test_study_mode_says_which_words_the_scores_come_from(capsys):
    """The terminal shows the live words as "You: ..."; the accurate pass may hear them
    otherwise, and the scores are from its words: they are shown when they differ."""
    import argparse

    from interviewer.cli import _show_event
    from interviewer.engine import events as ev

    show = _show_event(argparse.Namespace(json=False))

    def ready(live: str, accurate_text: str, accurate: bool = True):
        analysis = {"scores": {"overall": 70}, "transcript": accurate_text, "live_transcript": live}
        return ev.AnalysisReady(question_id="q", kind="answer", analysis=analysis, show_now=True,
                                follow_up_assessment=None, accurate=accurate)

    show(ready("So if you're not sure what's going on.", "So the metric I would use is recall at k."))
    out = capsys.readouterr().out
    assert "scores for your answer: overall 70" in out
    assert "scored on what the accurate pass heard: So the metric I would use is recall at k." in out
    show(ready("Bias is error from a too simple model.", "Bias is error from a too-simple model"))
    assert "accurate pass heard" not in capsys.readouterr().out  # the same words: nothing more to say
    show(ready("live words", "", accurate=False))
    assert "accurate pass heard" not in capsys.readouterr().out
