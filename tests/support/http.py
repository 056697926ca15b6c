"""HTTP clients for the tests' own requests to the loopback servers.

`httpx.Client()` loads the CA bundle into a new TLS context each time (~50 ms); these
share one, as the app does (`app.delivery.transport`). `http_post(url, ...)` is `httpx.post`
over that context.
"""

from __future__ import annotations

import functools
import ssl
from typing import Any

import httpx


@functools.cache
def tls() -> ssl.SSLContext:
    return httpx.create_ssl_context()


def http_client(**kwargs: Any) -> httpx.Client:
    return httpx.Client(verify=tls(), **kwargs)


def http_async_client(**kwargs: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(verify=tls(), **kwargs)


def http_post(url: str, **kwargs: Any) -> httpx.Response:
    with http_client() as http:
        return http.post(url, **kwargs)
