"""Export a report (an interview, a rehearsal or a timed drill) to HTML or PDF.

The pacing charts are painted on the GUI thread (widgets live there; it takes a few
milliseconds each); writing the document, and PDF layout above all, runs on a worker.
Exports are always in print colours, whatever the screen's theme.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QSizeF, QUrl
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QApplication

from .report_html import document_html, drill_document_html

CHART_SIZE = (560, 180)  # drawn at the size it is printed (the document is at 96 dpi): no stretched gaps


def render_charts(report: dict) -> dict[int, QImage]:
    """Question number -> the main answer's pacing chart, painted in light print colours."""
    from .pacing_chart import PacingChart

    images = {}
    palette = QApplication.style().standardPalette()
    for n, q in enumerate(report["questions"], 1):
        main = q.get("main")
        if not main or not main.get("wpm_windows"):
            continue
        chart = PacingChart()
        chart.setPalette(palette)
        chart.resize(CHART_SIZE[0], CHART_SIZE[1])
        chart.set_data(main)
        images[n] = chart.grab().toImage()
        chart.deleteLater()
    return images


def render_drill_images(report: dict, analysis: dict | None) -> dict[str, QImage]:
    """The drill's timeline and pace chart, painted in light print colours."""
    from .drill_widgets import DrillTimeline
    from .pacing_chart import PacingChart

    palette = QApplication.style().standardPalette()
    images = {}
    timeline = DrillTimeline()
    timeline.setPalette(palette)
    timeline.resize(CHART_SIZE[0], timeline.sizeHint().height())
    timeline.set_report(report)
    images["timeline"] = timeline.grab().toImage()
    timeline.deleteLater()
    data = analysis or {"wpm_windows": report.get("wpm_windows"), "pace_curve": report.get("pace_curve"),
                        "wpm": report.get("wpm")}
    if data.get("wpm_windows"):
        chart = PacingChart()
        chart.setPalette(palette)
        chart.resize(CHART_SIZE[0], CHART_SIZE[1])
        chart.set_data(data)
        images["pace"] = chart.grab().toImage()
        chart.deleteLater()
    return images


def _png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    buf.close()
    return bytes(data)


def write_html(path: Path, make_html: Callable[[dict], str], images: dict, progress: Callable[[str], None]) -> Path:
    progress("Writing HTML…")
    srcs = {n: "data:image/png;base64," + base64.b64encode(_png_bytes(img)).decode("ascii") for n, img in images.items()}
    path = Path(path)
    path.write_text(make_html(srcs), encoding="utf-8")
    return path


def write_pdf(path: Path, make_html: Callable[[dict], str], images: dict, progress: Callable[[str], None]) -> Path:
    progress("Laying out the PDF…")
    doc = QTextDocument()
    srcs = {}
    for n, img in images.items():
        name = f"chart-{n}.png"
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), img)
        srcs[n] = name
    doc.setHtml(make_html(srcs))
    path = Path(path)
    writer = QPdfWriter(str(path))
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    writer.setResolution(96)
    writer.setTitle("Report")
    writer.setCreator("ML mock interviewer")
    doc.setDocumentMargin(0)  # the page has its margins already
    doc.setPageSize(QSizeF(writer.width(), writer.height()))
    keep_sections_together(doc)
    progress("Writing the PDF…")
    doc.print_(writer)
    del writer  # flushes and closes the file
    return path


def keep_sections_together(doc: QTextDocument) -> int:
    """Move each section (a top-level table, see report_html.block) that would straddle two
    pages to the next page, when it fits on one: Qt splits tables anywhere, which leaves a
    heading or a line or two alone at a page's foot. Returns how many moved."""
    from PySide6.QtGui import QTextFormat, QTextTable

    from PySide6.QtGui import QTextBlockFormat, QTextCharFormat, QTextCursor

    # the empty line Qt keeps after the last table: made flat, so it never makes a blank last page
    tail = QTextCursor(doc.lastBlock())
    if not doc.lastBlock().text():
        flat = QTextBlockFormat()
        flat.setTopMargin(0)
        flat.setBottomMargin(0)
        flat.setLineHeight(1, QTextBlockFormat.LineHeightTypes.FixedHeight.value)
        tail.setBlockFormat(flat)
        tiny = QTextCharFormat()
        tiny.setFontPointSize(1)
        tail.setBlockCharFormat(tiny)
    page = doc.pageSize().height()
    layout = doc.documentLayout()
    moved = 0
    for frame in doc.rootFrame().childFrames():
        if not isinstance(frame, QTextTable):
            continue
        rect = layout.frameBoundingRect(frame)
        first = int(rect.top() // page)
        if rect.bottom() > (first + 1) * page and rect.height() < page * 0.85:
            fmt = frame.frameFormat()
            fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
            frame.setFrameFormat(fmt)  # the layout after it moves down; later sections are measured anew
            moved += 1
    return moved


def export_report(path: Path, report: dict, images: dict[int, QImage], fmt: str,
                  progress: Callable[[str], None], rehearsal: dict | None = None) -> Path:
    """An interview report; with a rehearsal's pitch section when `rehearsal` is given."""
    make = lambda srcs: document_html(report, srcs, rehearsal=rehearsal)  # noqa: E731
    return (write_pdf if fmt == "pdf" else write_html)(path, make, images, progress)


def export_drill(path: Path, report: dict, prompt: str, images: dict[str, QImage], fmt: str,
                 progress: Callable[[str], None]) -> Path:
    make = lambda srcs: drill_document_html(report, prompt, srcs)  # noqa: E731
    return (write_pdf if fmt == "pdf" else write_html)(path, make, images, progress)
