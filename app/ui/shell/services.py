"""The non-Qt services the window is built over, created after the first paint.

Tests build a `Services` with their own temp store, loopback target and in-memory key
vault; the app builds one with `open_services` inside the running qasync loop (the httpx
client must be created in the loop that will use it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from app.core.render import Renderer
from app.delivery import DeliveryOptions, SendService
from app.state.profiles import KeyVault, ProfileBook
from app.storage import HistoryStore, config_dir, data_dir
from app.storage.profiles import ProfileStore
from app.storage.secrets import SecretStore


@dataclass
class Services:
    data_dir: Path
    history: HistoryStore
    sender: SendService
    profiles: ProfileBook
    renderer: Renderer
    options: DeliveryOptions = field(default_factory=DeliveryOptions)  # retries, timeouts

    async def aclose(self) -> None:
        """Close the HTTP client, then the store (a send may still be finishing a row)."""
        await self.sender.aclose()
        self.history.close()


async def open_services(
    data_override: str | Path | None,
    vault: KeyVault | None = None,
    options: DeliveryOptions | None = None,
) -> Services:
    """Everything under `--data-dir` (or the platform dirs), with the long-lived client."""
    data = data_dir(data_override)
    history = HistoryStore.in_dir(data)
    sender = SendService(history=history)
    await sender.__aenter__()  # one keep-alive client, made inside the running loop
    config = config_dir(data_override)
    keys = vault if vault is not None else SecretStore(config)  # imports keyring (~0.2 s)
    profiles = ProfileBook(ProfileStore.in_dir(config), keys)
    return Services(data, history, sender, profiles, Renderer(), options or DeliveryOptions())
