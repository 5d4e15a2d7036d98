"""Finding and checking the speech and language models (never downloading them)."""
