"""`eraati serve` serves pages and Socket.IO from one process, as `make run` does."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import free_port

ERAATI = str(Path(sys.executable).parent / "eraati")


def wait_for(url: str, seconds: float = 20) -> bytes:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_serve_answers_pages_and_socketio(tmp_path):
    env = {
        **os.environ,
        "ERAATI_INSTANCE_PATH": str(tmp_path),
        "ERAATI_DATABASE_URL": f"sqlite:///{tmp_path}/serve.sqlite",
        "ERAATI_SCHEDULER": "inprocess",
    }
    subprocess.run([ERAATI, "db", "upgrade"], env=env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        [ERAATI, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        page = wait_for(f"http://127.0.0.1:{port}/")
        assert b'<html lang="fi"' in page
        handshake = wait_for(
            f"http://127.0.0.1:{port}/socket.io/?EIO=4&transport=polling"
        )
        assert b'"sid"' in handshake
    finally:
        server.terminate()
        server.wait(timeout=10)
        server.stdout.close()
