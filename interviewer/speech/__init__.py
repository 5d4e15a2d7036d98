"""Speech in (faster-whisper) and out (pyttsx3)."""
