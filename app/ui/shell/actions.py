"""Menus and shortcuts as data: one row per action, naming the intent it triggers.

The composition root maps intent names to what they do; the main window only owns the
menus. Adding an action is one row here and one entry in the root's intent table, and
the shortcut list a user sees (the menus) is this table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QMenu,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)


@dataclass(frozen=True, slots=True)
class ActionSpec:
    menu: str  # file, send, view
    text: str
    intent: str
    shortcut: str = ""  # "A|B" for two shortcuts
    tip: str = ""
    checkable: bool = False
    separator_before: bool = False
    group: str = ""  # checkable actions of one group exclude each other


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("file", "&Import webhook JSON…", "import_webhook", "Ctrl+O",
               "Fill the form from a RevenueCat webhook body"),
    ActionSpec("file", "Export scenario &report…", "export_report", "",
               "One HTML file: timeline, payloads and settings (no key, no endpoint)"),
    ActionSpec("send", "&Send", "send", "Ctrl+Return|Ctrl+Enter",
               "Send the current event to Segment"),
    ActionSpec("send", "&Preview", "preview", "Ctrl+Shift+Return|Ctrl+Shift+Enter",
               "Build and record the exact request; nothing is sent"),
    ActionSpec("send", "&Cancel send", "cancel", "Esc", "Cancel the send in progress"),
    ActionSpec("send", "&Delivery options…", "delivery_options", "",
               "Timeout and retries for every send", separator_before=True),
    ActionSpec("view", "Filter &history", "filter_history", "Ctrl+F",
               "Focus the history filter"),
    ActionSpec("view", "C&ompare history rows", "compare_history", "Ctrl+D",
               "Two selected rows side by side, or one row against the current draft"),
    ActionSpec("view", "&Event form", "focus_event", "Ctrl+1"),
    ActionSpec("view", "&Payload", "focus_payload", "Ctrl+2"),
    ActionSpec("view", "&Lifecycles", "lifecycles", "Ctrl+3", "Scenario timeline"),
    ActionSpec("view", "Cap&ture", "capture", "Ctrl+4",
               "The local Segment receiver, webhook bridge and identity doctor"),
    ActionSpec("view", "&Write key", "focus_key", "Ctrl+L", "Focus the write-key field"),
    ActionSpec("view", "Presentation &mode", "presentation", "Ctrl+Shift+P",
               "Larger type; write key, endpoint host and profile names hidden",
               checkable=True, separator_before=True),
    ActionSpec("view", "Copy payload as &image", "copy_image", "Ctrl+Shift+C",
               "PNG of the shown JSON (or its selection) on the clipboard"),
    ActionSpec("view", "Theme: &system", "theme_system", "", "The system's own style",
               checkable=True, separator_before=True, group="theme"),
    ActionSpec("view", "Theme: &light", "theme_light", "", "Light, the same everywhere",
               checkable=True, group="theme"),
    ActionSpec("view", "Theme: &dark", "theme_dark", "", "Dark, the same everywhere",
               checkable=True, group="theme"),
    ActionSpec("help", "&Keyboard shortcuts", "shortcuts", "F1",
               "Every shortcut of the window"),
)  # fmt: skip

#: Shortcuts that belong to one widget, not to a menu action (shown in the same list).
WIDGET_SHORTCUTS = (
    ("Ctrl+C", "Copy the payload tab (or the selection)"),
    ("Ctrl+F in the history detail", "Find in the detail (F3 / Shift+F3: next / previous)"),
    ("Ctrl+Shift+[ / Ctrl+Shift+]", "Fold / unfold the JSON at the cursor"),
    ("Ctrl+K Ctrl+0 / Ctrl+K Ctrl+J", "Fold all / unfold all"),
    ("F7 / Shift+F7 in a comparison", "Next / previous difference"),
    ("Menu key or Shift+F10 on the history", "Compare, re-send, copy, export, delete"),
    ("Ctrl+Q", "Quit"),
)


def shortcut_rows(specs: tuple[ActionSpec, ...] = ACTIONS) -> list[tuple[str, str]]:
    """(keys, what they do) for the shortcuts list, in menu order, from the table."""
    rows = [
        (spec.shortcut.replace("|", " or "), spec.text.replace("&", "").rstrip("…"))
        for spec in specs
        if spec.shortcut
    ]
    return rows + list(WIDGET_SHORTCUTS)


def install(
    window: QWidget,
    menus: Mapping[str, QMenu],
    intents: Mapping[str, Callable[..., object]],
    specs: tuple[ActionSpec, ...] = ACTIONS,
) -> dict[str, QAction]:
    """Create every action in its menu, connected to its intent; by intent name."""
    actions: dict[str, QAction] = {}
    groups: dict[str, QActionGroup] = {}
    for spec in specs:
        menu = menus[spec.menu]
        if spec.separator_before:
            menu.addSeparator()
        action = QAction(spec.text, window)
        if spec.shortcut:
            action.setShortcuts([QKeySequence(s) for s in spec.shortcut.split("|")])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if spec.tip:
            action.setStatusTip(spec.tip)
            action.setToolTip(spec.tip)
        if spec.checkable:
            action.setCheckable(True)
            if spec.group:
                groups.setdefault(spec.group, QActionGroup(window)).addAction(action)
            action.toggled.connect(intents[spec.intent])
        else:
            action.triggered.connect(lambda _checked=False, f=intents[spec.intent]: f())
        menu.addAction(action)
        actions[spec.intent] = action
    return actions


def show_shortcuts(window: QWidget) -> QDialog:
    """Help → Keyboard shortcuts: the action table as a list (non-blocking `open()`).

    A dialog whose list scrolls, sized to the list but never taller or wider than nine
    tenths of the screen: at 2× scaling on a laptop the list is taller than the screen,
    and a message box (which cannot scroll) put its OK button out of reach."""
    rows = "".join(
        f"<tr><td><b>{escape(keys)}</b>&nbsp;&nbsp;</td><td>{escape(what)}</td></tr>"
        for keys, what in shortcut_rows()
    )
    box = QDialog(window)
    box.setObjectName("shortcuts_box")
    box.setWindowTitle("Keyboard shortcuts")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    text = QLabel(f"<table>{rows}</table>")
    text.setObjectName("shortcuts_text")
    text.setTextFormat(Qt.TextFormat.RichText)
    text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    scroll = QScrollArea()
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidgetResizable(True)
    scroll.setWidget(text)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
    buttons.accepted.connect(box.accept)
    layout = QVBoxLayout(box)
    layout.addWidget(scroll, 1)
    layout.addWidget(buttons)
    margins = layout.contentsMargins()
    width = text.sizeHint().width() + scroll.verticalScrollBar().sizeHint().width()
    height = text.sizeHint().height() + layout.spacing() + buttons.sizeHint().height()
    free = window.screen().availableGeometry()
    box.resize(min(width + margins.left() + margins.right(), free.width() * 9 // 10),
               min(height + margins.top() + margins.bottom(), free.height() * 9 // 10))  # fmt: skip
    box.open()
    return box
