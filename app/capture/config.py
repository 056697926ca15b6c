"""What the receiver is told: integration settings, checks, forwarding, and its limits.

`CaptureConfig` may be replaced while the server runs (`CaptureServer.update`): each
webhook is rendered and forwarded with the config in force when it is processed, as
RevenueCat applies the dashboard's current settings. Secrets are kept out of reprs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.core.settings import IntegrationSettings
from app.delivery.options import DeliveryOptions
from app.delivery.target import Target


@dataclass(frozen=True)
class CaptureConfig:
    settings: IntegrationSettings = field(default_factory=IntegrationSettings)
    #: Flag calls whose write key is not this one (None: any key is fine).
    expect_write_key: str | None = field(default=None, repr=False)
    #: The webhook's Authorization value, as set in RevenueCat's dashboard (None: none).
    webhook_auth: str | None = field(default=None, repr=False)
    #: Forward rendered webhooks here (the bridge); None records them only.
    forward: Target | None = None
    write_key: str = field(default="", repr=False)
    options: DeliveryOptions = field(default_factory=DeliveryOptions)
    #: The workspace's region ("us"/"eu") for the wrong-region flag; default: the
    #: forward target's region.
    region: str | None = None

    def __post_init__(self) -> None:
        # Both secrets as a server compares them: HTTP strips a header value's spaces, so
        # " Bearer x " set in the window, or given to `serve`, must match "Bearer x".
        # Here, so that every way of configuring the receiver reads them the same way.
        for name in ("expect_write_key", "webhook_auth"):
            value = getattr(self, name)
            object.__setattr__(self, name, (value or "").strip() or None)

    @property
    def expected_region(self) -> str | None:
        return self.region or (self.forward.region if self.forward else None)


@dataclass(frozen=True)
class Limits:
    """Bounds that keep hostile or broken clients from stopping the server."""

    max_connections: int = 1_000  # open sockets; past it the oldest idle one is closed
    limit_concurrency: int = 2_000  # requests in progress; past it uvicorn answers 503
    header_timeout: float = 10.0  # from connect (or the previous answer) to full headers
    body_timeout: float = 30.0  # the whole body
    keep_alive: int = 30  # idle keep-alive connection (SDKs flush every ~30 s)
    max_header_bytes: int = 64 * 1024
    webhook_bytes: int = 1024 * 1024
    webhook_queue: int = 1_000  # webhooks answered, waiting to be processed
    stop_timeout: float = 30.0  # graceful stop: in-flight work gets this long


def window_config(
    *,
    settings: IntegrationSettings,
    options: DeliveryOptions,
    bridge: bool,
    target: Target | None,
    write_key: str,
    connection_problem: str | None,
    expect_write_key: str = "",
    webhook_auth: str = "",
    region: str | None = None,
) -> tuple[CaptureConfig, str]:
    """The window's receiver config from its connection and settings in force, and one
    line about the bridge. The bridge forwards only over a connection a live send could
    use (`connection_problem` None); otherwise webhooks are rendered and recorded only,
    and the line says why, so nothing is silently not forwarded."""
    forward = target if bridge and connection_problem is None else None
    config = CaptureConfig(
        settings=settings,
        expect_write_key=expect_write_key,
        webhook_auth=webhook_auth,
        forward=forward,
        write_key=write_key if forward is not None else "",
        options=options,
        region=region,
    )
    if not bridge:
        note = "Bridge off: webhooks are recorded, not sent to Segment."
    elif forward is None:
        note = f"Bridge on but not forwarding — {connection_problem}; webhooks are recorded only."
    else:
        note = f"Bridge on: each webhook is sent to {forward.label} once per event.id."
    return config, note


def workspace_region(region: str, target: Target | None) -> str | None:
    """The workspace's region for the wrong-region flag: the connection's region, or
    the region of the URL it names; None for a custom endpoint elsewhere."""
    if region in ("us", "eu"):
        return region
    return target.region if target is not None and target.region in ("us", "eu") else None
