"""Loaded at interpreter start (via PYTHONPATH): makes PortAudio look uninstalled."""

import ctypes.util

_real = ctypes.util.find_library
ctypes.util.find_library = lambda name: None if "portaudio" in name else _real(name)
