"""Model discovery and the checks that keep a bad model file from crashing the app."""

import shutil
import struct

import pytest

from interviewer.errors import ModelError
from interviewer.models.gguf import read_gguf
from interviewer.models.registry import discover, validate_gguf, validate_whisper_dir
from tests.helpers import run_cli, run_json


def test_embedded_defaults_are_found_and_verified():
    models = discover()
    active = {m.kind: m for m in models if m.active}
    assert set(active) == {"stt", "llm"}
    assert active["stt"].source == "embedded" and active["llm"].source == "embedded"
    assert active["stt"].verified is True and active["llm"].verified is True  # sha256 matches models/manifest.json
    assert active["llm"].license == "Apache-2.0" and active["stt"].license == "MIT"


def test_models_json_lists_the_embedded_models():
    data = run_json("models", "--json")
    kinds = sorted(m["kind"] for m in data["models"])
    assert kinds == ["llm", "stt", "stt"]  # tiny.en streams; base is the accurate final pass
    for m in data["models"]:
        assert m["size_bytes"] > 10_000_000 and m["path"] and m["name"] and m["license"]
    active = [m for m in data["models"] if m["active"]]
    assert sorted(m["kind"] for m in active) == ["llm", "stt"]
    (base,) = [m for m in data["models"] if not m["active"]]
    assert "base" in base["name"] and base["verified"] is True and base["source"] == "embedded"


def test_model_dropped_into_user_dir_is_found_and_preferred(llm_model_path, isolated_home):
    from interviewer.paths import user_models_dir

    target = user_models_dir() / "my-model.gguf"
    target.symlink_to(llm_model_path)
    active = [m for m in discover() if m.kind == "llm" and m.active]
    assert len(active) == 1 and active[0].source == "user-dir" and active[0].path.endswith("my-model.gguf")


def test_missing_paths_are_clear(tmp_path):
    with pytest.raises(ModelError, match="not found"):
        validate_gguf(tmp_path / "nope.gguf")
    with pytest.raises(ModelError, match="not found"):
        validate_whisper_dir(tmp_path / "nope")
    proc = run_cli("models", "--llm-model", str(tmp_path / "nope.gguf"))
    assert proc.returncode == 1
    assert "nope.gguf" in proc.stderr and "Fix:" in proc.stderr and "Traceback" not in proc.stderr


def test_whisper_folder_without_model_bin(tmp_path, stt_model_path, real_speech):
    folder = tmp_path / "whisper"
    folder.mkdir()
    shutil.copy(stt_model_path / "config.json", folder)
    shutil.copy(stt_model_path / "tokenizer.json", folder)
    with pytest.raises(ModelError, match="model.bin missing"):
        validate_whisper_dir(folder)
    proc = run_cli("transcribe", "--stt-model", str(folder), str(real_speech / "jfk.wav"))
    assert proc.returncode == 1 and "model.bin" in proc.stderr and "Traceback" not in proc.stderr


def test_truncated_gguf_is_refused_before_llama_cpp(tmp_path, llm_model_path):
    cut = tmp_path / "cut.gguf"
    with llm_model_path.open("rb") as src, cut.open("wb") as dst:
        dst.write(src.read(llm_model_path.stat().st_size // 2))
    with pytest.raises(ModelError, match="truncated"):
        read_gguf(cut)
    proc = run_cli("follow-up", "--llm-model", str(cut), "--question-file", "interviewer/demo_data/question.yaml",
                   "--answer-text", "Bias is underfitting.", timeout=60)
    assert proc.returncode == 1 and "cut.gguf" in proc.stderr and "truncated" in proc.stderr


def test_header_cut_short_and_not_gguf(tmp_path, llm_model_path):
    head = tmp_path / "head.gguf"
    head.write_bytes(llm_model_path.read_bytes()[:5000])
    with pytest.raises(ModelError, match="ends early|truncated"):
        read_gguf(head)
    junk = tmp_path / "junk.gguf"
    junk.write_bytes(b"PK\x03\x04" + b"\0" * 100)
    with pytest.raises(ModelError, match="not a GGUF file"):
        read_gguf(junk)
    huge = tmp_path / "huge.gguf"
    huge.write_bytes(b"GGUF" + struct.pack("<IQQ", 3, 1, 1) + struct.pack("<Q", 1 << 40))
    with pytest.raises(ModelError):  # a string length of 1 TB must not be allocated
        read_gguf(huge)


def test_manifest_model_with_wrong_hash_is_refused(tmp_path, llm_model_path):
    bad = tmp_path / llm_model_path.name  # same name and size as the manifest entry
    shutil.copy(llm_model_path, bad)
    with bad.open("r+b") as fh:
        fh.seek(-10, 2)
        fh.write(b"\xff" * 10)
    with pytest.raises(ModelError, match="sha256"):
        validate_gguf(bad)


def test_llama_cpp_renders_chat_templates_in_a_sandbox(llm_model_path):
    """A GGUF's chat template is code from the model file: it must run in Jinja's sandbox."""
    from jinja2.sandbox import ImmutableSandboxedEnvironment
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    evil = "{{ ''.__class__.__mro__[1].__subclasses__() }}"
    formatter = Jinja2ChatFormatter(template=evil, eos_token="</s>", bos_token="<s>")
    assert isinstance(formatter._environment.environment, ImmutableSandboxedEnvironment)
    with pytest.raises(Exception, match="unsafe|not safely|access"):
        formatter(messages=[{"role": "user", "content": "hi"}])


def test_score_cli_bad_inputs_exit_1(tmp_path):
    (tmp_path / "broken.wav").write_bytes(b"RIFF\x00\x00\x00\x00WAVEnot audio at all")
    q = "interviewer/demo_data/question.yaml"
    proc = run_cli("score", str(tmp_path / "broken.wav"), "--question-file", q)
    assert proc.returncode == 1 and "broken.wav" in proc.stderr and "Traceback" not in proc.stderr
    (tmp_path / "empty.json").write_text('{"words": []}')
    proc = run_cli("score", str(tmp_path / "empty.json"), "--question-file", q)
    assert proc.returncode == 1 and "empty" in proc.stderr.lower() and "Traceback" not in proc.stderr
    bad_q = tmp_path / "q.yaml"
    bad_q.write_text("id: q1\ncategory: fundamentals\nprompt: What is a loss function?\nkey_points:\n  - id: a\n    label: x\n")
    proc = run_cli("score", str(tmp_path / "empty.json"), "--question-file", str(bad_q))
    assert proc.returncode == 1 and "q.yaml" in proc.stderr and "key_points.0" in proc.stderr
