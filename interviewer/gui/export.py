"""Export a report to HTML or PDF.

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

from .report_html import document_html


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
        chart.resize(720, 220)
        chart.set_data(main)
        images[n] = chart.grab().toImage()
        chart.deleteLater()
    return images


def _png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    buf.close()
    return bytes(data)


def write_html(path: Path, report: dict, images: dict[int, QImage], progress: Callable[[str], None]) -> Path:
    progress("Writing HTML…")
    srcs = {n: "data:image/png;base64," + base64.b64encode(_png_bytes(img)).decode("ascii") for n, img in images.items()}
    path = Path(path)
    path.write_text(document_html(report, srcs), encoding="utf-8")
    return path


def write_pdf(path: Path, report: dict, images: dict[int, QImage], progress: Callable[[str], None]) -> Path:
    progress("Laying out the PDF…")
    doc = QTextDocument()
    srcs = {}
    for n, img in images.items():
        name = f"chart-{n}.png"
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), img)
        srcs[n] = name
    doc.setHtml(document_html(report, srcs))
    path = Path(path)
    writer = QPdfWriter(str(path))
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    writer.setResolution(96)
    writer.setTitle("Interview report")
    writer.setCreator("ML mock interviewer")
    doc.setPageSize(QSizeF(writer.width(), writer.height()))
    progress("Writing the PDF…")
    doc.print_(writer)
    del writer  # flushes and closes the file
    return path


def export_report(path: Path, report: dict, images: dict[int, QImage], fmt: str,
                  progress: Callable[[str], None]) -> Path:
    if fmt == "pdf":
        return write_pdf(path, report, images, progress)
    return write_html(path, report, images, progress)
