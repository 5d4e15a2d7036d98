"""The tables of My questions: a plain editable one (the key points), and the table of
drafted lines (follow-ups or deeper questions) with a Keep tick per line, whose general lines
are marked so the user knows where a question of their own would help most."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from ..dialogue.wording import is_general_line

KEEP, ABOUT, LINE = 0, 1, 2  # a drafted line's columns


def text_table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setTabKeyNavigation(False)  # Tab leaves the table: one stop, arrows move inside
    header = table.horizontalHeader()
    for c in range(len(headers)):  # text columns share the width; a "Keep" tick column fits its header
        short = headers[c] == "Keep"
        header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents if short
                                    else QHeaderView.ResizeMode.Stretch)
    table.setMinimumHeight(table.fontMetrics().height() * 7)
    return table


class DraftTable:
    """Drafted lines, each with the key point it is about; all kept until unticked."""

    def __init__(self, about: str, line: str, accessible_name: str) -> None:
        self.table = text_table(["Keep", about, line])
        self.table.setAccessibleName(accessible_name)
        self.category = "any"  # the drafted question's format: which lines are its general ones
        self.table.itemChanged.connect(self._mark_general)  # an edited line is the user's own

    def fill(self, category: str, rows: list[tuple[int | None, str, str]]) -> None:
        """rows: (key point row or None, what the line is about, the line)."""
        self.category = category
        table = self.table
        table.blockSignals(True)
        table.setRowCount(0)
        for key_row, about, text in rows:
            r = table.rowCount()
            table.insertRow(r)
            keep = QTableWidgetItem()
            keep.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            keep.setCheckState(Qt.CheckState.Checked)
            table.setItem(r, KEEP, keep)
            where = QTableWidgetItem(about)
            where.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            where.setData(Qt.ItemDataRole.UserRole, key_row)
            table.setItem(r, ABOUT, where)
            line = QTableWidgetItem(text)
            table.setItem(r, LINE, line)
            self._mark_general(line)
        table.blockSignals(False)
        table.resizeRowsToContents()

    def kept(self) -> list[dict]:
        """[{row: the key point's row, text: the line}] for the ticked lines."""
        out = []
        for r in range(self.table.rowCount()):
            keep, line = self.table.item(r, KEEP), self.table.item(r, LINE)
            if keep is not None and keep.checkState() == Qt.CheckState.Checked:
                out.append({"row": self.table.item(r, ABOUT).data(Qt.ItemDataRole.UserRole),
                            "text": line.text().strip() if line is not None else ""})
        return out

    def _mark_general(self, item: QTableWidgetItem) -> None:
        """A general line ("Is there anything you would add ...?") in italics with a hint: the
        draft could not name its point, and the user is the one who can."""
        if item.column() != LINE:
            return
        general = is_general_line(self.category, item.text())
        quiet = self.table.blockSignals(True)  # restyling is not an edit
        font = item.font()
        font.setItalic(general)
        item.setFont(font)
        item.setToolTip("A general line: the interviewer could not name this point from your words. "
                        "Double-click to write a pointed question." if general else "")
        self.table.blockSignals(quiet)
