"""Subscription lifecycles: pick a scenario, set its parameters, see it on a timeline,
click an event for its payloads, send or preview the whole sequence, export a report.

Events come from `core.scenarios`, are rendered with the integration settings in force
(`core.timeline`), and go out through the window's send queue, one history row per event.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import EventInputError
from app.core.render import Renderer
from app.core.report import ReportInput, SentResults
from app.core.scenarios import SCENARIOS, scenario_events
from app.core.scrub import public_target
from app.core.timeline import Timeline, TimelinePoint, build_timeline
from app.delivery import SendReport
from app.delivery.target import TargetError
from app.state.draft import pretty
from app.state.window import WindowState
from app.ui.lifecycles.picture_split import PictureSplit
from app.ui.lifecycles.report import write_report
from app.ui.lifecycles.scenario_form import FormScroll, ScenarioForm
from app.ui.lifecycles.send_results import SendResults, StepWatch
from app.ui.lifecycles.timeline_view import REPORT_WIDTH, TimelineView
from app.ui.send_queue import SendHandle, SendQueue
from app.ui.widgets.elided_label import ElidedLabel
from app.ui.widgets.file_dialogs import save_file
from app.ui.widgets.images import copy_json_image, png_bytes
from app.ui.widgets.json_view import JsonView
from app.ui.widgets.message_area import MessageArea
from app.ui.widgets.outcome import describe_report
from app.ui.widgets.scrolling import scrolling_page


class ScenarioPanel(QWidget):
    """Signals:
    recorded(): a scenario preview or send finished (history changed).
    """

    recorded = Signal()

    def __init__(
        self,
        state: WindowState,
        queue: SendQueue,
        renderer: Renderer | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._state = state
        self._queue = queue
        self._renderer = renderer or Renderer()
        self.timeline: Timeline | None = None
        #: This panel's own send while it runs (progress and Cancel are about it).
        self.handle: SendHandle | None = None

        self.form = ScenarioForm()
        self.view = TimelineView()
        self.summary = MessageArea("scenario_summary", lines=2)  # a narrow screen: 1 line
        self.payloads = QTabWidget()
        self.payloads.setObjectName("scenario_payloads")
        self.payload_views = {name: JsonView() for name in ("Track", "Identify")}
        for name, json_view in self.payload_views.items():
            json_view.setObjectName(f"scenario_{name.lower()}")
            json_view.setPlaceholderText("Click an event on the timeline to see its payloads")
            self.payloads.addTab(json_view, name)
        # Each event's result, tied to it: a row per event, and marks on the timeline.
        self.results = SendResults()
        self.payloads.addTab(self.results, "Send results")
        self.watch = StepWatch(self)
        self._sent_at: datetime | None = None
        self.copy_image = QPushButton("Copy as image")
        self.copy_image.setObjectName("copy_payload_image")
        self.copy_image.setToolTip("PNG of the highlighted JSON (or the selection), for slides")
        self.copy_image.clicked.connect(self.copy_payload_image)

        self.batch = QCheckBox("Batched (/batch)")
        self.batch.setObjectName("scenario_batch")
        self.batch.setToolTip("Off: /track then /identify per event, in order, as RevenueCat does")
        self.preview = QPushButton("Preview all")
        self.preview.setObjectName("scenario_preview")
        self.preview.setToolTip("Build every request and record them in history; nothing is sent")
        self.send = QPushButton("Send all")
        self.send.setObjectName("scenario_send")
        self.send.setToolTip("Send every event of the scenario to Segment, oldest first")
        self.cancel = QPushButton("Cancel")
        self.cancel.setObjectName("scenario_cancel")
        self.cancel.hide()
        self.progress = QProgressBar()
        self.progress.setObjectName("scenario_progress")
        self.progress.hide()
        self.progress_line = ElidedLabel()  # "Event 3 of 6 (Renewal) · /track · attempt 1 of 4"
        self.progress_line.setObjectName("scenario_progress_line")
        self.export = QPushButton("Export report…")
        self.export.setObjectName("scenario_export")
        self.outcome = QLabel()
        self.outcome.setObjectName("scenario_outcome")
        self.outcome.setWordWrap(True)
        self.outcome.setTextFormat(Qt.TextFormat.RichText)

        self.preview.clicked.connect(lambda: self.start(preview=True))
        self.send.clicked.connect(lambda: self.start(preview=False))
        self.cancel.clicked.connect(queue.cancel)
        self.export.clicked.connect(self.choose_report)

        # Left: what to generate and what to do with it; right: the picture and payloads,
        # which get all the height (a projector has little of it).
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(self.form)
        actions = QGroupBox("Send this scenario")
        actions_layout = QVBoxLayout(actions)
        actions_layout.addWidget(self.batch)
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview)
        buttons.addWidget(self.send)
        actions_layout.addLayout(buttons)
        running = QHBoxLayout()
        running.addWidget(self.progress, 1)
        running.addWidget(self.cancel)
        actions_layout.addLayout(running)
        actions_layout.addWidget(self.progress_line)
        actions_layout.addWidget(self.outcome)
        side_layout.addWidget(actions)
        side_layout.addStretch(1)
        side_layout.addWidget(self.export)
        self.payloads.setCornerWidget(self.copy_image)
        right = self._right = PictureSplit(self.view, self.summary, self.payloads)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setObjectName("scenario_splitter")
        self._side = FormScroll(side)
        split.addWidget(self._side)
        split.addWidget(scrolling_page(right, "timeline_scroll"))
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        self._split = split
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)

        self.form.changed.connect(self.rebuild)
        state.draft.settings_changed.connect(self.rebuild)
        state.connection.changed.connect(self.update_actions)
        self.view.event_clicked.connect(self._show_point)
        self.results.event_chosen.connect(self.view.select)
        self.watch.changed.connect(self._steps_changed)
        state.busy_changed.connect(self._busy)
        self.rebuild()

    def changeEvent(self, event: QEvent) -> None:
        # Presentation mode changes the type size: give the form the width it now needs.
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.fit_form()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        self.fit_form()
        super().showEvent(event)

    def fit_form(self) -> None:
        total = sum(self._split.sizes()) or self.width()
        side = self._side.sizeHint().width()
        self._split.setSizes([side, max(total - side, 1)])
        self._right.fit()

    # -- timeline ---------------------------------------------------------------------

    def rebuild(self) -> None:
        """Re-generate the events and re-render them with the current settings."""
        try:
            events = scenario_events(self.form.name, self.form.params())
            self.timeline = build_timeline(events, self._state.draft.settings, self._renderer)
        except EventInputError as exc:
            self.timeline = None
            self.summary.setText(f"Cannot build this scenario: {escape(str(exc))}")
        else:
            self.summary.setText(escape(self.timeline.summary()))
        self.view.set_timeline(self.timeline)
        self.watch.reset()  # results are about the events they were sent for (its
        # `changed` lists the new timeline's events in the results)
        if self.timeline and self.view.selected is not None:
            self._show_point(self.timeline.points[self.view.selected])
        else:
            for json_view in self.payload_views.values():
                json_view.set_text("")
        self.update_actions()

    def _show_point(self, point: TimelinePoint) -> None:
        self.results.select_event(point.index)
        track, identify = point.result.track, point.result.identify
        reason = f"RevenueCat would not send this: {point.skipped}" if point.skipped else ""
        self.payload_views["Track"].set_text(pretty(track) if track else reason)
        self.payload_views["Identify"].set_text(pretty(identify) if identify else reason)

    def copy_payload_image(self) -> bool:
        current = self.payloads.currentWidget()
        view = current if isinstance(current, JsonView) else self.payload_views["Track"]
        return copy_json_image(view) is not None

    # -- sending ----------------------------------------------------------------------

    def update_actions(self) -> None:
        state = self._state
        ready = self.timeline is not None
        self.preview.setEnabled(ready and state.connection_block(live=False) is None)
        self.send.setEnabled(ready and state.connection_block(live=True) is None)
        self.export.setEnabled(self.timeline is not None)

    def start(self, *, preview: bool) -> bool:
        if self.timeline is None:
            return False
        block = self._state.connection_block(live=not preview)
        if block is not None:
            self.outcome.setText(f"Not sent: {escape(str(block))}")
            return False
        options = self._queue.options.model_copy(update={"batch": self.batch.isChecked()})
        job = self._state.scenario_job(
            self.form.name, self.timeline.points, options, preview=preview
        )
        handle = self._queue.start(job)
        if handle is None:
            self.outcome.setText(f"Not sent: {escape(self._queue.last_refusal or '')}")
            return False
        self.outcome.setText("Previewing the scenario…" if preview else "Sending the scenario…")
        self.handle = handle
        handle.progress.connect(self._progress)
        handle.finished.connect(self._finished)
        self._sent_at = datetime.now(UTC)
        self.watch.follow(handle, [p.label for p in self.timeline.points])
        self.payloads.setCurrentWidget(self.results)  # what you asked for, as it happens
        self._busy(True)
        return True

    def _steps_changed(self) -> None:
        steps = self.watch.steps
        if steps:
            self.results.show_steps(steps)
        else:
            self.results.show_events(
                [p.label for p in self.timeline.points] if self.timeline else []
            )
        self.view.set_marks({i: s.state for i, s in enumerate(steps)})
        self.progress_line.setText(self.watch.line)

    def sent_results(self) -> SentResults | None:
        """What the last send of this timeline did per event, for the report."""
        handle = self.watch.handle
        if handle is None or handle.running or self._sent_at is None:
            return None
        steps = tuple((s.state.value, s.text) for s in self.watch.steps)
        return SentResults(self._sent_at, steps, preview=handle.job.preview)

    def _busy(self, _busy: bool) -> None:
        """Progress and Cancel belong to this panel's own send; Send and Preview wait
        while any send of the window runs."""
        mine = self.handle is not None and self._queue.current is self.handle
        self.cancel.setVisible(mine)
        self.progress.setVisible(mine)
        if mine:
            self.progress.setRange(0, 0)
        self.update_actions()

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _finished(self, report: SendReport) -> None:
        sent = sum(1 for o in report.outcomes if o.item.skipped is None)
        head = (
            f"{len(report.outcomes)} events, {sent} with messages, {len(report.results)} request(s)"
        )
        self.outcome.setText(escape(head) + "<br>" + describe_report(report))
        self.recorded.emit()

    # -- report -----------------------------------------------------------------------

    def report_input(self) -> ReportInput | None:
        if self.timeline is None:
            return None
        scenario = SCENARIOS[self.form.name]
        try:
            region = self._state.connection.target().region
        except TargetError:
            region = None
        return ReportInput(
            title=scenario.title,
            description=scenario.description,
            timeline=self.timeline,
            settings=self._state.draft.settings,
            parameters=self.form.shown_parameters(),
            target=public_target(region),
            image_png=png_bytes(self.view.to_image()),
            image_width=REPORT_WIDTH,
            sent=self.sent_results(),
        )

    def export_report(self, path: str) -> bool:
        report = self.report_input()
        if report is None:
            return False
        try:
            out = write_report(path, report, self._state.secrets())
        except (OSError, ValueError) as exc:
            self.outcome.setText(f"Report not written: {escape(str(exc))}")
            return False
        self.outcome.setText(f"Report written to {escape(out.name)}")
        return True

    def choose_report(self) -> QFileDialog:
        return save_file(self, "Export report", f"{self.form.name}.html", "HTML (*.html)",
                         self.export_report)  # fmt: skip
