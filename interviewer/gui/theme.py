"""One visual language for every page: a palette in light and dark from the same tokens,
a type scale, a spacing unit, cards, a primary button and a visible focus ring.

The tokens become both a QPalette (charts and rich text derive their colours from it,
see palette.py) and one application style sheet, so a widget never picks a colour of
its own. Fusion is the base style everywhere: a style sheet renders the same on every
platform only on top of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette

# The type scale, as multiples of the system font: page titles, section headings, small
# print, and the one big number a page may have (the overall score, the drill verdict).
TITLE = 1.55
SECTION = 1.2
SUB = 1.05
CAPTION = 0.92
DISPLAY = 2.6


@dataclass(frozen=True)
class Tokens:
    window: str  # the page background
    card: str  # cards, inputs, lists: one step lighter (or darker, in dark) than the page
    sunken: str  # the sidebar, disabled fields, tracks of bars
    text: str
    dim: str  # secondary text: captions, evidence, hints
    border: str
    accent: str  # the one colour for action: the primary button, selection, the focus ring
    accent_text: str  # text on the accent
    accent_soft: str  # a selected row, a highlight behind text
    good: str
    warn: str
    bad: str
    focus: str
    bad_soft: str  # behind a problem: a wash of the problem colour


LIGHT = Tokens(window="#f3f4f6", card="#ffffff", sunken="#e8eaee", text="#1c2026", dim="#5a6270",
               border="#cfd5dd", accent="#2458c6", accent_text="#ffffff", accent_soft="#dce6fb",
               good="#1a7f37", warn="#9a6300", bad="#c42b2b", focus="#2458c6", bad_soft="#fdf0f0")
DARK = Tokens(window="#16181c", card="#1f2228", sunken="#1a1d22", text="#e6e8eb", dim="#a2aab5",
              border="#4d5662", accent="#6ea2ff", accent_text="#0c1424", accent_soft="#243a61",
              good="#4cc26a", warn="#e0a93a", bad="#f47a72", focus="#8cb6ff", bad_soft="#3a2426")

_applied: dict = {}


def tokens(dark: bool | None = None) -> Tokens:
    if dark is None:
        dark = bool(_applied.get("dark"))
    return DARK if dark else LIGHT


def current_is_dark() -> bool:
    return bool(_applied.get("dark"))


def system_prefers_dark() -> bool:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    try:
        return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark
    except AttributeError:  # Qt before 6.5 cannot say
        return False


def make_palette(t: Tokens) -> QPalette:
    p = QPalette()
    role = QPalette.ColorRole
    colours = {
        role.Window: t.window, role.WindowText: t.text, role.Base: t.card, role.AlternateBase: t.sunken,
        role.Text: t.text, role.Button: t.card, role.ButtonText: t.text, role.Highlight: t.accent,
        role.HighlightedText: t.accent_text, role.ToolTipBase: t.card, role.ToolTipText: t.text,
        role.Link: t.accent, role.LinkVisited: t.accent, role.PlaceholderText: t.dim, role.Mid: t.border,
        role.Light: t.card, role.Midlight: t.sunken, role.Dark: t.border, role.Shadow: "#000000",
        role.BrightText: t.bad,
    }
    for r, c in colours.items():
        p.setColor(r, QColor(c))
    disabled = QColor(t.dim)
    disabled.setAlphaF(0.75)
    for r in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, r, disabled)
    p.setColor(QPalette.ColorGroup.Disabled, role.Button, QColor(t.sunken))
    p.setColor(QPalette.ColorGroup.Disabled, role.Base, QColor(t.sunken))
    return p


def style_sheet(t: Tokens, base_pt: float, line_px: int) -> str:
    """The application style sheet. Sizes come from the font (points, or pixels measured
    from its line height), so 200 % scaling and large system fonts grow everything
    together. Line edits, combo boxes and spin boxes keep Fusion's own frame: it already
    draws a clear focus ring in the accent colour, and restyling them loses their arrows."""
    u = max(2, line_px // 4)  # a quarter line: the padding unit
    pad = f"{u + 1}px {u * 3}px"
    return f"""
QWidget#page {{ background: {t.window}; }}
QLabel {{ background: transparent; }}
QFrame#card {{ background: {t.card}; border: 1px solid {t.border}; border-radius: 8px; }}
QFrame#banner {{ background: {t.accent_soft}; border: 1px solid {t.accent}; border-radius: 8px; }}
QFrame#problem {{ background: {t.bad_soft}; border: 1px solid {t.bad}; border-radius: 8px; }}
QLabel[role="caption"] {{ color: {t.dim}; font-size: {base_pt * CAPTION:.1f}pt; }}
QLabel[role="dim"] {{ color: {t.dim}; }}
QLabel#pill {{ border: 1px solid {t.border}; border-radius: {u * 3}px; padding: {u // 2}px {u * 3}px;
               background: {t.card}; }}
QLabel#pill[state="listening"] {{ border-color: {t.good}; color: {t.good}; }}
QLabel#pill[state="speaking"] {{ border-color: {t.accent}; color: {t.accent}; }}
QLabel#pill[state="paused"] {{ border-color: {t.warn}; color: {t.warn}; }}

QPushButton {{ background: {t.card}; color: {t.text}; border: 1px solid {t.border}; border-radius: 6px;
               padding: {pad}; min-height: {line_px}px; }}
QPushButton:hover {{ border-color: {t.accent}; }}
QPushButton:pressed, QPushButton:checked {{ background: {t.accent_soft}; }}
QPushButton:disabled {{ background: {t.sunken}; color: {t.dim}; border-color: {t.sunken}; }}
QPushButton:focus {{ border: 2px solid {t.focus}; }}
QPushButton[primary="true"] {{ background: {t.accent}; color: {t.accent_text}; border: 1px solid {t.accent};
                               font-weight: 600; }}
QPushButton[primary="true"]:hover {{ border-color: {t.text}; }}
QPushButton[primary="true"]:focus {{ border: 2px solid {t.text}; }}
QPushButton[primary="true"]:disabled {{ background: {t.sunken}; color: {t.dim}; border-color: {t.sunken}; }}
QPushButton[flat="true"] {{ border: 1px solid transparent; background: transparent; color: {t.accent};
                            padding: {u // 2}px {u}px; text-align: left; }}
QPushButton[flat="true"]:focus {{ border: 2px solid {t.focus}; }}
QPushButton[flat="true"]:hover {{ text-decoration: underline; }}
QToolButton:focus {{ border: 2px solid {t.focus}; border-radius: 4px; }}

QPlainTextEdit, QTextEdit {{ background: {t.card}; color: {t.text}; border: 1px solid {t.border}; border-radius: 6px;
    selection-background-color: {t.accent}; selection-color: {t.accent_text}; }}
QPlainTextEdit:focus, QTextEdit:focus {{ border: 2px solid {t.focus}; }}
QTextBrowser, QListWidget, QTreeWidget {{ background: {t.card}; color: {t.text}; border: 1px solid {t.border};
                                          border-radius: 6px; }}
QTextBrowser:focus, QListWidget:focus, QTreeWidget:focus {{ border: 2px solid {t.focus}; }}
QListWidget::item:selected, QTreeWidget::item:selected {{ background: {t.accent_soft}; color: {t.text}; }}
QCheckBox, QRadioButton {{ border: 2px solid transparent; border-radius: 4px; padding: 1px 3px; }}
QCheckBox:focus, QRadioButton:focus {{ border: 2px solid {t.focus}; }}
QGroupBox {{ background: {t.card}; border: 1px solid {t.border}; border-radius: 8px; margin-top: {line_px * 2}px;
             padding: {u * 2}px {u * 2}px {u}px {u * 2}px; }}
QGroupBox::title {{ subcontrol-origin: margin; left: {u}px; padding: 0 {u}px; font-weight: 600;
                    font-size: {base_pt * SUB:.1f}pt; color: {t.text}; }}

QTabWidget::pane {{ border: 1px solid {t.border}; border-radius: 8px; background: {t.card}; top: -1px; }}
QTabBar::tab {{ background: transparent; color: {t.dim}; padding: {u + 2}px {u * 4}px; border: 2px solid transparent;
                border-bottom: 2px solid transparent; }}
QTabBar::tab:selected {{ color: {t.text}; border-bottom: 2px solid {t.accent}; font-weight: 600; }}
QTabBar::tab:focus {{ border: 2px solid {t.focus}; border-radius: 4px; }}
QScrollArea {{ border: none; background: transparent; }}
QWidget#qt_scrollarea_viewport {{ background: transparent; }}

QListWidget#nav {{ background: {t.sunken}; border: none; border-right: 1px solid {t.border}; border-radius: 0;
                   padding: {u * 2}px {u * 2}px; outline: 0; }}
QListWidget#nav::item {{ padding: {u * 2}px {u * 3}px; margin: 1px 0; border-radius: 6px; color: {t.text}; }}
QListWidget#nav::item:selected {{ background: {t.accent_soft}; color: {t.text}; font-weight: 600; }}
QListWidget#nav::item:hover:!selected {{ background: {t.card}; }}
QListWidget#nav:focus {{ border: 2px solid {t.focus}; }}

QProgressBar {{ background: {t.sunken}; border: none; border-radius: 3px; }}
QProgressBar::chunk {{ background: {t.accent}; border-radius: 3px; }}
QStatusBar {{ background: {t.sunken}; color: {t.dim}; border-top: 1px solid {t.border}; }}
QMenuBar {{ background: {t.window}; }}
QToolTip {{ background: {t.card}; color: {t.text}; border: 1px solid {t.border}; }}
"""


def apply(app, dark: bool | None = None) -> bool:
    """Fusion, the palette and the style sheet for light or dark (None: the system's
    preference). Returns whether dark was chosen."""
    if dark is None:
        dark = system_prefers_dark()
    t = tokens(dark)
    if app.style().name().lower() != "fusion":  # once: replacing a style under live widgets can crash
        app.setStyle("Fusion")
    app.setPalette(make_palette(t))
    base_pt = app.font().pointSizeF()
    if base_pt <= 0:
        base_pt = 10.0
    from PySide6.QtGui import QFontMetrics

    app.setStyleSheet(style_sheet(t, base_pt, QFontMetrics(app.font()).height()))
    _applied["dark"] = dark
    return dark


def ensure(app) -> None:
    """Apply the system's theme once, unless the app (or a screenshot run) already chose one."""
    if "dark" not in _applied:
        apply(app)


def follow_system(app) -> None:
    """Re-theme when the desktop switches between light and dark."""
    try:
        hints = app.styleHints()
        hints.colorSchemeChanged.connect(lambda _scheme: apply(app, system_prefers_dark()))
    except AttributeError:
        pass
