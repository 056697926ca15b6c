"""Payload panel: Track / Identify / HTTP request / cURL tabs, sizes against Segment's
32 KB limit, copy buttons, the engine's warnings and skip reason, and "Edit by hand".

The HTTP request and cURL tabs come from a `RequestRenderer` the shell supplies (built on
delivery's request model), so the preview shows the bytes a send would put on the wire;
their text goes through the window's presenter (key masked, and the host hidden while
presenting) like every other text a person sees.
"""

from __future__ import annotations

from html import escape
from typing import Any, Protocol

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.mapping import STATUS_RULE
from app.core.wire import MESSAGE_LIMIT, human_size, size_of
from app.state.draft import pretty
from app.state.window import WindowState
from app.ui.widgets.colours import tone
from app.ui.widgets.dialogs import ask_yes_no
from app.ui.widgets.elided_label import ElidedLabel
from app.ui.widgets.json_view import JsonView
from app.ui.widgets.message_area import MessageArea


class RequestRenderer(Protocol):
    """messages → (HTTP request preview text, cURL text); raises ValueError with a
    reason. `reveal`: the cURL command holds the real key (asked for on purpose)."""

    def __call__(self, messages: list[dict[str, Any]], reveal: bool = False) -> tuple[str, str]: ...


TABS = ("Track", "Identify", "HTTP request", "cURL")


class PayloadPanel(QWidget):
    """Shows what the draft rendered; in hand-edit mode, edits Track and Identify."""

    def __init__(
        self, state: WindowState, requests: RequestRenderer, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._state = state
        self._draft = state.draft
        self._requests = requests
        #: The open "leave hand-edit mode?" question, if any.
        self.leave_question: QMessageBox | None = None
        # The HTTP request and cURL tabs cost a request build each; they are redrawn when
        # shown, not on every keystroke while another tab is in front.
        self._requests_stale = True

        self.notices = MessageArea("notices", lines=4)  # warnings never crowd out the JSON

        self.tabs = QTabWidget()
        self.tabs.setObjectName("payload_tabs")
        self.views = {name: JsonView(highlight=name != "cURL") for name in TABS}
        for name in TABS:
            self.views[name].setObjectName(f"payload_{name.split()[0].lower()}")
            self.views[name].installEventFilter(self)
            self.tabs.addTab(self.views[name], name)
        self.views["cURL"].setLineWrapMode(JsonView.LineWrapMode.WidgetWidth)
        self.views["Identify"].setToolTip(STATUS_RULE)
        for name in ("Track", "Identify"):
            self.views[name].setPlaceholderText("Nothing is sent for this event: see above.")
        for kind in ("track", "identify"):
            view = self.views[kind.title()]
            view.textChanged.connect(lambda k=kind, v=view: self._hand_typed(k, v))

        self.size_label = ElidedLabel()  # a narrow window cuts the bytes, not the buttons
        self.size_label.setObjectName("payload_size")
        self.hand_error = QLabel()
        self.hand_error.setObjectName("hand_error")
        self.hand_error.setStyleSheet(f"color: {tone('error')}; font-weight: 600;")
        self.hand_error.hide()
        self.copy = QPushButton("Copy")
        self.copy.setToolTip("Copy this tab (Ctrl+C); the cURL command reads the key from "
                             "$SEGMENT_WRITE_KEY")  # fmt: skip
        self.copy.clicked.connect(self.copy_current)
        self.copy_key = QPushButton("Copy with key")
        self.copy_key.setObjectName("copy_curl_with_key")
        self.copy_key.setToolTip(
            "Copy the cURL command with the real write key in it (on purpose; not while presenting)"
        )
        self.copy_key.clicked.connect(self.copy_curl_with_key)
        self.copy_key.hide()  # shown with the cURL tab
        self.edit = QPushButton("Edit by hand")
        self.edit.setObjectName("edit_by_hand")
        self.edit.setCheckable(True)
        self.edit.setToolTip(
            "Edit the Track and Identify JSON directly; the form stops driving the payload "
            "and a sent hand-edited payload is flagged in the history"
        )
        self.edit.toggled.connect(self._toggle_edit)

        bar = QHBoxLayout()
        bar.addWidget(self.size_label, 1)
        bar.addWidget(self.edit)
        bar.addWidget(self.copy_key)
        bar.addWidget(self.copy)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.notices)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.hand_error)
        layout.addLayout(bar)

        copy_all = QShortcut(QKeySequence.StandardKey.Copy, self.tabs)
        copy_all.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        copy_all.activated.connect(self.copy_current)
        self.tabs.currentChanged.connect(self._tab_changed)
        self._hand_changed()
        self.refresh()
        state.draft.rendered.connect(self.refresh)
        state.draft.hand_edit_changed.connect(self._hand_changed)
        state.connection.changed.connect(self.refresh)
        state.presenter.toggled.connect(lambda _on: self.refresh())

    # -- drawing ----------------------------------------------------------------------

    def refresh(self) -> None:
        draft = self._draft
        result = draft.result
        if draft.hand_texts is None:
            messages = list(result.messages) if result else []
            self.views["Track"].set_text(pretty(messages[0]) if messages else "")
            self.views["Identify"].set_text(pretty(messages[1]) if messages else "")
        self._show_notices()
        self._show_requests()
        self._show_size()
        self._show_key_copy()

    def _show_notices(self) -> None:
        draft, result = self._draft, self._draft.result
        parts: list[str] = []
        if draft.error:
            parts.append(_box("error", f"Cannot render: {draft.error}"))
        elif result and result.skipped:
            parts.append(_box("skip", result.skipped))
        if result:
            parts.extend(_box("warn", w.message) for w in result.warnings)
        if draft.hand_texts is not None:
            parts.append(
                _box(
                    "info",
                    "Editing by hand: form changes do not reach the payload "
                    "until you leave hand-edit mode",
                )
            )
        self.notices.setText("".join(parts))

    def _show_key_copy(self) -> None:
        on_curl = self.tabs.tabText(self.tabs.currentIndex()) == "cURL"
        self.copy_key.setVisible(on_curl and not self._state.presenter.active)

    def _tab_changed(self, _index: int) -> None:
        self._show_key_copy()
        if self._requests_stale:
            self._show_requests()
        self._show_size()

    def _show_requests(self) -> None:
        if self.tabs.tabText(self.tabs.currentIndex()) not in ("HTTP request", "cURL"):
            self._requests_stale = True
            return
        self._requests_stale = False
        messages = self._draft.messages()
        if not messages:
            text = "Nothing to send (see the message above)."
            self.views["HTTP request"].set_text(text)
            self.views["cURL"].set_text(text)
            return
        try:
            http, curl = self._requests(messages)
        except ValueError as exc:
            http = curl = f"Cannot build the request: {exc}"
        present = self._state.presenter.text
        self.views["HTTP request"].set_text(present(http))
        self.views["cURL"].set_text(present(curl))

    def _show_size(self) -> None:
        name = self.tabs.tabText(self.tabs.currentIndex())
        messages = self._draft.messages() or []
        index = {"Track": 0, "Identify": 1}.get(name)
        if index is None or index >= len(messages):
            sizes = [size_of(m) for m in messages]
            self.size_label.setText(
                " · ".join(
                    f"{m['type']}: {human_size(s)}" for m, s in zip(messages, sizes, strict=False)
                )
                + ("  of 32 KB each" if sizes else "")
            )
            return
        size = size_of(messages[index])
        over = size > MESSAGE_LIMIT
        self.size_label.setText(  # the news first: a narrow line cuts the end
            ("Over Segment's limit: " if over else "")
            + f"{human_size(size)} of 32 KB ({size:,} of {MESSAGE_LIMIT:,} bytes)"
        )
        self.size_label.setStyleSheet(f"color: {tone('error')};" if over else "")

    # -- copy -------------------------------------------------------------------------

    def show_tab(self, name: str) -> JsonView:
        """Bring a tab to the front (drawing it if it was stale) and return its view."""
        self.tabs.setCurrentIndex(TABS.index(name))
        return self.views[name]

    def copy_curl_with_key(self) -> str | None:
        """The one way the key reaches the clipboard: a person asked for it, here."""
        messages = self._draft.messages()
        if not messages or self._state.presenter.active:
            return None
        try:
            _http, curl = self._requests(messages, reveal=True)
        except ValueError:
            return None
        QGuiApplication.clipboard().setText(curl)
        return curl

    def copy_current(self) -> None:
        view = self.views[self.tabs.tabText(self.tabs.currentIndex())]
        QGuiApplication.clipboard().setText(view.toPlainText())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Ctrl+C with nothing selected copies the whole tab; with a selection, Qt's copy.
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.matches(QKeySequence.StandardKey.Copy)
            and isinstance(watched, JsonView)
            and not watched.textCursor().hasSelection()
        ):
            self.copy_current()
            return True
        return super().eventFilter(watched, event)

    # -- hand edit --------------------------------------------------------------------

    def _toggle_edit(self, on: bool) -> None:
        if on:
            self._draft.start_hand_edit()
            if self._draft.hand_texts is None:  # nothing rendered to edit
                self.edit.setChecked(False)
        elif self._draft.hand_changed:
            self._set_edit_checked(True)  # still editing until the user says otherwise
            self.leave_question = ask_yes_no(
                self, "Leave hand-edit mode?",
                "Your edits to the Track and Identify JSON will be lost; the payload "
                "goes back to what the form renders.", self._draft.stop_hand_edit,
            )  # fmt: skip
        else:
            self._draft.stop_hand_edit()

    def _set_edit_checked(self, on: bool) -> None:
        self.edit.blockSignals(True)
        self.edit.setChecked(on)
        self.edit.blockSignals(False)

    def _hand_changed(self) -> None:
        texts = self._draft.hand_texts
        editing = texts is not None
        for kind in ("track", "identify"):
            view = self.views[kind.title()]
            view.setReadOnly(not editing)
            if texts is not None:
                view.set_text(texts[kind])
        if self.edit.isChecked() != editing:
            self._set_edit_checked(editing)
        for kind in ("track", "identify"):  # the line where the JSON breaks, marked
            self.views[kind.title()].mark_line(self._draft.hand_error_line(kind))
        problem = self._draft.hand_error()
        self.hand_error.setText(
            f"Invalid JSON — {problem}. Sending is disabled." if problem else ""
        )
        self.hand_error.setVisible(bool(problem))
        self._show_notices()
        self._show_requests()
        self._show_size()

    def _hand_typed(self, kind: str, view: JsonView) -> None:
        if self._draft.hand_texts is not None and not view.isReadOnly():
            self._draft.set_hand_text(kind, view.toPlainText())


_COLOURS = {
    "error": ("#fdecea", "#b71c1c"),
    "skip": ("#fff4e5", "#8a4b00"),
    "warn": ("#fffbe6", "#6d5200"),
    "info": ("#e8f1fb", "#0d3c73"),
}
_PREFIX = {"error": "✖ ", "skip": "⊘ ", "warn": "⚠ ", "info": "ℹ "}


def _box(kind: str, text: str) -> str:
    background, foreground = _COLOURS[kind]
    return (
        f'<div style="background:{background}; color:{foreground}; padding:4px; '
        f'margin-bottom:2px;">{_PREFIX[kind]}{escape(text)}</div>'
    )
