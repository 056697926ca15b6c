"""The desktop app (PySide6 + qasync): the only package that imports Qt.

Widgets render the Qt-free window state (`app.state`) and send it intents. By feature:
`shell` (main window frame, composition root, menus as data, the send queue, start-up),
`compose` (connection, event form, settings, payload, send), `history`, `identity`,
`lifecycles`, and `widgets` (pieces several features share). Feature packages never
import each other; only the shell knows them all.
"""
