"""Offline, voice-driven mock interviewer for machine-learning engineering interviews.

Importing the package is cheap on purpose: no models, no Qt, no audio libraries load
here, so `python -m interviewer.bootstrap` works with nothing but the standard library.
"""

__version__ = "0.1.0"
