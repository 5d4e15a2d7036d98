"""The local language model (llama.cpp) and the interviewer brain built on it."""
