"""The history table: lazy loading over a big store, filters, detail, delete, clear."""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QMessageBox

from app.storage import HistoryStore, Mode, NewEntry, Outcome, Status
from app.ui.history.history_model import COUNT_CAP, PAGE
from app.ui.shell.main_window import MainWindow


def fill(store: HistoryStore, n: int) -> None:
    entries = [
        NewEntry(
            mode=Mode.LIVE,
            target="us",
            event_type="renewal" if i % 2 else "expiration",
            event_name="rc_renewal_event" if i % 2 else "rc_expiration_event",
            user_id=f"user_{i:06d}",
            message_ids=[f"m{i}"],
        )
        for i in range(n)
    ]
    ids = store.begin_many(entries)
    ok = [i for i in ids if i % 3]
    store.finish_many(
        ok, Outcome(status=Status.ACCEPTED, http_status=200, elapsed_ms=12.0, attempts=1)
    )
    store.finish_many(
        [i for i in ids if not i % 3],
        Outcome(
            status=Status.FAILED,
            http_status=400,
            elapsed_ms=5.0,
            attempts=1,
            error_kind="http",
            error="Segment refused the request",
        ),
    )


def test_lazy_loading_and_filters(qtbot: Any, window: MainWindow) -> None:
    history = window.workspace.history
    fill(window.services.history, 5_000)  # type: ignore[union-attr]
    history.reload()
    model = history.model
    # One page, not 5,000 rows; the count stops at its cap ("more than 1,000 rows").
    assert model.capped and model.total == COUNT_CAP and model.rowCount() == PAGE
    assert history.count.text() == f"more than {COUNT_CAP:,} rows"
    assert model.canFetchMore(QModelIndex())
    history.table.scrollToBottom()  # the view asks for more as it scrolls
    model.fetchMore(QModelIndex())
    assert model.rowCount() >= 2 * PAGE
    assert model.index(0, 3).data() == "user_004999"  # newest first
    colour = model.index(0, 5).data(Qt.ItemDataRole.ForegroundRole)
    assert colour is not None

    history.text.setText("user_00012")
    qtbot.waitUntil(lambda: model.total == 10)  # user_000120 … user_000129 (debounced)
    history.text.clear()
    qtbot.waitUntil(lambda: model.capped)
    history.event_type.setCurrentIndex(history.event_type.findData("expiration"))
    assert model.capped  # 2,500 rows
    history.status.setCurrentIndex(history.status.findData("error"))
    assert 0 < model.total < COUNT_CAP and not model.capped  # 834 of them
    assert all(model.row_at(r).status is Status.FAILED for r in range(model.rowCount()))
    history.event_type.setCurrentIndex(0)
    history.status.setCurrentIndex(0)
    history.user.setText("user_000003")
    qtbot.waitUntil(lambda: model.total == 1)


def test_delete_and_clear_with_confirmation(
    qtbot: Any, loop: asyncio.AbstractEventLoop, window: MainWindow
) -> None:
    history = window.workspace.history
    fill(window.services.history, 10)  # type: ignore[union-attr]
    history.reload()
    history.table.selectRow(0)
    assert '"status"' in history.detail.views["Raw"].toPlainText()
    qtbot.mouseClick(history.buttons["Delete"], Qt.MouseButton.LeftButton)
    assert history.model.total == 9
    box = history.confirm_clear()
    assert box.isVisible()  # non-blocking: open(), not exec()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.No), Qt.MouseButton.LeftButton)
    assert history.model.total == 9
    box = history.confirm_clear()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    assert history.model.total == 0


def test_paging_keeps_rows_with_equal_timestamps(window: MainWindow) -> None:
    from datetime import UTC, datetime

    store = window.services.history  # type: ignore[union-attr]
    moment = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
    entries = [
        NewEntry(mode=Mode.PREVIEW, target="us", user_id=f"same_{i:04d}", created_at=moment)
        for i in range(PAGE + 50)  # one page and a bit, all at the same microsecond
    ] + [
        NewEntry(
            mode=Mode.PREVIEW,
            target="us",
            user_id="older",
            created_at=datetime(2026, 1, 1, tzinfo=UTC),
        )
    ]
    ids = store.begin_many(entries)
    store.finish_many(ids, Outcome(status=Status.PREVIEWED))
    history = window.workspace.history
    history.reload()
    model = history.model
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    users = [model.row_at(r).user_id for r in range(model.rowCount())]
    assert len(users) == len(set(users)) == PAGE + 51
    assert users[-1] == "older"


def test_a_capped_count_says_more_and_becomes_exact_at_the_end(
    window: MainWindow, monkeypatch: Any
) -> None:
    from app.ui.history import history_model

    monkeypatch.setattr(history_model, "COUNT_CAP", 3)
    assert window.services is not None
    store = window.services.history
    for i in range(5):
        store.record(
            NewEntry(mode=Mode.PREVIEW, target="us", user_id=f"u{i}"),
            Outcome(status=Status.PREVIEWED),
        )
    history = window.workspace.history  # type: ignore[union-attr]
    history.reload()
    assert history.model.capped and history.count.text() == "more than 3 rows"
    while history.model.canFetchMore(QModelIndex()):
        history.model.fetchMore(QModelIndex())
    assert history.model.rowCount() == 5 and not history.model.capped
    assert history.count.text() == "5 row(s)"
