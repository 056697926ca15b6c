"""The cURL command the window shows runs as it is: with the key in $SEGMENT_WRITE_KEY
it sends the same request, byte for byte, to a real server on 127.0.0.1."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess

import pytest
from pydantic import SecretStr

from app.delivery.request import SegmentRequest
from tests.support.segment_server import SegmentServer

KEY = "wk9f3a7c2e4b1d8a6f0e5c3b2a1d4e7f"


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_the_env_curl_command_sends_the_same_request() -> None:
    with SegmentServer() as server:
        request = SegmentRequest(
            endpoint="track", url=f"{server.base_url}/track", write_key=SecretStr(KEY),
            body={"type": "track", "event": 'it\'s "quoted"', "messageId": "m-1"},
        )  # fmt: skip
        command = request.to_curl(key_from_env=True, multiline=True)
        assert KEY not in command and " \\\n  -u " in command
        env = {**os.environ, "SEGMENT_WRITE_KEY": KEY}
        done = subprocess.run(["bash", "-c", command + " -sS -o /dev/null"], env=env,
                              capture_output=True, text=True, timeout=30)  # fmt: skip
        assert done.returncode == 0, done.stderr
        (arrived,) = server.requests
    token = base64.b64encode(f"{KEY}:".encode()).decode()
    assert arrived.headers["authorization"] == f"Basic {token}"
    assert arrived.body == request.to_httpx().content
