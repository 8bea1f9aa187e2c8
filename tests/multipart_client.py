"""A client's side of a multipart upload: send parts over real HTTP, or drop one halfway."""

import socket
from urllib.parse import urlsplit

import requests

MiB = 1024**2


def split(data: bytes, part_size: int) -> list[bytes]:
    """The parts of `data`, numbered from 1 in the list's order."""
    return [data[i : i + part_size] for i in range(0, len(data), part_size)]


def put_part(method: str, url: str, headers: dict[str, str], data: bytes) -> requests.Response:
    """Send one part with exactly the presigned headers; its ETag is in the response."""
    return requests.request(method, url, data=data, headers=headers, timeout=30)


def drop_part(url: str, headers: dict[str, str], data: bytes, *, sent: int) -> bytes:
    """Start a PUT of `data` but send only its first `sent` bytes, then hang up.

    Waits for whatever the server answers to the cut request, so the server has finished with
    it when this returns; returns that answer's raw bytes (possibly empty).
    """
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    lines = [f"PUT {target} HTTP/1.1", f"Host: {parts.netloc}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items() if name != "Content-Length"]
    lines.append(f"Content-Length: {len(data)}")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    with socket.create_connection((parts.hostname, parts.port or 80), timeout=30) as sock:
        sock.sendall(head + data[:sent])
        sock.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer
