"""The transcript of one answer, and replaying the answer from a word.

`TranscriptView` is one focus stop (Tab passes through it, not from word to word): the
arrow keys move a word cursor, Enter or Space plays from it, Esc stops; a click on a word
plays from there, and a second click stops. The word being played is highlighted and
the highlight moves with the audio.

`Replay` plays a recording from a time on the thread pool (opening the speaker and
reading the WAV take a moment) and reports where it is, about 20 times a second, from
the player's clock.
"""

from __future__ import annotations

import bisect
import time
from typing import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextBrowser, QTextEdit

from .workers import run_task


class TranscriptView(QTextBrowser):
    word_activated = Signal(int)  # a click, or Enter/Space on the cursor word
    stop_requested = Signal()  # Esc

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        # links for the mouse only: with keyboard link access every word would be a Tab stop
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.setTabChangesFocus(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.anchorClicked.connect(self._clicked)
        self.spans: list[tuple[int, int]] = []  # (document position, length) of each word
        self.cursor_word = 0
        self.playing_word: int | None = None
        self.colors = {"cursor": QColor("#dce6fb"), "playing": QColor("#2458c6"), "playing_text": QColor("#ffffff"),
                       "focus": QColor("#2458c6")}

    def set_html(self, markup: str) -> None:
        self.setHtml(markup)
        self.spans = self._find_words()
        self.cursor_word = 0
        self.playing_word = None
        self._paint()

    def _find_words(self) -> list[tuple[int, int]]:
        """Where each `w:<i>` link is in the document (a word tinted as a filler is several
        fragments: they are joined)."""
        found: dict[int, list[int]] = {}
        block = self.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                frag = it.fragment()
                href = frag.charFormat().anchorHref()
                if href.startswith("w:"):
                    try:
                        i = int(href[2:])
                    except ValueError:
                        i = -1
                    if i >= 0:
                        span = found.setdefault(i, [frag.position(), frag.position() + frag.length()])
                        span[0] = min(span[0], frag.position())
                        span[1] = max(span[1], frag.position() + frag.length())
                it += 1
            block = block.next()
        if not found:
            return []
        return [(found[i][0], found[i][1] - found[i][0]) if i in found else (0, 0) for i in range(max(found) + 1)]

    # -- input -----------------------------------------------------------------------------
    def _clicked(self, url) -> None:
        text = url.toString()
        if text.startswith("w:"):
            try:
                i = int(text[2:])
            except ValueError:
                return
            self.cursor_word = i
            self._paint()
            self.word_activated.emit(i)

    def keyPressEvent(self, event) -> None:
        key = event.key()
        n = len(self.spans)
        moves = {Qt.Key.Key_Right: 1, Qt.Key.Key_Left: -1, Qt.Key.Key_Down: 8, Qt.Key.Key_Up: -8}
        if n and key in moves:
            self.cursor_word = max(0, min(n - 1, self.cursor_word + moves[key]))
            self._paint(scroll=True)
        elif n and key in (Qt.Key.Key_Home, Qt.Key.Key_End):
            self.cursor_word = 0 if key == Qt.Key.Key_Home else n - 1
            self._paint(scroll=True)
        elif n and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.word_activated.emit(self.cursor_word)
        elif key == Qt.Key.Key_Escape and self.playing_word is not None:
            self.stop_requested.emit()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        self._paint()

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        self._paint()

    # -- highlights ------------------------------------------------------------------------
    def set_playing_word(self, index: int | None) -> None:
        if index == self.playing_word:
            return
        self.playing_word = index
        if index is not None:
            self.cursor_word = index
        self._paint(scroll=index is not None)

    def _selection(self, index: int, fmt: QTextCharFormat) -> QTextEdit.ExtraSelection | None:
        if not (0 <= index < len(self.spans)) or not self.spans[index][1]:
            return None
        pos, length = self.spans[index]
        sel = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(pos)
        cursor.setPosition(pos + length, QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cursor
        sel.format = fmt
        return sel

    def _paint(self, scroll: bool = False) -> None:
        selections = []
        if self.hasFocus() and self.playing_word is None:
            fmt = QTextCharFormat()
            fmt.setBackground(self.colors["cursor"])
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            fmt.setUnderlineColor(self.colors["focus"])
            sel = self._selection(self.cursor_word, fmt)
            if sel:
                selections.append(sel)
        if self.playing_word is not None:
            fmt = QTextCharFormat()
            fmt.setBackground(self.colors["playing"])
            fmt.setForeground(self.colors["playing_text"])
            sel = self._selection(self.playing_word, fmt)
            if sel:
                selections.append(sel)
        self.setExtraSelections(selections)
        if scroll and selections:
            self.setTextCursor(QTextCursor(selections[-1].cursor))
            self.ensureCursorVisible()


class Replay(QObject):
    """Plays one recording from a time; one at a time."""

    started = Signal(float)  # seconds into the recording it plays from
    position = Signal(float)  # where the playback is now, in seconds into the recording
    stopped = Signal()  # by stop(), or at the end
    failed = Signal(str, str)

    def __init__(self, player_factory: Callable | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.player_factory = player_factory
        self.player = None
        self.playing = False
        self._from = 0.0
        self._length = 0.0
        self._t0 = 0.0
        self._serial = 0
        self._timer = QTimer(self)
        self._timer.setInterval(50)
        self._timer.timeout.connect(self._tick)

    def play(self, path: str, start: float) -> None:
        if self.player_factory is None:
            return
        self.stop()
        self._serial += 1
        serial = self._serial
        factory = self.player_factory

        def begin():  # a worker thread: the speaker is found and the WAV read here
            from ..audio import SAMPLE_RATE
            from ..audio.io import load_audio

            if self.player is None:
                self.player = factory()
            audio = load_audio(path)
            clip = audio[int(start * SAMPLE_RATE):]
            self.player.play(clip)
            return clip.size / SAMPLE_RATE

        def begun(length: float) -> None:
            if serial != self._serial:  # stopped (or another word clicked) meanwhile
                return
            self.playing = True
            self._from, self._length = start, float(length)
            self._t0 = time.monotonic()
            self._timer.start()
            self.started.emit(start)
            self.position.emit(start)

        def failed(problem: str, fix: str) -> None:
            self.playing = False
            self.failed.emit(problem, fix)

        run_task(begin, begun, failed)

    def _tick(self) -> None:
        speed = float(getattr(self.player, "speed", 1.0) or 1.0)  # a test's fast silent player
        elapsed = (time.monotonic() - self._t0) * speed
        if elapsed >= self._length or (self.player is not None and not self.player.playing and elapsed > 0.2):
            self._finish()
            return
        self.position.emit(self._from + elapsed)

    def stop(self) -> None:
        self._serial += 1
        if self.player is not None:
            run_task(self.player.stop)
        if self.playing:
            self._finish()

    def _finish(self) -> None:
        self._timer.stop()
        self.playing = False
        self.stopped.emit()


def word_at(starts: list[float], seconds: float) -> int:
    """The index of the word being said at `seconds` (the last that started by then)."""
    return max(0, bisect.bisect_right(starts, seconds + 1e-6) - 1)
