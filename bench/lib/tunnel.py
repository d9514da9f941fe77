#!/usr/bin/env python3
"""CONNECT tunnel throughput for bench/run.sh.

  tunnel.py source --port P            a TCP source: every connection gets zeros until it closes
  tunnel.py client --target H:P --bytes N [--proxy H:P] [--timeout S]
                                       read N bytes from the source, directly or through a CONNECT
                                       tunnel of the proxy; prints RESULT mib_s=... seconds=...
"""
import argparse
import socket
import socketserver
import sys
import time

CHUNK = 1 << 20


class Source(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


class Zeros(socketserver.BaseRequestHandler):
    def handle(self):
        buf = memoryview(bytes(4 * CHUNK))
        try:
            while True:
                self.request.sendall(buf)
        except OSError:
            pass


def hostport(s):
    host, _, port = s.rpartition(":")
    return host, int(port)


def client(args):
    deadline = time.monotonic() + args.timeout
    target = args.target
    sock = socket.create_connection(hostport(args.proxy or target), timeout=args.timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if args.proxy:
        sock.sendall(f"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n".encode())
        head = b""
        while b"\r\n\r\n" not in head:
            data = sock.recv(4096)
            if not data:
                sys.exit(f"proxy closed before the CONNECT answer: {head!r}")
            head += data
            if len(head) > 65536:
                sys.exit("CONNECT answer head too long")
        head, _, rest = head.partition(b"\r\n\r\n")
        status = head.split(b"\r\n", 1)[0]
        if status.split()[1:2] != [b"200"]:
            sys.exit(f"CONNECT refused: {status.decode(errors='replace')}")
        got = len(rest)
    else:
        got = 0
    buf = bytearray(4 * CHUNK)
    view = memoryview(buf)
    start = time.monotonic()
    while got < args.bytes:
        if time.monotonic() > deadline:
            sys.exit(f"timeout after {got} bytes")
        n = sock.recv_into(view, min(len(buf), args.bytes - got))
        if n == 0:
            sys.exit(f"closed after {got} of {args.bytes} bytes")
        got += n
    secs = time.monotonic() - start
    sock.close()
    print(f"RESULT mib_s={got / secs / (1 << 20):.1f} seconds={secs:.3f} bytes={got}")


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("source")
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--host", default="127.0.0.1")
    c = sub.add_parser("client")
    c.add_argument("--target", required=True)
    c.add_argument("--proxy")
    c.add_argument("--bytes", type=int, default=1 << 30)
    c.add_argument("--timeout", type=float, default=120)
    args = p.parse_args()
    if args.cmd == "source":
        with Source((args.host, args.port), Zeros) as srv:
            srv.serve_forever()
    else:
        client(args)


if __name__ == "__main__":
    main()
