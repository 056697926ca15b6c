"""The one verifying TLS context every client shares, its trust loaded on first use.

Loading the CA bundle costs 30-50 ms, a good part of a CLI send's own time, and a send
to a plain http:// loopback target (a local receiver, the usual test setup) never opens
a TLS connection. So the context is made at once with verification required (host name
checked, certificate required) but loads its trust anchors only when it first wraps a
connection, before any handshake. Until then it trusts nothing: nothing can get through
it unverified, early or late.

Which anchors: as `httpx.create_ssl_context()` (the context the clients used before):
$SSL_CERT_FILE, else $SSL_CERT_DIR, else certifi's bundle; $SSLKEYLOGFILE as the
standard library's default context honours it.
"""

from __future__ import annotations

import functools
import os
import ssl
import sys
from typing import Any


class DeferredTrustContext(ssl.SSLContext):
    """A client context (`PROTOCOL_TLS_CLIENT`: `CERT_REQUIRED`, `check_hostname`) whose
    trust anchors load when it first wraps a socket or a memory BIO (httpcore wraps
    through anyio's `wrap_bio`, its sync backend through either)."""

    _trust_loaded = False

    def load_trust(self) -> None:
        """Load the anchors now (once; a failure raises here and again next time)."""
        if self._trust_loaded:
            return
        if os.environ.get("SSL_CERT_FILE"):
            self.load_verify_locations(cafile=os.environ["SSL_CERT_FILE"])
        elif os.environ.get("SSL_CERT_DIR"):
            self.load_verify_locations(capath=os.environ["SSL_CERT_DIR"])
        else:
            import certifi

            self.load_verify_locations(cafile=certifi.where())
        self._trust_loaded = True

    def wrap_bio(self, *args: Any, **kwargs: Any) -> ssl.SSLObject:
        self.load_trust()
        return super().wrap_bio(*args, **kwargs)

    def wrap_socket(self, *args: Any, **kwargs: Any) -> ssl.SSLSocket:
        self.load_trust()
        return super().wrap_socket(*args, **kwargs)


@functools.cache
def shared_context() -> ssl.SSLContext:
    """The context for every client (the CLI and the window make one per send service)."""
    context = DeferredTrustContext(ssl.PROTOCOL_TLS_CLIENT)
    context.verify_mode = ssl.CERT_REQUIRED  # PROTOCOL_TLS_CLIENT's defaults, said aloud
    context.check_hostname = True
    keylog = os.environ.get("SSLKEYLOGFILE")
    if keylog and not sys.flags.ignore_environment:
        context.keylog_filename = keylog
    return context
