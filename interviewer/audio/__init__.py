"""Audio in and out. One internal format everywhere: 16 kHz mono float32 in [-1, 1]."""

SAMPLE_RATE = 16000
