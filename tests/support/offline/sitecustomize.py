"""Loaded at interpreter start (via PYTHONPATH) to prove the app needs no network."""

import socket

ATTEMPTS = []


def _refuse(self, address, *args, **kwargs):
    ATTEMPTS.append(address)
    raise OSError(f"network blocked by the offline test: connect to {address!r}")


socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse
socket.create_connection = lambda *a, **k: _refuse(None, a[0] if a else None)
