"""`CaptureServer`: start and stop the receiver, swap its config, subscribe to items.

Why uvicorn: it is the field-standard ASGI server (the reference server of the ASGI
spec's ecosystem), with httptools' C parser, keep-alive, chunked bodies, pipelining and
graceful shutdown already right; a hand-written HTTP parser facing arbitrary clients is
where servers get things wrong. What it leaves open (header deadlines, header size, idle
sockets) is added in `protocol.py`, body limits in `body.py`.

Why its own thread: the receiver must answer in milliseconds while the window paints,
and the window must stay smooth while thousands of calls a second arrive. Run on the
GUI's qasync loop, each would stall the other; in a thread with its own asyncio loop
they share only the GIL. That loop is uvloop where installed. The server's thread owns
the SQLite connections it writes with (SQLite connections belong to one thread). The API
below is thread-safe and Qt-free:

    server = CaptureServer(data_dir, CaptureConfig(...))
    address = server.start("127.0.0.1", 8787)        # blocks until listening (ms)
    queue, unsubscribe = server.subscribe_queue(asyncio.get_running_loop())
    item = await queue.get()                          # CallItem | WebhookItem
    server.update(new_config)                         # e.g. the bridge toggle
    await server.stop_async()                         # or server.stop(): finishes the
                                                      # in-flight work, records it
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn

from app.capture.asgi import WEBHOOK_PATH, CaptureApp
from app.capture.bridge import Bridge
from app.capture.config import CaptureConfig, Limits
from app.capture.items import LiveItem
from app.capture.protocol import GuardedProtocol
from app.capture.recorder import Callback, Hub, Recorder, Writer
from app.delivery import SendService
from app.storage.capture import CaptureStore


class CaptureError(Exception):
    """The server could not start (address in use, unusable data dir)."""


@dataclass(frozen=True, slots=True)
class Address:
    host: str
    port: int

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def segment_api(self) -> str:
        return f"{self.base_url}/v1"

    @property
    def revenuecat_webhook(self) -> str:
        return f"{self.base_url}{WEBHOOK_PATH}"

    def to_json(self) -> dict[str, str]:
        return {
            "listening": self.base_url,
            "segment_api": self.segment_api,
            "revenuecat_webhook": self.revenuecat_webhook,
        }


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


class _Server(uvicorn.Server):
    """uvicorn's server, telling us when it is listening."""

    def __init__(self, config: uvicorn.Config, on_started: Callable[[], None]) -> None:
        super().__init__(config)
        self._on_started = on_started

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        self._on_started()


class CaptureServer:
    def __init__(
        self,
        data_dir: str | Path,
        config: CaptureConfig | None = None,
        limits: Limits | None = None,
        *,
        service_factory: Callable[..., SendService] = SendService,
    ) -> None:
        self._data_dir = Path(data_dir)
        self._config = config or CaptureConfig()
        self.limits = limits or Limits()
        self._service_factory = service_factory
        self.hub = Hub()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: _Server | None = None
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        self.address: Address | None = None
        self.recorder: Recorder | None = None
        self.bridge: Bridge | None = None

    # -- config and subscribers (any thread) -----------------------------------------

    @property
    def config(self) -> CaptureConfig:
        return self._config

    def update(self, config: CaptureConfig) -> None:
        """Use `config` from the next request / webhook on (an atomic swap)."""
        self._config = config

    def subscribe(self, callback: Callback) -> Callable[[], None]:
        """`callback(item)` in the server's thread for every recorded item."""
        return self.hub.subscribe(callback)

    def subscribe_queue(
        self, loop: asyncio.AbstractEventLoop, maxsize: int = 10_000
    ) -> tuple[asyncio.Queue[LiveItem], Callable[[], None]]:
        """Items delivered into an asyncio queue of `loop` (the GUI's qasync loop)."""
        return self.hub.queue(loop, maxsize)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # -- start / stop -----------------------------------------------------------------

    def start(self, host: str = "127.0.0.1", port: int = 8787) -> Address:
        """Bind, open the history, start serving; the address (port 0: a free one).
        Raises CaptureError when the port cannot be bound or the history cannot open."""
        if self.running:
            raise CaptureError("the receiver is already running")
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        # IPPROTO_TCP spelt out: asyncio turns Nagle off (TCP_NODELAY) only on sockets
        # whose proto says TCP, and with Nagle on, an answer written as headers + body
        # waits ~40 ms for the client's delayed ACK.
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, port))
        except OSError as exc:
            sock.close()
            raise CaptureError(f"cannot listen on {host}:{port} ({exc.strerror or exc})") from None
        self.address = Address(host, int(sock.getsockname()[1]))
        self._ready.clear()
        self._failure = None
        self._thread = threading.Thread(
            target=self._run, args=(sock,), name="capture-server", daemon=True
        )
        self._thread.start()
        self._ready.wait()
        if self._failure is not None:
            self._thread.join()
            raise CaptureError(str(self._failure)) from None
        return self.address

    def stop(self) -> None:
        """Stop taking connections, answer and record what is in flight, process the
        webhooks already answered (up to `limits.stop_timeout`), then return."""
        loop, server, thread = self._loop, self._server, self._thread
        if thread is None:
            return
        if loop is not None and server is not None:
            with contextlib.suppress(RuntimeError):  # its loop already ended
                loop.call_soon_threadsafe(setattr, server, "should_exit", True)
        thread.join()
        self._thread = None

    async def stop_async(self) -> None:
        """`stop()` without blocking the caller's event loop."""
        await asyncio.get_running_loop().run_in_executor(None, self.stop)

    # -- the server's thread ----------------------------------------------------------

    def _run(self, sock: socket.socket) -> None:
        try:
            with asyncio.Runner(loop_factory=_loop_factory()) as runner:
                runner.run(self._main(sock))
        except BaseException as exc:  # surfaced by start(), or lost with the thread
            self._failure = self._failure or exc
        finally:
            sock.close()
            self._loop = self._server = None
            self._ready.set()

    async def _main(self, sock: socket.socket) -> None:
        store = CaptureStore(self._data_dir)
        try:
            await self._serve(sock, store)
        finally:
            store.close()

    async def _serve(self, sock: socket.socket, store: CaptureStore) -> None:
        limits = self.limits
        self._loop = asyncio.get_running_loop()
        writer = Writer(store.path)
        recorder = self.recorder = Recorder(writer, self.hub)
        bridge = self.bridge = Bridge(
            store, self.hub, lambda: self._config, maxsize=limits.webhook_queue,
            service_factory=self._service_factory,
        )  # fmt: skip
        app = CaptureApp(recorder, bridge, lambda: self._config, limits)
        protocol = GuardedProtocol.configure(
            header_timeout=limits.header_timeout,
            max_header_bytes=limits.max_header_bytes,
            max_connections=limits.max_connections,
        )
        config = uvicorn.Config(
            app, http=protocol, lifespan="off", log_config=None, access_log=False,
            # uvicorn counts open connections against this too: above the connection cap,
            # idle sockets can never turn real requests into 503s.
            limit_concurrency=max(limits.limit_concurrency, limits.max_connections + 1),
            timeout_keep_alive=limits.keep_alive,
            timeout_graceful_shutdown=int(limits.stop_timeout), server_header=False,
            proxy_headers=False, backlog=min(limits.max_connections, 2048),
        )  # fmt: skip
        self._server = _Server(config, self._ready.set)
        writing = asyncio.create_task(recorder.run())
        forwarding = asyncio.create_task(bridge.run())
        try:
            await self._server.serve(sockets=[sock])
        finally:
            await recorder.close()
            await writing
            writer.close()
            await bridge.close()
            await _finish(forwarding, bridge, limits.stop_timeout)


def _loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop where it is installed (not on Windows): the server's loop does little but
    socket I/O and timers, which uvloop runs in C at a fraction of asyncio's cost."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


async def _finish(task: asyncio.Task[Any], bridge: Bridge, timeout: float) -> None:
    """Let the bridge drain for `timeout` s, then cancel and record what is left."""
    done, _ = await asyncio.wait({task}, timeout=timeout)
    if not done:
        bridge.abort()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        bridge.abandon()
