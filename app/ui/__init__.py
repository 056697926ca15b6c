"""The desktop app (PySide6 + qasync): the only package that imports Qt.

Panels are thin widgets over a `Workbench` (the event being edited and its render) and
the services in `app.ui.services`; `app.ui.wiring` connects them, `app.ui.launch` starts
the app. Modules without Qt (`formdata`, `profiles`) hold the logic tests reach directly.
"""
