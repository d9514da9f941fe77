#!/usr/bin/env python3
"""The least a CONNECT proxy can do, for bench/run.sh's tunnel ceiling.

  relay.py --port P [--host H] [--chunk BYTES]

Answers each CONNECT with 200 and then copies bytes both ways on two blocking threads (recv_into,
sendall), nothing else: no access checks, no log, no limits, no timeouts. It shows what any
user-space relay on the proxy core can reach on this machine, so the gateway's tunnel figure can be
read against it as well as against direct. Not a proxy to use: it trusts every request.
"""
import argparse
import socket
import socketserver
import threading


class Relay(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    chunk = 1 << 20


def copy(src, dst, chunk):
    """src to dst until src ends, then ends dst's output (half-close)."""
    view = memoryview(bytearray(chunk))
    try:
        while True:
            n = src.recv_into(view)
            if n == 0:
                break
            dst.sendall(view[:n])
        dst.shutdown(socket.SHUT_WR)
    except OSError:
        pass


class Connect(socketserver.BaseRequestHandler):
    def handle(self):
        client = self.request
        head = b""
        while b"\r\n\r\n" not in head:
            data = client.recv(4096)
            if not data or len(head) > 65536:
                return
            head += data
        head, _, early = head.partition(b"\r\n\r\n")
        method, target = head.split(b"\r\n", 1)[0].split()[:2]
        if method != b"CONNECT":
            client.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            return
        host, _, port = target.decode().rpartition(":")
        try:
            upstream = socket.create_connection((host, int(port)), timeout=10)
        except OSError:
            client.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            return
        upstream.settimeout(None)
        with upstream:
            client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            if early:
                upstream.sendall(early)
            up = threading.Thread(target=copy, args=(client, upstream, self.server.chunk), daemon=True)
            up.start()
            copy(upstream, client, self.server.chunk)
            up.join()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--chunk", type=int, default=1 << 20)
    args = p.parse_args()
    with Relay((args.host, args.port), Connect) as srv:
        srv.chunk = args.chunk
        srv.serve_forever()


if __name__ == "__main__":
    main()
