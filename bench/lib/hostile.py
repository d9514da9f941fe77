#!/usr/bin/env python3
"""Hostile origin and hostile clients for bench/hostile.sh.

  hostile.py origin --port P [--conn-seconds S]
      one origin, by path (every connection ends at the latest after S seconds):
        /endless   200, chunked, a body of zeros that never ends, sent as fast as the reader takes it
        /interim   `100 Continue` and `103 Early Hints` (with Link headers) again and again, never a
                   final response
        /slow      reads the request, never answers; waits for the other side to close
        /vary/N    200, 100-byte body, `Cache-Control: max-age=3600`, `Vary: X-Key`, keep-alive; the
                   body carries the origin's request count, so a repeat that comes back equal was a hit
        /ok        200, 100-byte body, `Cache-Control: no-store`, keep-alive
  hostile.py hold --proxy H:P --url URL --clients N --read head|none --max-seconds S
      N connections each send one GET for URL and read its response head (head) or nothing (none),
      then read nothing more; prints READY, then holds them until SIGTERM or S seconds.
  hostile.py idle --proxy H:P --origin H:P --clients N --sources K --max-seconds S
      N connections from K source addresses (127.0.1.1 ...): a third send nothing, a third half a
      request head, a third a whole head for /slow; prints READY, then holds them until SIGTERM or
      S seconds.
  hostile.py vary --proxy H:P --origin H:P --requests N --key-bytes B --urls U --connections C
                  --max-seconds S
      GET /vary/(i mod U) with a distinct B-byte X-Key per request i, over C keep-alive connections,
      until N requests or S seconds; then asks for the first keys again to see whether they were stored.
  hostile.py probe --proxy H:P --url URL --timeout S
      one normal GET on a new connection, timed to its last body byte.

Each client prints one line `RESULT key=value ...`. Everything is bounded in count and time.
"""
import argparse
import email.utils
import itertools
import signal
import socket
import socketserver
import sys
import threading
import time

CHUNK = 64 << 10
BODY_BYTES = 100
HEAD_LIMIT = 65536


def hostport(s):
    host, _, port = s.rpartition(":")
    return host, int(port)


# ---- the origin ---------------------------------------------------------------------------------------

class Origin(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 4096
    conn_seconds = 300.0
    served = itertools.count(1)


def read_request(sock, pending, deadline):
    """Reads one request head (requests here have no body); returns (target, rest) or (None, b"")."""
    data = pending
    while b"\r\n\r\n" not in data:
        if time.monotonic() > deadline or len(data) > HEAD_LIMIT:
            return None, b""
        chunk = sock.recv(65536)
        if not chunk:
            return None, b""
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    parts = head.split(b"\r\n", 1)[0].split()
    return (parts[1].decode("latin-1") if len(parts) > 1 else "/"), rest


def small(status, extra):
    body = f"{next(Origin.served):020d}".ljust(BODY_BYTES, "x").encode()
    head = (f"HTTP/1.1 {status}\r\nDate: {email.utils.formatdate(usegmt=True)}\r\n"
            f"Content-Type: text/plain\r\nContent-Length: {len(body)}\r\n"
            + "".join(f"{k}: {v}\r\n" for k, v in extra) + "\r\n")
    return head.encode() + body


def endless(sock, deadline):
    sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                 b"Cache-Control: no-store\r\nTransfer-Encoding: chunked\r\n\r\n")
    chunk = memoryview(f"{CHUNK:x}\r\n".encode() + bytes(CHUNK) + b"\r\n")
    while time.monotonic() < deadline:
        sock.sendall(chunk)


INTERIM = (b"HTTP/1.1 100 Continue\r\n\r\n"
           b"HTTP/1.1 103 Early Hints\r\n"
           b"Link: </style.css>; rel=preload; as=style\r\n"
           b"Link: </script.js>; rel=preload; as=script\r\n\r\n")


def interim(sock, deadline):
    batch = memoryview(INTERIM * (CHUNK // len(INTERIM)))
    while time.monotonic() < deadline:
        sock.sendall(batch)


def hold_until_closed(sock, deadline):
    while time.monotonic() < deadline:
        if not sock.recv(65536):
            return


class Serve(socketserver.BaseRequestHandler):
    def handle(self):
        sock = self.request
        deadline = time.monotonic() + self.server.conn_seconds
        sock.settimeout(30)
        pending = b""
        try:
            while True:
                target, pending = read_request(sock, pending, deadline)
                if target is None:
                    return
                if target.startswith("http://"):  # absolute-form: asked directly, not through a proxy
                    target = "/" + target.split("/", 3)[3] if target.count("/") >= 3 else "/"
                path = target.split("?", 1)[0]
                if path == "/endless":
                    return endless(sock, deadline)
                if path == "/interim":
                    return interim(sock, deadline)
                if path == "/slow":
                    return hold_until_closed(sock, deadline)
                if path.startswith("/vary/"):
                    sock.sendall(small("200 OK", [("Cache-Control", "max-age=3600"), ("Vary", "X-Key")]))
                elif path == "/ok":
                    sock.sendall(small("200 OK", [("Cache-Control", "no-store")]))
                else:
                    sock.sendall(small("404 Not Found", [("Cache-Control", "no-store")]))
        except OSError:
            pass


def origin(args):
    threading.stack_size(512 << 10)
    Origin.conn_seconds = args.conn_seconds
    with Origin(("127.0.0.1", args.port), Serve) as srv:
        srv.serve_forever()


# ---- clients ------------------------------------------------------------------------------------------

STOP = threading.Event()


def stop_on_term():
    signal.signal(signal.SIGTERM, lambda *_: STOP.set())


def ready():
    """Tells the script that every connection is in place: the held time starts now."""
    print("READY", flush=True)


def wait_stop(deadline):
    while not STOP.is_set() and time.monotonic() < deadline:
        STOP.wait(0.2)


def request(url, origin_host, path, extra=""):
    """An absolute-form GET through the proxy (url is the origin's http://host:port)."""
    return f"GET {url}{path} HTTP/1.1\r\nHost: {origin_host}\r\n{extra}\r\n".encode()


def state(sock):
    """open (silent), answered (the proxy sent something unread) or closed, without blocking."""
    try:
        sock.setblocking(False)
        data = sock.recv(1, socket.MSG_PEEK)
        return "answered" if data else "closed"
    except BlockingIOError:
        return "open"
    except OSError:
        return "closed"


def tally(socks):
    counts = {"open": 0, "answered": 0, "closed": 0}
    for s in socks:
        counts[state(s)] += 1
    return counts


def close_all(socks):
    for s in socks:
        try:
            s.close()
        except OSError:
            pass


def hold(args):
    stop_on_term()
    deadline = time.monotonic() + args.max_seconds
    host = args.url.split("/", 3)[2]
    socks, failed, heads, statuses = [], 0, 0, set()
    for i in range(args.clients):
        if STOP.is_set() or time.monotonic() > deadline:
            break
        try:
            s = socket.create_connection(hostport(args.proxy), timeout=10)
            sep = "&" if "?" in args.url else "?"
            s.sendall(f"GET {args.url}{sep}c={i} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
            socks.append(s)
        except OSError:
            failed += 1
    if args.read == "head":
        heads_by = min(deadline, time.monotonic() + 10)  # all heads within 10 s, however many stall
        for s in socks:
            data = b""
            if STOP.is_set() or time.monotonic() >= heads_by:
                break
            s.settimeout(max(0.05, heads_by - time.monotonic()))
            try:
                while b"\r\n\r\n" not in data and len(data) < HEAD_LIMIT:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    data += chunk
            except OSError:
                pass
            if b"\r\n\r\n" in data:
                heads += 1
                statuses.add(data.split(b" ", 2)[1].decode(errors="replace"))
    opened = len(socks)
    ready()
    wait_stop(deadline)
    c = tally(socks)
    close_all(socks)
    print(f"RESULT clients={opened} connect_failed={failed} heads={heads} "
          f"status={','.join(sorted(statuses)) or '-'} open={c['open']} answered={c['answered']} "
          f"closed={c['closed']}")


def idle(args):
    stop_on_term()
    deadline = time.monotonic() + args.max_seconds
    origin_host = args.origin
    url = f"http://{origin_host}"
    socks, failed = [], 0
    kinds = {"silent": [], "partial": [], "waiting": []}
    names = list(kinds)
    for i in range(args.clients):
        if STOP.is_set() or time.monotonic() > deadline:
            break
        kind = names[i % 3]
        try:
            s = socket.socket()
            s.bind((f"127.0.1.{i % args.sources + 1}", 0))
            s.settimeout(10)
            s.connect(hostport(args.proxy))
            if kind == "partial":
                s.sendall(f"GET {url}/slow?i={i} HTTP/1.1\r\nHost: {origin_host}\r\n".encode())
            elif kind == "waiting":
                s.sendall(request(url, origin_host, f"/slow?i={i}"))
            socks.append(s)
            kinds[kind].append(s)
        except OSError:
            failed += 1
            s.close()
    opened = len(socks)
    ready()
    wait_stop(deadline)
    parts = [f"clients={opened}", f"connect_failed={failed}"]
    for kind, group in kinds.items():
        c = tally(group)
        parts.append(f"{kind}_open={c['open']} {kind}_answered={c['answered']} {kind}_closed={c['closed']}")
    close_all(socks)
    print("RESULT " + " ".join(parts))


def read_response(sock, pending):
    """(status, body, rest) of one response with a Content-Length."""
    data = pending
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed before a response head")
        data += chunk
        if len(data) > HEAD_LIMIT:
            raise ConnectionError("response head too long")
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed inside a body")
        rest += chunk
    return status, rest[:length], rest[length:]


class Varied:
    """The shared state of the vary clients: the next request number and the counts."""

    def __init__(self, args):
        self.args = args
        self.url = f"http://{args.origin}"
        self.next = itertools.count()
        self.lock = threading.Lock()
        self.done = self.errors = self.failures = 0
        self.first = {}  # request number -> body, for the first keys

    def key(self, i):
        return f"{i:010d}-".ljust(self.args.key_bytes, "k")

    def get(self, sock, pending, i):
        path = f"/vary/{i % self.args.urls}"
        sock.sendall(request(self.url, self.args.origin, path, f"X-Key: {self.key(i)}\r\n"))
        return read_response(sock, pending)


def vary_worker(v, deadline):
    sock, pending = None, b""
    while time.monotonic() < deadline:
        with v.lock:
            i = next(v.next)
        if i >= v.args.requests:
            break
        try:
            if sock is None:
                sock = socket.create_connection(hostport(v.args.proxy), timeout=10)
                pending = b""
            status, body, pending = v.get(sock, pending, i)
            with v.lock:
                v.done += 1
                v.errors += status != 200
                if i < v.args.check:
                    v.first[i] = body
        except OSError:
            with v.lock:
                v.failures += 1
            if sock is not None:
                sock.close()
            sock = None
    if sock is not None:
        sock.close()


def vary(args):
    stop_on_term()
    v = Varied(args)
    start = time.monotonic()
    deadline = start + args.max_seconds
    workers = [threading.Thread(target=vary_worker, args=(v, deadline), daemon=True)
               for _ in range(args.connections)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(max(0.0, deadline - time.monotonic()) + 15)
    secs = time.monotonic() - start
    # The first keys again: an equal body (it carries the origin's request count) is a stored variant.
    hits = asked = 0
    try:
        with socket.create_connection(hostport(args.proxy), timeout=10) as sock:
            pending = b""
            for i in sorted(v.first):
                _, body, pending = v.get(sock, pending, i)
                asked += 1
                hits += body == v.first[i]
    except OSError:
        pass
    print(f"RESULT requests={v.done} status_errors={v.errors} failures={v.failures} "
          f"key_mib={v.done * args.key_bytes / (1 << 20):.1f} seconds={secs:.1f} "
          f"rps={v.done / secs:.0f} replayed={asked} replay_hits={hits}")


def probe(args):
    host = args.url.split("/", 3)[2]
    start = time.monotonic()
    try:
        with socket.create_connection(hostport(args.proxy), timeout=args.timeout) as sock:
            sock.settimeout(max(0.1, args.timeout - (time.monotonic() - start)))
            sock.sendall(f"GET {args.url} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
            status, _, _ = read_response(sock, b"")
    except (OSError, ValueError, IndexError) as e:
        print(f"RESULT failed=1 reason={type(e).__name__}")
        return
    print(f"RESULT status={status} ms={(time.monotonic() - start) * 1000:.1f}")


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    o = sub.add_parser("origin")
    o.add_argument("--port", type=int, required=True)
    o.add_argument("--conn-seconds", type=float, default=300)
    h = sub.add_parser("hold")
    h.add_argument("--proxy", required=True)
    h.add_argument("--url", required=True)
    h.add_argument("--clients", type=int, default=50)
    h.add_argument("--read", choices=["head", "none"], default="head")
    h.add_argument("--max-seconds", type=float, default=60)
    i = sub.add_parser("idle")
    i.add_argument("--proxy", required=True)
    i.add_argument("--origin", required=True)
    i.add_argument("--clients", type=int, default=2000)
    i.add_argument("--sources", type=int, default=10)
    i.add_argument("--max-seconds", type=float, default=60)
    v = sub.add_parser("vary")
    v.add_argument("--proxy", required=True)
    v.add_argument("--origin", required=True)
    v.add_argument("--requests", type=int, default=10000)
    v.add_argument("--key-bytes", type=int, default=8192)
    v.add_argument("--urls", type=int, default=100)
    v.add_argument("--connections", type=int, default=4)
    v.add_argument("--check", type=int, default=20)
    v.add_argument("--max-seconds", type=float, default=60)
    r = sub.add_parser("probe")
    r.add_argument("--proxy", required=True)
    r.add_argument("--url", required=True)
    r.add_argument("--timeout", type=float, default=10)
    args = p.parse_args()
    {"origin": origin, "hold": hold, "idle": idle, "vary": vary, "probe": probe}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
