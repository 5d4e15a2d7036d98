"""Hostile input, part 1: question files, model files, WAV headers, flags and exit codes.

Each test builds its bad input here and checks the two promises of Step 13: the failure
is a clear message that names the problem and the fix (no traceback on screen), and a
failure never exits 0. The numbers in the section titles are the defects of the issue.
See test_hostile_store.py for the history database and archives.
"""

from __future__ import annotations

import json
import signal
import struct
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from interviewer.errors import AudioError, QuestionError, UserError
from tests.hostile_support import (
    GGUF_ARRAY,
    GGUF_STRING,
    GGUF_UINT32,
    fake_cli_child,
    gguf_string,
    nested_array,
    question_yaml,
    quiet_wav,
    run_fake_cli,
    wait_for,
    wav_bytes,
    write_gguf,
)


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    from interviewer.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "Traceback" not in out, err
    return code, out, err


@pytest.fixture
def no_models(monkeypatch):
    """Loading a model fails the test: flags and inputs must be checked before that."""
    import interviewer.app.runtime as runtime_mod

    def refuse(*a, **k):
        raise AssertionError("models were loaded before the flags were checked")

    monkeypatch.setattr(runtime_mod.Runtime, "load", refuse)
    monkeypatch.setattr("interviewer.cli._transcriber", refuse)


# -- 1. one custom question can kill an interview --------------------------------------------

@pytest.mark.parametrize("cue", ["深度学习", "🚀🔥", "++", "—"])
def test_cue_with_no_latin_letter_or_digit_is_refused_at_load_naming_question_and_cue(cue):
    from interviewer.content.bank import load_bank
    from interviewer.paths import user_questions_dir

    (user_questions_dir() / "mine.yaml").write_text(question_yaml("my-cjk-question", cue), encoding="utf-8")
    with pytest.raises(QuestionError) as err:
        load_bank()
    message = str(err.value)
    assert "my-cjk-question" in message and cue in message and "mine.yaml" in message
    assert err.value.fix


def test_question_file_with_such_a_cue_fails_score_with_a_message(capsys, tmp_path, no_models):
    q = tmp_path / "q.yaml"
    q.write_text(question_yaml("emoji-q", "🚀"), encoding="utf-8")
    answer = tmp_path / "a.json"
    answer.write_text(json.dumps({"text": "Overfitting means memorizing noise.", "words": []}))
    code, _, err = cli(capsys, "score", str(answer), "--question-file", str(q))
    assert code == 1 and "emoji-q" in err and "🚀" in err


def test_c_plus_plus_cue_still_loads_and_matches():
    from interviewer.analysis import analyze, transcript_from_text
    from interviewer.content.bank import parse_question
    import yaml

    q = parse_question(yaml.safe_load(question_yaml("cpp-q", "C++"))[0], "inline")
    result = analyze(q, transcript_from_text("In C++ it is when the model memorizes the noise in the training data "
                                             "instead of the signal, so it does badly on new data.", wpm=150))
    assert "definition" in result.to_dict()["key_points"]["covered"]


EXPLAINED = ("Overfitting is when the model memorizes the noise in the training data instead of the signal, "
             "so it does badly on new data.")


def test_depth_analysis_survives_a_cue_that_never_went_through_validation():
    """Questions built in code (drills, projects) skip the loader: the matcher itself must
    not index an empty phrase."""
    from interviewer.analysis import analyze, transcript_from_text
    from interviewer.content.bank import parse_question
    import yaml

    q = parse_question(yaml.safe_load(question_yaml("late-q"))[0], "inline")
    q.key_points[0].cues.append("深度学习")
    result = analyze(q, transcript_from_text(EXPLAINED, wpm=150))
    assert "definition" in result.to_dict()["key_points"]["covered"]


def test_drill_concept_with_no_latin_letters_is_refused_before_models_load(capsys, no_models):
    code, _, err = cli(capsys, "drill", "--concept", "深度学习")
    assert code == 1 and "深度学习" in err and "Fix:" in err


# -- 5. the WAV header's sample rate is trusted ------------------------------------------------

@pytest.mark.parametrize("rate", [1, 100, 3999, 384_001, 4_000_000_000])
def test_wav_with_an_implausible_sample_rate_is_refused(tmp_path, rate):
    from interviewer.audio.io import load_audio

    path = tmp_path / "liar.wav"
    path.write_bytes(wav_bytes(rate, b"\x01\x00" * 200))
    t0 = time.perf_counter()
    with pytest.raises(AudioError) as err:
        load_audio(path)
    assert time.perf_counter() - t0 < 1.0
    assert f"{rate:,} Hz" in str(err.value) or f"{rate} Hz" in str(err.value)
    assert "4 kHz" in str(err.value) and err.value.fix


def test_the_40_kb_wav_claiming_1_hz_fails_fast_in_transcribe(capsys, tmp_path, no_models):
    """The case that used 4.4 GB of RAM: refused before resampling, before the model loads."""
    import resource

    path = tmp_path / "one-hertz.wav"
    path.write_bytes(wav_bytes(1, bytes(40_000)))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    code, _, err = cli(capsys, "transcribe", str(path))
    assert code == 1 and "1 Hz" in err and "Fix:" in err
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200_000  # KiB: no giant buffer


@pytest.mark.parametrize("rate", [4000, 8000, 44100, 384_000])
def test_plausible_rates_still_load(tmp_path, rate):
    from interviewer.audio.io import load_audio

    path = tmp_path / "ok.wav"
    path.write_bytes(wav_bytes(rate, b"\x10\x00" * rate))  # one second
    audio = load_audio(path)
    assert abs(audio.size - 16000) <= 1


def test_resample_refuses_to_allocate_for_an_implausible_rate():
    from interviewer.audio.io import resample

    with pytest.raises(ValueError, match="sample rate"):
        resample(np.zeros(20_000, np.float32), 1)


def test_resampling_memory_is_bounded_whatever_the_rate():
    """30 s at 384 kHz (the highest rate accepted) resampled in capped blocks, not one FFT."""
    import tracemalloc

    from interviewer.audio.io import resample

    audio = (0.5 * np.sin(2 * np.pi * 440 * np.arange(384_000 * 30) / 384_000)).astype(np.float32)
    tracemalloc.start()
    try:
        out = resample(audio, 384_000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert out.size == 16_000 * 30
    assert peak < 110e6, f"{peak / 1e6:.0f} MB"
    tone = 0.5 * np.sin(2 * np.pi * 440 * np.arange(out.size) / 16_000)
    assert np.abs(out - tone)[16_000:-16_000].max() < 1e-4  # the blocks join without a seam


def test_archive_with_a_1_hz_recording_is_refused(tmp_path):
    from interviewer.history import Store

    with Store.open() as store:
        sid = store.begin_session(format="mixed", settings={"keep_audio": True})
        folder = store.export_session(sid, tmp_path / "export")
    doc = json.loads((folder / "session.json").read_text())
    doc["answers"].append({"created_at": doc["session"]["started_at"],
                           "question": {"id": "q", "category": "fundamentals", "prompt": "p", "tags": []},
                           "turn": {"kind": "answer", "index": 0}, "transcript": {}, "analysis": {},
                           "timings": {}, "audio": "audio/liar.wav"})
    (folder / "session.json").write_text(json.dumps(doc))
    (folder / "audio").mkdir()
    (folder / "audio" / "liar.wav").write_bytes(wav_bytes(1, bytes(40_000)))
    from interviewer.paths import data_dir

    with Store.open(data_dir() / "other" / "history.sqlite3") as target:
        with pytest.raises(UserError) as err:
            target.import_archive(folder)
        assert "sample rate" in str(err.value) and "Nothing was changed" in str(err.value)
        assert target.sessions() == []


# -- 7. one bad file in the user models folder breaks every command ----------------------------

def _bad_models(models_dir: Path) -> dict[str, Path]:
    bad = {
        "alignment-string": write_gguf(models_dir / "alignment-string.gguf", [
            ("general.architecture", GGUF_STRING, gguf_string("llama")),
            ("general.alignment", GGUF_STRING, gguf_string("thirty-two"))]),
        "alignment-zero": write_gguf(models_dir / "alignment-zero.gguf", [
            ("general.alignment", GGUF_UINT32, struct.pack("<I", 0))]),
        "nested": write_gguf(models_dir / "nested.gguf", [("tokenizer.ggml.tokens", GGUF_ARRAY, nested_array(50_000))]),
    }
    whisper = models_dir / "broken-whisper"
    whisper.mkdir()
    (whisper / "model.bin").write_bytes(bytes(range(256)) * 16)  # 4 KB of noise
    (whisper / "config.json").write_text("{}")
    (whisper / "tokenizer.json").write_text("{}")
    bad["broken-whisper"] = whisper
    truncated = models_dir / "truncated-whisper"
    truncated.mkdir()
    from interviewer.models.registry import embedded_stt_path

    real = embedded_stt_path()
    if real is not None:
        with open(real / "model.bin", "rb") as src:
            (truncated / "model.bin").write_bytes(src.read(200_000))  # a copy cut short
        for name in ("config.json", "tokenizer.json"):
            (truncated / name).write_bytes((real / name).read_bytes())
        bad["truncated-whisper"] = truncated
    return bad


def test_bad_files_in_the_models_folder_are_skipped_with_a_warning_naming_them(capsys):
    from interviewer.models.registry import active_paths, embedded_llm_path, embedded_stt_path
    from interviewer.paths import user_models_dir

    bad = _bad_models(user_models_dir())
    code, out, err = cli(capsys, "models", "--json")
    assert code == 0
    listed = json.loads(out)
    paths = {m["path"] for m in listed["models"]}
    for name, path in bad.items():
        assert str(path) not in paths, f"{name} was listed as a usable model"
        assert path.name in err, f"no warning names {name}: {err}"
        assert any(s["path"] == str(path) for s in listed["skipped"])
    stt, llm = active_paths()
    assert stt == embedded_stt_path() and llm == embedded_llm_path(), "a broken model became the active one"


def test_a_bad_gguf_named_on_the_command_line_is_a_model_error(capsys, tmp_path):
    bad = write_gguf(tmp_path / "deep.gguf", [("x", GGUF_ARRAY, nested_array(50_000))])
    code, _, err = cli(capsys, "models", "--llm-model", str(bad))
    assert code == 1 and "deep.gguf" in err and "Fix:" in err


@pytest.mark.slow
def test_follow_up_with_a_gguf_llama_cpp_cannot_load_exits_1(capsys, tmp_path):
    """A header this app accepts, a model llama.cpp rejects: no silent authored fallback."""
    bad = write_gguf(tmp_path / "no-such-arch.gguf", [("general.architecture", GGUF_STRING, gguf_string("nonsense"))])
    from interviewer.paths import REPO_ROOT

    q = REPO_ROOT / "interviewer" / "demo_data" / "question.yaml"
    code, out, err = cli(capsys, "follow-up", "--question-file", str(q), "--answer-text",
                         "Bias is underfitting and variance is overfitting.", "--llm-model", str(bad), "--json")
    assert code == 1, out
    assert "no-such-arch.gguf" in err and "Fix:" in err


# -- 8. tracebacks on screen -------------------------------------------------------------------

@pytest.mark.parametrize("content", [
    "- id: caf\xe9\n  prompt: r\xe9sum\xe9\n".encode("latin-1"),
    bytes(range(256)) * 4,
    b"[" * 20_000 + b"]" * 20_000,
    b"a: " + b"{b: " * 5_000 + b"1" + b"}" * 5_000,
], ids=["latin-1", "binary", "deep-list", "deep-map"])
def test_unreadable_question_file_is_a_message_not_a_traceback(capsys, tmp_path, content, no_models):
    q = tmp_path / "q.yaml"
    q.write_bytes(content)
    answer = tmp_path / "a.json"
    answer.write_text(json.dumps({"text": "words", "words": []}))
    code, _, err = cli(capsys, "score", str(answer), "--question-file", str(q))
    assert code == 1 and str(q) in err and "Fix:" in err
    assert "unexpected" not in err


def test_unreadable_file_in_the_user_questions_folder_is_a_message(capsys):
    from interviewer.paths import user_questions_dir

    (user_questions_dir() / "mine.yaml").write_bytes("- id: caf\xe9\n".encode("latin-1"))
    code, _, err = cli(capsys, "questions")
    assert code == 1 and "mine.yaml" in err and "UTF-8" in err and "unexpected" not in err


@pytest.mark.parametrize("target", ["10", "0", "-30", "100000"])
def test_drill_target_is_checked_before_the_models_load(capsys, target, no_models):
    from interviewer.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["drill", "--concept", "gradient descent", "--target", target])
    assert exit_.value.code == 2
    assert "--target" in capsys.readouterr().err


def test_drill_unknown_question_is_checked_before_the_models_load(capsys, no_models):
    code, _, err = cli(capsys, "drill", "--question-id", "no-such-question")
    assert code == 1 and "no-such-question" in err


def test_export_all_to_an_unwritable_place_is_a_message(capsys):
    code, _, err = cli(capsys, "history", "export-all", "/proc/x.zip")
    assert code == 1 and "/proc/x.zip" in err and "Fix:" in err and "unexpected" not in err


def test_export_to_an_unwritable_place_is_a_message(capsys):
    from interviewer.history import Store

    with Store.open() as store:
        sid = store.begin_session(format="mixed", settings={})
        store.finish_session(sid, {})
    code, _, err = cli(capsys, "history", "export", sid, "/proc/x")
    assert code == 1 and "/proc/x" in err and "Fix:" in err and "unexpected" not in err


def test_settings_data_dir_pointing_at_a_file_is_a_message(capsys, tmp_path):
    from interviewer.config import Settings, save_settings

    a_file = tmp_path / "not-a-folder"
    a_file.write_text("x")
    save_settings(Settings(data_dir=str(a_file)))
    code, _, err = cli(capsys, "history")
    assert code == 1 and str(a_file) in err and "data_dir" in err and "unexpected" not in err


@pytest.mark.parametrize("content", [bytes(range(256)) * 8, b"\xff\xfe{}", b"[" * 100_000],
                         ids=["binary", "utf16-bom", "deep"])
def test_unreadable_settings_file_is_a_message(capsys, content):
    from interviewer.config import settings_path

    settings_path().write_bytes(content)
    code, _, err = cli(capsys, "history")
    assert code == 1 and "settings.json" in err and "Fix:" in err and "unexpected" not in err


def test_console_log_never_shows_a_traceback_but_the_log_file_keeps_it(capsys):
    import logging

    from interviewer.logsetup import setup_logging

    log_path = setup_logging(False)
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("interviewer.test").exception("something failed")
    for h in logging.getLogger().handlers:
        h.flush()
    err = capsys.readouterr().err
    assert "something failed" in err and "Traceback" not in err
    assert "Traceback" in log_path.read_text()


def test_a_log_file_on_a_full_disk_prints_no_logging_traceback(capsys, monkeypatch):
    import logging

    from interviewer import logsetup

    import io

    class FullDisk(io.StringIO):
        def write(self, text):
            raise OSError(28, "No space left on device")

    logsetup.setup_logging(False)
    file_handlers = [h for h in logging.getLogger().handlers if isinstance(h, logging.FileHandler)]
    assert file_handlers
    for h in file_handlers:
        h.stream = FullDisk()
    logging.getLogger("interviewer.test").warning("disk is full")
    logging.getLogger("interviewer.test").warning("still full")
    err = capsys.readouterr().err
    assert "Traceback" not in err and "--- Logging error ---" not in err


# -- 6 and 9. exit codes, flags, Ctrl+C and SIGTERM --------------------------------------------

@pytest.mark.parametrize("n", ["0", "-5"])
def test_questions_count_is_checked_before_the_models_load(capsys, n, no_models, tmp_path):
    from interviewer.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["interview", "--questions", n, "--answers", str(quiet_wav(tmp_path / "a.wav"))])
    assert exit_.value.code == 2
    assert "--questions" in capsys.readouterr().err


def test_max_follow_ups_is_checked_before_the_models_load(capsys, no_models, tmp_path):
    from interviewer.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["interview", "--max-follow-ups", "-1", "--answers", str(quiet_wav(tmp_path / "a.wav"))])
    assert exit_.value.code == 2


def _interview_argv(tmp_path: Path, *extra: str) -> list[str]:
    return ["interview", "--question-id", "fund-bias-variance", "--question-id", "fund-supervised-vs-unsupervised",
            "--max-follow-ups", "0", "--answers", str(quiet_wav(tmp_path / "a.wav")), *extra]


def _sessions(home: Path) -> list[dict]:
    """The sessions in `home` (the test's own INTERVIEWER_HOME, shared with its children)."""
    from interviewer.history import Store

    with Store.open(home / "data" / "history.sqlite3") as store:
        return store.sessions(limit=None)


def test_fake_interview_completes_and_exits_0(tmp_path, isolated_home):
    """The harness itself: with nothing hostile, a session runs to the end."""
    proc = run_fake_cli(_interview_argv(tmp_path), isolated_home)
    assert proc.returncode == 0, proc.stderr
    [row] = _sessions(isolated_home)
    assert row["status"] == "finished" and row["answers"] == 2


@pytest.mark.parametrize("how", ["enospc", "analysis-crash"])
def test_failed_interview_exits_1_and_stays_resumable(tmp_path, isolated_home, how):
    env = {"HOSTILE_SOURCE": "enospc"} if how == "enospc" else {"HOSTILE_ANALYSIS": "crash"}
    proc = run_fake_cli(_interview_argv(tmp_path), isolated_home, **env)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    [row] = _sessions(isolated_home)
    assert row["status"] == "incomplete", "a failed session was marked finished"
    assert f"--resume {row['id']}" in proc.stderr


@pytest.mark.parametrize("sig, code, word", [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")])
def test_ctrl_c_and_sigterm_leave_the_session_resumable(tmp_path, isolated_home, sig, code, word):
    marker = tmp_path / "answering"
    proc = fake_cli_child(_interview_argv(tmp_path), isolated_home, HOSTILE_SOURCE="hang", HOSTILE_MARKER=str(marker),
                          PYTHONFAULTHANDLER="1")
    wait_for(marker, proc)
    proc.send_signal(sig)
    try:
        out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:  # say where it hangs
        proc.send_signal(signal.SIGABRT)  # faulthandler prints every thread's stack
        out, err = proc.communicate(timeout=30)
        raise AssertionError(f"no exit 60 s after {sig.name}; the child's threads:\n{err[-6000:]}")
    assert proc.returncode == code, err
    assert word in err and "Traceback" not in err
    [row] = _sessions(isolated_home)
    assert row["status"] == "incomplete"
    assert f"--resume {row['id']}" in err


def test_resume_transcribes_the_cut_off_answer_and_finishes_the_session(tmp_path, isolated_home):
    marker = tmp_path / "answering"
    proc = fake_cli_child(_interview_argv(tmp_path), isolated_home, HOSTILE_SOURCE="hang", HOSTILE_MARKER=str(marker))
    wait_for(marker, proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    [row] = _sessions(isolated_home)
    assert row["status"] == "incomplete" and row["answers"] == 0

    resumed = run_fake_cli(["interview", "--resume", "--answers", str(tmp_path / "a.wav"), "--json"], isolated_home)
    assert resumed.returncode == 0, resumed.stderr
    from interviewer.history import Store

    with Store.open() as store:
        report = store.session(row["id"])
    assert report["status"] == "finished"
    first = report["turns"][0]
    assert first["question"]["id"] == "fund-bias-variance" and first["turn"].get("cut_off") is True
    assert "memorizes" in first["transcript"]["text"], "the cut-off answer was not transcribed"
    assert first["audio_exists"]
    assert [(t["question"]["id"], t["turn"]["kind"]) for t in report["turns"]] == [
        ("fund-bias-variance", "answer"), ("fund-supervised-vs-unsupervised", "answer")], report["turns"]
    assert report["partial_recordings"] == []


def test_resume_with_nothing_to_resume_is_a_message(capsys, no_models, tmp_path):
    code, _, err = cli(capsys, *_interview_argv(tmp_path, "--resume"))
    assert code == 1 and "resume" in err.lower() and "Fix:" in err


def test_resume_of_an_unknown_or_finished_session_is_a_message(capsys, no_models, tmp_path):
    from interviewer.history import Store

    with Store.open() as store:
        sid = store.begin_session(format="mixed", settings={})
        store.finish_session(sid, {})
    code, _, err = cli(capsys, "interview", "--resume", sid, "--answers", str(quiet_wav(tmp_path / "a.wav")))
    assert code == 1 and sid in err and "finished" in err
    code, _, err = cli(capsys, "interview", "--resume", "nope", "--answers", str(tmp_path / "a.wav"))
    assert code == 1 and "nope" in err


def test_sigterm_during_any_command_exits_143_without_a_traceback(tmp_path, isolated_home):
    marker = tmp_path / "busy"
    code = ("import sys, time\nimport interviewer.cli as cli\n"
            "def busy(args, settings):\n"
            f"    open({str(marker)!r}, 'w').close()\n"
            "    time.sleep(60)\n    return 0\n"
            "cli.COMMANDS['models'] = busy\nsys.exit(cli.main(['models']))\n")
    from tests.hostile_support import child_env

    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=child_env(isolated_home))
    wait_for(marker, proc)
    proc.terminate()
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 143 and "terminated" in err and "Traceback" not in err


def test_two_demos_in_the_same_second_get_their_own_folders(monkeypatch):
    from datetime import datetime

    import interviewer.app.demo as demo_mod
    import interviewer.models.registry as registry

    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2025, 5, 5, 12, 0, 0)

    monkeypatch.setattr(demo_mod, "datetime", Frozen)
    made = []

    def stop(*a, **k):
        raise RuntimeError("stop after the output folder is made")

    monkeypatch.setattr(registry, "active_paths", stop)
    for _ in range(2):
        with pytest.raises(RuntimeError):
            demo_mod.run_demo()
    from interviewer.paths import data_dir

    made = sorted(p for p in (data_dir() / "demo").iterdir())
    assert len(made) == 2, made
    assert all(p.stat().st_mode & 0o777 == 0o700 for p in made)
