"""The network between one kiosk and the server, as a TCP relay the test can cut: the kiosk's real HTTP goes
through it to the real `kiosk web`.  Cut, a connection is closed at once (the kiosk sees the link down).  Asked to
lose answers, it passes a request on, lets the server answer in full (so the server has committed), and closes the
kiosk's connection without the answer: the lost acknowledgement, and a kiosk killed mid-push, on the wire.  Slow, it
holds the server's answer back `answer_after` seconds; silent, it reads the request and never answers (a server
that accepts but hangs)."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from urllib.parse import urlsplit


class Cable:
    def __init__(self, server_url: str) -> None:
        parts = urlsplit(server_url)
        self.target = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.cut = False
        self.answers_left: int | None = None  # None: every answer reaches the kiosk; n: n more, then none
        self.answer_after = 0.0  # seconds the server's answer is held back
        self.silent = False  # the request is read and never answered
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}{parts.path}"  # the same server, seen through this cable
        threading.Thread(target=self._accept, name="cable", daemon=True).start()

    def close(self) -> None:
        self._listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # closed
            threading.Thread(target=self._carry, args=(client,), daemon=True).start()

    def _deliver(self) -> bool:
        with self._lock:
            if self.answers_left is None:
                return True
            if self.answers_left == 0:
                return False
            self.answers_left -= 1
            return True

    def _carry(self, client: socket.socket) -> None:
        with client:
            if self.cut:
                return
            if self.silent:
                client.settimeout(60)
                while _recv(client):  # reads what the kiosk sends, says nothing, until the kiosk gives up
                    pass
                return
            held = self.answer_after
            deliver = self._deliver()
            try:
                upstream = socket.create_connection(self.target, timeout=60)
            except OSError:
                return
            with upstream:
                forward = threading.Thread(target=_pump, args=(client, upstream), daemon=True)
                forward.start()
                while chunk := _recv(upstream):  # the server closes after its answer (Connection: close)
                    if held:
                        time.sleep(held)
                        held = 0.0
                    if deliver:
                        try:
                            client.sendall(chunk)
                        except OSError:
                            break  # the kiosk gave up waiting
            with contextlib.suppress(OSError):
                client.shutdown(socket.SHUT_RDWR)  # unblocks the forward pump too
            forward.join(10)


def _recv(sock: socket.socket) -> bytes:
    try:
        return sock.recv(65536)
    except OSError:
        return b""


def _pump(source: socket.socket, sink: socket.socket) -> None:
    while chunk := _recv(source):
        try:
            sink.sendall(chunk)
        except OSError:
            return
    with contextlib.suppress(OSError):
        sink.shutdown(socket.SHUT_WR)
