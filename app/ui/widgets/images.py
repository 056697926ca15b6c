"""JSON as a syntax-highlighted PNG on the clipboard ("copy payload as image", for
slides), and images as PNG bytes (the scenario report embeds its timeline so).
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QIODevice, QRectF, QSizeF
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QImage,
    QPainter,
    QTextDocument,
)
from PySide6.QtWidgets import QPlainTextEdit

from app.ui.widgets.json_view import JsonHighlighter

PADDING = 16


def json_image(text: str, font: QFont | None = None, scale: float = 2.0) -> QImage:
    """`text` drawn with the JSON colours on white, at `scale` for sharp slides."""
    document = QTextDocument()
    mono = QFont(font) if font else QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    mono.setStyleHint(QFont.StyleHint.Monospace)
    document.setDefaultFont(mono)
    document.setDocumentMargin(0)
    document.setPlainText(text)
    highlighter = JsonHighlighter(document, dark=False)
    highlighter.rehighlight()
    size: QSizeF = document.size()
    width = int((size.width() + 2 * PADDING) * scale)
    height = int((size.height() + 2 * PADDING) * scale)
    image = QImage(max(width, 1), max(height, 1), QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.scale(scale, scale)
    painter.translate(PADDING, PADDING)
    document.drawContents(painter, QRectF(0, 0, size.width(), size.height()))
    painter.end()
    return image


def shown_json(view: QPlainTextEdit) -> str:
    """The selection when there is one, else the whole view."""
    cursor = view.textCursor()
    if cursor.hasSelection():
        # Qt uses U+2029 between paragraphs in selections.
        return cursor.selectedText().replace("\u2029", "\n")
    return view.toPlainText()


def copy_json_image(view: QPlainTextEdit) -> QImage | None:
    """ "Copy payload as image": the view's JSON (or selection) as a PNG on the clipboard."""
    text = shown_json(view)
    if not text.strip():
        return None
    image = json_image(text, view.font())
    QGuiApplication.clipboard().setImage(image)
    return image


def png_bytes(image: QImage) -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # PySide6 6.11's stubs say `format: bytes`, but only a str is accepted at runtime.
    image.save(buffer, "PNG")  # type: ignore[call-overload]
    return bytes(buffer.data().data())
