"""The desktop app: PySide6 pages over the Qt-free core.

One page or widget per module. Engines (the model loader, the interview session, the
microphone monitor, exports) run on worker threads and talk to the pages by signals;
the GUI thread only paints and reacts. Nothing here runs at import time: `app.run_gui`
is the entry point.
"""
