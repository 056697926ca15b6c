"""Sharing: JSON as a highlighted PNG (menu action and selection), and the small pure
helpers behind the timeline and the traits editor."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from PySide6.QtGui import QColor, QGuiApplication, QImage, QTextCursor

from app.ui.identity.traits_table import parse_trait_value, traits_from_rows
from app.ui.lifecycles.timeline_layout import label_lanes, x_positions
from app.ui.shell.main_window import MainWindow
from app.ui.widgets.images import json_image, shown_json


def colours(image: QImage, step: int = 2) -> set[str]:
    return {
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), step)
        for y in range(0, image.height(), step)
    }


def test_json_image_is_highlighted_on_white(qapp: Any) -> None:
    image = json_image('{\n  "revenue": 9.99,\n  "store": "APP_STORE"\n}')
    assert image.pixelColor(1, 1) == QColor("white")
    seen = colours(image)

    # Antialiasing blends edges, so look for pixels close to the key and number colours.
    def near(target: str) -> bool:
        t = QColor(target)
        return any(
            abs(QColor(c).red() - t.red())
            + abs(QColor(c).green() - t.green())
            + abs(QColor(c).blue() - t.blue())
            < 40
            for c in seen
        )

    assert near("#1a5fb4") and near("#a0521a") and near("#26762c")


def test_copy_payload_as_image_menu_action(qtbot: Any, window: MainWindow) -> None:
    QGuiApplication.clipboard().clear()
    action = next(a for a in window.menus["view"].actions() if "image" in a.text())
    action.trigger()
    image = QGuiApplication.clipboard().image()
    assert not image.isNull() and image.height() > image.width() / 3  # the whole track


def test_copy_as_image_uses_the_selection(window: MainWindow) -> None:
    view = window.workspace.payload.views["Track"]
    cursor = view.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.Start)
    cursor.movePosition(QTextCursor.MoveOperation.Down, QTextCursor.MoveMode.KeepAnchor, 3)
    view.setTextCursor(cursor)
    assert shown_json(view) == "\n".join(view.toPlainText().splitlines()[:3]) + "\n"


def test_x_positions_keep_order_and_spacing() -> None:
    day = 86_400_000
    xs = x_positions([0, 1, 30 * day, 30 * day + 1], 0, 300)
    assert xs[0] == 0 and xs[-1] == 300
    assert all(b - a >= 300 / 3 * 0.5 - 1e-9 for a, b in itertools.pairwise(xs))
    assert x_positions([5], 10, 20) == [15]


def test_label_lanes_avoid_overlap() -> None:
    assert label_lanes([0, 100, 200], [50, 50, 50], gap=5) == [0, 0, 0]
    assert label_lanes([0, 30, 60, 200], [50, 50, 50, 50], gap=5) == [0, 1, 0, 0]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3", 3),
        ("-1.5", -1.5),
        ("true", True),
        ("null", None),
        ('["a"]', ["a"]),
        ("pro", "pro"),
        ("3 seats", "3 seats"),
        ("", ""),
        ("{oops", "{oops"),
        # not JSON numbers: kept as text rather than sent as invalid JSON
        ("-Infinity", "-Infinity"),
        ("[NaN]", "[NaN]"),
    ],
)
def test_trait_values_are_json_when_they_look_like_it(text: str, value: Any) -> None:
    assert parse_trait_value(text) == value


def test_traits_from_rows_skip_blank_keys() -> None:
    assert traits_from_rows([("plan", "pro"), ("  ", "x"), ("seats", "2")]) == {
        "plan": "pro",
        "seats": 2,
    }
