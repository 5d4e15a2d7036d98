"""Adding a model the user already has (no Qt): a GGUF language model or a faster-whisper
speech model folder, checked at once with the model registry's own checks, then linked
(or copied) into the user's models folder, where discovery finds it from then on.

Nothing is downloaded. Linking is instant and takes no space but breaks if the original
moves; copying survives that and costs the disk space and the time to copy.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Callable

from ..errors import ModelError

WHISPER_FIX = ("Choose the faster-whisper model folder itself: the one with model.bin, config.json and "
               "tokenizer.json inside (a CTranslate2 conversion of Whisper, not the original PyTorch files).")
GGUF_FIX = "Choose a .gguf chat model file made for llama.cpp; other formats have to be converted to GGUF first."


def check_model(path: str | Path) -> dict:
    """{kind: "stt" | "llm", path, name, size_bytes}; raises ModelError with a fix that
    names what to choose instead."""
    from ..models.registry import validate_gguf, validate_whisper_dir

    path = Path(path).expanduser()
    if not path.exists():
        raise ModelError(f"“{path}” does not exist.", "Choose the file or folder again.")
    if path.is_dir():
        if not (path / "model.bin").exists() and list(path.glob("*.gguf")):
            path = validate_gguf(path)  # a folder holding one GGUF: that file
            return _llm(path)
        try:
            validate_whisper_dir(path)
        except ModelError as exc:
            raise ModelError(exc.problem.replace(str(path), f"“{path.name}”"), WHISPER_FIX) from None
        size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
        return {"kind": "stt", "path": str(path), "name": f"faster-whisper {path.name}", "size_bytes": size}
    if path.suffix.lower() != ".gguf":
        raise ModelError(f"“{path.name}” is not a model the app can use: a language model is a .gguf file, a speech "
                         "model is a faster-whisper folder.", f"{GGUF_FIX} For speech, choose the model's folder.")
    try:
        validate_gguf(path)
    except ModelError as exc:
        raise ModelError(_plain_gguf_problem(path, exc.problem), GGUF_FIX) from None
    return _llm(path)


def _plain_gguf_problem(path: Path, problem: str) -> str:
    """The registry's finding about a .gguf file, said without byte dumps."""
    name = f"“{path.name}”"
    if "is not a GGUF file" in problem:
        return f"{name} is not a GGUF model: the file holds something else (text, or a model in another format)."
    if "truncated" in problem:
        return f"{name} is incomplete: the download or copy was cut short."
    if "sha256" in problem:
        return f"{name} has the name of a known model but different contents: it is damaged or was changed."
    if "not a usable GGUF model" in problem:
        return f"{name} is a damaged GGUF model ({problem.split(':', 1)[-1].strip()})."
    return problem.replace(str(path), name)


def _llm(path: Path) -> dict:
    from ..models.gguf import read_gguf

    info = read_gguf(path)
    return {"kind": "llm", "path": str(path), "name": f"{info.name} ({path.name})", "size_bytes": path.stat().st_size}


def add_model(path: str | Path, *, copy: bool = False, progress: Callable[[str], None] = lambda m: None) -> dict:
    """Check the model, then link it (or, with `copy` or where links are not allowed, copy
    it) into the user's models folder. Returns check_model()'s dict with `dest` and
    `how` ("linked", "copied" or "already there")."""
    from ..paths import user_models_dir

    info = check_model(path)
    src = Path(info["path"])
    folder = user_models_dir()
    dest = folder / src.name
    if dest.exists() or dest.is_symlink():
        try:
            same = dest.resolve() == src.resolve()
        except OSError:
            same = False
        if same:
            return {**info, "dest": str(dest), "how": "already there"}
        raise ModelError(f"Your models folder already has a model called “{src.name}”.",
                         f"Rename the new one, or remove the old one from {folder} first.")
    how = "copied"
    if not copy:
        try:
            os.symlink(src.resolve(), dest, target_is_directory=src.is_dir())
            how = "linked"
        except (OSError, NotImplementedError):  # Windows without developer mode: copy instead
            how = "copied"
    if how == "copied":
        progress(f"Copying {info['size_bytes'] / 1e6:.0f} MB into your models folder…")
        tmp = dest.with_name(dest.name + ".partial")
        try:
            if src.is_dir():
                shutil.copytree(src, tmp)
            else:
                shutil.copy2(src, tmp)
            tmp.rename(dest)
        except OSError as exc:
            shutil.rmtree(tmp, ignore_errors=True) if tmp.is_dir() else tmp.unlink(missing_ok=True)
            raise ModelError(f"Could not copy the model: {exc.strerror or exc}",
                             "Free some disk space, or add it as a link instead of a copy.") from None
    return {**info, "dest": str(dest), "how": how}
