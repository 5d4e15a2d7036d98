"""Where the app keeps its files.

platformdirs gives the right folders on Linux, macOS and Windows. `INTERVIEWER_HOME`
puts everything under one folder instead (tests, portable installs, the installer's
smoke test with a fresh HOME).
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "interviewer"
REPO_ROOT = Path(__file__).resolve().parent.parent


def _home_override() -> Path | None:
    value = os.environ.get("INTERVIEWER_HOME")
    return Path(value).expanduser() if value else None


def _private_dir(path: Path) -> Path:
    """Create `path` readable by the user alone (answers and recordings are personal)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        path.chmod(0o700)
    except OSError:  # some filesystems (FAT, network shares) have no modes
        pass
    return path


def data_dir() -> Path:
    home = _home_override()
    if home:
        return _private_dir(home / "data")
    import platformdirs

    return _private_dir(Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)))


def config_dir() -> Path:
    home = _home_override()
    if home:
        return _private_dir(home / "config")
    import platformdirs

    return _private_dir(Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)))


def log_dir() -> Path:
    home = _home_override()
    if home:
        return _private_dir(home / "logs")
    import platformdirs

    return _private_dir(Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)))


def cache_dir() -> Path:
    home = _home_override()
    if home:
        return _private_dir(home / "cache")
    import platformdirs

    return _private_dir(Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)))


def user_models_dir() -> Path:
    """Drop a faster-whisper folder or a .gguf file here and the app finds it."""
    return _private_dir(data_dir() / "models")


def user_questions_dir() -> Path:
    """Custom questions (YAML), validated like the built-in bank."""
    return _private_dir(data_dir() / "questions")


def resource_dir(name: str) -> Path:
    """A folder shipped with the app: questions/, prompts/ or models/.

    From a checkout they sit at the repo root; in an installed wheel or a PyInstaller
    bundle they are copied inside the package as `interviewer/_data/<name>`.
    """
    packaged = Path(__file__).resolve().parent / "_data" / name
    if packaged.is_dir():
        return packaged
    return REPO_ROOT / name
