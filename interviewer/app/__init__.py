"""The use cases the CLI and the GUI share (no Qt): the loaded runtime, planning a session
(interview, drill, rehearsal, resume), and the reports sessions end with."""
