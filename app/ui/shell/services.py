"""The non-Qt services the window is built over, created after the first paint.

Tests build a `Services` with their own temp store, loopback target and in-memory key
vault; the app builds one with `open_services` inside the running qasync loop.

Only what the first usable window needs is on the start-up path: the history store and
the profiles. The HTTP client (httpx, ~0.2 s to import) and the system keyring (~0.2 s to
import and discover a backend) come in `warm()`, which the app runs right after the
window is ready; a send or request preview before then loads the client itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core.render import Renderer
from app.delivery.options import DeliveryOptions
from app.state.profiles import KeyVault, PendingVault, ProfileBook
from app.storage import HistoryStore, config_dir, data_dir
from app.storage.profiles import ProfileStore

if TYPE_CHECKING:
    from app.delivery import ItemOutcome, SendJob, SendReport, SendService


class LazySender:
    """A `SendService` made on first use (see the module docstring)."""

    def __init__(self, history: HistoryStore) -> None:
        self._history = history
        self._service: SendService | None = None

    @property
    def service(self) -> SendService:
        if self._service is None:
            from app.delivery.service import SendService

            self._service = SendService(history=self._history)
        return self._service

    @property
    def loaded(self) -> bool:
        return self._service is not None

    def plan(self, job: SendJob) -> list[ItemOutcome]:
        return self.service.plan(job)

    async def send(self, job: SendJob, **kwargs: Any) -> SendReport:
        return await self.service.send(job, **kwargs)

    async def open_client(self) -> None:
        """The one keep-alive client, made inside the running loop that will use it."""
        await self.service.__aenter__()

    async def aclose(self) -> None:
        if self._service is not None:
            await self._service.aclose()


@dataclass
class Services:
    data_dir: Path
    history: HistoryStore
    sender: LazySender
    profiles: ProfileBook
    renderer: Renderer
    options: DeliveryOptions = field(default_factory=DeliveryOptions)  # retries, timeouts
    #: Makes the real key vault (the system keyring); None once it is in place.
    vault_factory: Callable[[], KeyVault] | None = None

    async def warm(self) -> bool:
        """Load what start-up left out: the HTTP client, then the key vault. True when
        the vault changed (the window shows the stored key and where it is kept)."""
        if not self.sender.loaded:
            await self.sender.open_client()
        if self.vault_factory is None:
            return False
        factory, self.vault_factory = self.vault_factory, None
        self.profiles.replace_vault(factory())
        return True

    async def aclose(self) -> None:
        """Close the HTTP client, then the store (a send may still be finishing a row)."""
        await self.sender.aclose()
        self.history.close()


def _system_vault(config: Path) -> Callable[[], KeyVault]:
    def make() -> KeyVault:
        from app.storage.secrets import SecretStore

        return SecretStore(config)  # imports keyring and finds its backend

    return make


def make_services(
    data_override: str | Path | None,
    vault: KeyVault | None = None,
    options: DeliveryOptions | None = None,
) -> Services:
    """Everything under `--data-dir` (or the platform dirs), without an event loop: the
    window is built before asyncio and qasync are even imported. With no `vault` given,
    keys are looked up in the system keyring once `warm()` runs."""
    data = data_dir(data_override)
    history = HistoryStore.in_dir(data)
    config = config_dir(data_override)
    factory = None if vault is not None else _system_vault(config)
    profiles = ProfileBook(ProfileStore.in_dir(config), vault or PendingVault())
    return Services(data, history, LazySender(history), profiles, Renderer(),
                    options or DeliveryOptions(), factory)  # fmt: skip


async def open_services(
    data_override: str | Path | None,
    vault: KeyVault | None = None,
    options: DeliveryOptions | None = None,
) -> Services:
    """`make_services`, then the HTTP client inside the running loop (and, with no
    `vault`, the system keyring): everything in place at once, as tests want it."""
    services = make_services(data_override, vault, options)
    await services.warm()
    return services
