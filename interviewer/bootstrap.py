"""Set-up and start, with nothing but the standard library: `python3 -m interviewer.bootstrap run|test`.

  run   install what is missing, then start the app (the GUI with a display, the demo without)
  test  install what is missing, then run the whole test suite

Idempotent: a second run checks a stamp (the hash of pyproject.toml) and skips pip.
On Debian/Ubuntu it installs the system libraries with apt when run as root; otherwise it
prints the exact apt command and stops.
"""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import subprocess
import sys
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENV = REPO / ".venv"
STAMP = VENV / ".bootstrap-stamp"

# Debian package -> a file that shows it is installed (checked with dpkg -s).
APT_PACKAGES = [
    "libportaudio2",  # sounddevice
    "espeak-ng",  # pyttsx3's voice on Linux, and test speech
    "libespeak-ng1",
    "sox",  # test and benchmark audio checks
    "xvfb",  # GUI screenshots without a screen
    "libegl1", "libgl1", "libxkbcommon-x11-0", "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1",
    "libxcb-image0", "libxcb-render-util0", "libxcb-shape0", "libxcb-xinerama0", "libxcb-randr0", "libxcb-xkb1",
    "libfontconfig1", "libdbus-1-3",  # Qt's runtime
]


def say(msg: str) -> None:
    print(f"[setup] {msg}", flush=True)


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def missing_apt_packages() -> list[str]:
    if not shutil.which("dpkg-query"):
        return []
    missing = []
    for pkg in APT_PACKAGES:
        r = subprocess.run(["dpkg-query", "-W", "-f=${Status}", pkg], capture_output=True, text=True)
        if "install ok installed" not in r.stdout:
            missing.append(pkg)
    return missing


def ensure_system_packages() -> None:
    if platform.system() != "Linux":
        return
    if not shutil.which("apt-get"):
        say("not a Debian/Ubuntu system: install PortAudio, espeak-ng and Qt's xcb libraries with your package manager")
        return
    missing = missing_apt_packages()
    if not missing:
        return
    cmd = ["apt-get", "install", "-y", "--no-install-recommends", *missing]
    if os.geteuid() != 0:
        print("Some system libraries are missing. Install them with:\n\n"
              f"  sudo apt-get update && sudo {' '.join(cmd)}\n\nthen run this command again.", file=sys.stderr)
        sys.exit(1)
    say(f"installing system packages: {' '.join(missing)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if subprocess.run(cmd, env=env).returncode != 0:
        subprocess.run(["apt-get", "update"], env=env, check=True)
        subprocess.run(cmd, env=env, check=True)


def requirements_hash() -> str:
    h = hashlib.sha256()
    for name in ("pyproject.toml",):
        h.update((REPO / name).read_bytes())
    h.update(sys.version.encode())
    return h.hexdigest()


def ensure_venv() -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"Python 3.11 or newer is needed (this is {platform.python_version()}).")
    if not venv_python().exists():
        say(f"creating {VENV}")
        venv.EnvBuilder(with_pip=True).create(VENV)
    want = requirements_hash()
    if STAMP.exists() and STAMP.read_text() == want:
        return
    py = str(venv_python())
    say("installing the app, its default models and test tools (llama-cpp-python compiles: ~5 min the first time)")
    subprocess.run([py, "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True)
    # CMAKE_BUILD_PARALLEL_LEVEL: use both cores when llama.cpp compiles; pip's cache keeps the wheel for next time.
    env = dict(os.environ, CMAKE_BUILD_PARALLEL_LEVEL=str(os.cpu_count() or 2))
    subprocess.run([py, "-m", "pip", "install", "-q", "-e", f"{REPO}[dev]"], check=True, env=env)
    STAMP.write_text(want)


def has_display() -> bool:
    if platform.system() in ("Windows", "Darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    action = argv.pop(0) if argv else "run"
    if action not in ("run", "test", "setup"):
        print(__doc__, file=sys.stderr)
        return 2
    ensure_system_packages()
    ensure_venv()
    if action == "setup":
        return 0
    if action == "test":
        say("running the test suite")
        return subprocess.run([str(venv_python()), "-m", "pytest", *argv], cwd=REPO).returncode
    exe = VENV / ("Scripts/interviewer.exe" if os.name == "nt" else "bin/interviewer")
    args = argv if argv else ([] if has_display() else ["demo"])
    if not has_display() and not argv:
        say("no display found: running the demo (one interview turn, no microphone needed)")
    return subprocess.run([str(exe), *args]).returncode


if __name__ == "__main__":
    sys.exit(main())
