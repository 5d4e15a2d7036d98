"""Audio in and out. One internal format everywhere: 16 kHz mono float32 in [-1, 1]."""

SAMPLE_RATE = 16000

# Sample rates a WAV header may claim. A header is untrusted input: one that says 1 Hz
# turns 40 KB of samples into hours of audio to resample (4.4 GB of RAM, measured).
# Telephone audio is 8 kHz; studio gear stops at 384 kHz.
MIN_RATE = 4_000
MAX_RATE = 384_000
