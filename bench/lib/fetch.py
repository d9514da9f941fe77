#!/usr/bin/env python3
"""Large-response throughput for bench/cache.sh: one keep-alive connection, GET one URL again and again.

  fetch.py --url http://H:P/PATH [--proxy H:P] [--bytes N] [--timeout S]

Sends GET (absolute-form through --proxy, origin-form without), reads each response's head and then
exactly Content-Length bytes of body into one 4 MiB buffer (the bytes are not looked at), and repeats on
the same connection until at least N body bytes have come (at least one request). Prints
  RESULT mib_s=... seconds=... requests=... bytes=... status_errors=...
timed from the first request sent to the last body byte read. Big reads keep the client's cost per byte
low, so the figure is the server's (or proxy's) rather than this script's.
"""
import argparse
import socket
import sys
import time
from urllib.parse import urlsplit

BUF = 4 << 20


def hostport(s):
    host, _, port = s.rpartition(":")
    return host, int(port)


def read_head(sock, pending):
    """Reads up to the end of a response head; returns (status, content_length, leftover bytes)."""
    data = pending
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            sys.exit(f"connection closed before a response head: {data[:200]!r}")
        data += chunk
        if len(data) > 65536:
            sys.exit("response head too long")
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    length = None
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    if length is None:
        sys.exit(f"no Content-Length in the response: {lines[0].decode(errors='replace')}")
    return status, length, rest


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", required=True)
    p.add_argument("--proxy")
    p.add_argument("--bytes", type=int, default=1)
    p.add_argument("--timeout", type=float, default=120)
    args = p.parse_args()
    u = urlsplit(args.url)
    target = args.url if args.proxy else (u.path or "/") + (f"?{u.query}" if u.query else "")
    request = f"GET {target} HTTP/1.1\r\nHost: {u.netloc}\r\n\r\n".encode()
    deadline = time.monotonic() + args.timeout
    sock = socket.create_connection(hostport(args.proxy or u.netloc), timeout=args.timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    buf = bytearray(BUF)
    view = memoryview(buf)
    got = requests = status_errors = 0
    pending = b""
    start = time.monotonic()
    while requests == 0 or got < args.bytes:
        sock.sendall(request)
        status, length, pending = read_head(sock, pending)
        requests += 1
        if not 200 <= status < 300:
            status_errors += 1
        left = length - len(pending)
        if left < 0:
            sys.exit("more bytes than the Content-Length: pipelining is not used here")
        pending = b""
        while left > 0:
            if time.monotonic() > deadline:
                sys.exit(f"timeout after {got} bytes")
            n = sock.recv_into(view, min(BUF, left))
            if n == 0:
                sys.exit(f"closed with {left} bytes of the body missing")
            left -= n
        got += length
    secs = time.monotonic() - start
    sock.close()
    print(f"RESULT mib_s={got / secs / (1 << 20):.1f} seconds={secs:.3f} requests={requests} bytes={got}"
          f" status_errors={status_errors}")


if __name__ == "__main__":
    main()
