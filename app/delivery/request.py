"""One HTTP request to Segment, rendered three ways from the same model.

`to_httpx()` is what goes on the wire, `preview()` is what the user sees and history
stores, `to_curl()` is "copy as cURL". The preview and the cURL command are derived from
the very `httpx.Request` that would be sent (same URL, same headers, same body bytes), so
they cannot drift apart; only the Authorization value is masked, unless the user asks to
reveal it for the cURL copy.
"""

from __future__ import annotations

import shlex
from typing import Any, Literal

import httpx
from pydantic import BaseModel, ConfigDict, PrivateAttr, SecretStr

from app import __version__
from app.core.redact import basic_auth_token, mask_key
from app.core.wire import dumps

Endpoint = Literal["track", "identify", "batch"]

USER_AGENT = f"rc-segment-tester/{__version__}"

#: What the preview shows for the Authorization value when no key was given.
NO_KEY = "(no write key)"


def masked_authorization(write_key: str) -> str:
    """``Basic ••••a1b2:``: says which key and that it is Basic auth, and leaks neither
    the key nor its base64 form (which decodes straight back to the key)."""
    return f"Basic {mask_key(write_key)}:" if write_key.strip() else f"Basic {NO_KEY}"


#: Where a runnable cURL command reads the write key from (as the CLI does).
KEY_ENV = "SEGMENT_WRITE_KEY"


class SegmentRequest(BaseModel):
    """A POST to /track, /identify or /batch with its JSON body and the write key.

    The key is a `SecretStr`, so `repr()`, logging and `model_dump()` never show it; only
    `to_httpx()` and `to_curl(reveal=True)` read it.
    """

    model_config = ConfigDict(frozen=True)

    endpoint: Endpoint
    url: str
    write_key: SecretStr
    body: dict[str, Any]
    #: A /batch's messages as `dumps` writes them, when packing measured them (`batch_of`):
    #: `content()` joins them instead of serialising 500 KB a second time per attempt.
    _parts: tuple[bytes, ...] | None = PrivateAttr(default=None)

    @classmethod
    def batch_of(
        cls, url: str, write_key: SecretStr, messages: list[dict[str, Any]],
        parts: list[bytes], sent_at: str,
    ) -> SegmentRequest:  # fmt: skip
        """A /batch of `messages`, `parts` being `dumps` of each (as packing sized them)."""
        request = cls(endpoint="batch", url=url, write_key=write_key,
                      body={"batch": messages, "sentAt": sent_at})  # fmt: skip
        request._parts = tuple(parts)
        return request

    def __repr__(self) -> str:  # the body can be 500 KB: keep reprs (and logs) short
        return f"<SegmentRequest POST {self.url} {len(self.messages)} message(s)>"

    @property
    def messages(self) -> list[dict[str, Any]]:
        if self.endpoint == "batch":
            batch: list[dict[str, Any]] = self.body["batch"]
            return batch
        return [self.body]

    @property
    def message_ids(self) -> list[str]:
        return [str(m.get("messageId")) for m in self.messages]

    def stamped(self, sent_at: str) -> SegmentRequest:
        """A copy with `sentAt` set to this attempt's time (messageIds untouched)."""
        if self.endpoint == "batch":
            body = {**self.body, "batch": [{**m, "sentAt": sent_at} for m in self.messages]}
            body["sentAt"] = sent_at
        else:
            body = {**self.body, "sentAt": sent_at}
        copy = self.model_copy(update={"body": body})
        copy._parts = self._restamped(sent_at)
        return copy

    def _restamped(self, sent_at: str) -> tuple[bytes, ...] | None:
        """`_parts` with each message's `sentAt` value replaced where that is provably
        its own key's: a string, its `"sentAt":"…"` found exactly once in its bytes.
        The top-level key is one occurrence; a nested key with the very same value
        would be a second (that message is serialised afresh), and none can start
        inside a JSON string, whose quotes are escaped. The key keeps its place in a
        `{**m, "sentAt": …}` copy, so the bytes are `dumps` of the copy."""
        if self._parts is None or len(self._parts) != len(self.messages):
            return None
        new = b'"sentAt":' + dumps(sent_at)
        parts = []
        for part, message in zip(self._parts, self.messages, strict=True):
            was = message.get("sentAt")
            old = b'"sentAt":' + dumps(was)
            if isinstance(was, str) and part.count(old) == 1:
                parts.append(part.replace(old, new))
            else:
                parts.append(dumps({**message, "sentAt": sent_at}))
        return tuple(parts)

    def content(self) -> bytes:
        """The exact body bytes (compact UTF-8 JSON, the same serialiser as the sizes); a
        packed /batch joins its messages' bytes (the same bytes `dumps` writes for it)."""
        body = self.body
        if self._parts is not None and list(body) == ["batch", "sentAt"]:
            return (
                b'{"batch":['
                + b",".join(self._parts)
                + b'],"sentAt":'
                + dumps(body["sentAt"])
                + b"}"
            )
        return dumps(body)

    def to_httpx(self) -> httpx.Request:
        """The request as sent; send it with `client.send()` so nothing is added to it."""
        key = self.write_key.get_secret_value()
        return httpx.Request(
            "POST",
            self.url,
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Basic {basic_auth_token(key)}",
                "User-Agent": USER_AGENT,
                "Accept": "application/json",
            },
            content=self.content(),
        )

    def _headers(self, request: httpx.Request, reveal: bool) -> dict[str, str]:
        headers = {name.title(): value for name, value in request.headers.items()}
        if not reveal:
            headers["Authorization"] = masked_authorization(self.write_key.get_secret_value())
        return headers

    def preview(self, sent: httpx.Request | None = None) -> dict[str, Any]:
        """{"method", "url", "headers", "body"}: the live request minus the network, with the
        Authorization value masked. Safe to show, store and export.

        `sent` is the `to_httpx()` request already built for sending (saves serialising a
        500 KB batch twice). `body` is the very object those bytes were serialised from:
        treat it as read-only.
        """
        request = sent if sent is not None else self.to_httpx()
        return {
            "method": request.method,
            "url": str(request.url),
            "headers": self._headers(request, reveal=False),
            "body": self.body,
        }

    def to_curl(
        self, *, reveal: bool = False, key_from_env: bool = False, multiline: bool = False
    ) -> str:
        """A shell command that sends the same request. Masked unless `reveal` is True
        (the user asked for a command with the real key in it). `key_from_env`: a
        command that runs as it is and holds no key, reading it from $SEGMENT_WRITE_KEY
        (`-u "$SEGMENT_WRITE_KEY:"`: the same Basic credential). `multiline`: one
        option per line, as people paste it into a terminal or a ticket."""
        request = self.to_httpx()
        from_env = key_from_env and not reveal
        lines = [["curl", "-X", "POST", shlex.quote(str(request.url))]]
        if from_env:
            lines.append(["-u", f'"${KEY_ENV}:"'])
        for name, value in self._headers(request, reveal).items():
            if name in ("Host", "Content-Length") or (from_env and name == "Authorization"):
                continue  # curl computes the first two; -u gives the third
            lines.append(["-H", shlex.quote(f"{name}: {value}")])
        lines.append(["--data-raw", shlex.quote(request.content.decode())])
        if multiline:
            return " \\\n  ".join(" ".join(words) for words in lines)
        return " ".join(word for words in lines for word in words)
