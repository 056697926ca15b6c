"""Re-send a history row from the window: the history panel's "Re-send" intent."""

from __future__ import annotations

from html import escape
from typing import Protocol

from PySide6.QtWidgets import QMessageBox

from app.state.window import WindowState
from app.storage import HistoryRow, Mode
from app.ui.compose.send_panel import SendPanel
from app.ui.history.history_panel import HistoryPanel
from app.ui.send_queue import SendHandle, SendQueue
from app.ui.widgets.dialogs import ask_yes_no
from app.ui.widgets.outcome import describe_report


class Workspace(Protocol):
    """What a re-send needs of the composition root's workspace."""

    state: WindowState
    queue: SendQueue
    send: SendPanel
    history: HistoryPanel
    resend_question: QMessageBox | None


def resend(ws: Workspace, row: HistoryRow, *, confirmed: bool = False) -> SendHandle | None:
    """Re-send a history row's messages, with fresh messageIds, to the connection in force
    (history keeps a custom host masked, so it cannot go back where the row went: the
    outcome says where it went). A preview row was never sent: re-sending it goes live,
    so that is asked first."""
    show = ws.send.show_outcome
    block = ws.state.connection_block(live=True)
    where = ws.state.connection.describe()
    if block is not None:
        show(escape(f"Not re-sent: {block} ({where})."))
        return None
    if row.mode is Mode.PREVIEW and not confirmed:

        def go_live() -> None:
            resend(ws, row, confirmed=True)

        ws.resend_question = ask_yes_no(
            ws.history, "Send a preview live?",
            f"History #{row.id} was a preview: nothing was sent then. Re-sending sends "
            f"it live to {where}.", go_live,
        )  # fmt: skip
        return None
    job = ws.state.resend_job(row, ws.queue.options)
    if job is None:
        show("This row has no messages to re-send.")
        return None
    handle = ws.queue.start(job)
    if handle is None:
        show(escape(f"Not re-sent: {ws.queue.last_refusal}"))
        return None
    show(escape(f"Re-sending history #{row.id} to {where}…"))
    ws.send.follow(handle)  # its attempts and waits on the progress line
    handle.finished.connect(lambda report: show(describe_report(report)))
    return handle
