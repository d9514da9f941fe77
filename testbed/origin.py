#!/usr/bin/env python3
"""gwtb origin: a tiny HTTP origin for the testbed's "internet" namespace (standard library only).

It logs, for every connection, the SOURCE address it saw, so a test can tell which ISP carried it
(each ISP masquerades to its own address). Start it with origin-start.sh, stop it with origin-stop.sh.

HTTP/1.1 (keep-alive, Content-Length and chunked request bodies) on every --http address:
  GET /whoami       -> 200, body: the source address seen, e.g. "198.18.21.1" (no newline)
  GET /headers      -> 200, body: the request line and header lines as received
  GET /bytes/N      -> 200, body: N bytes of "x" (N <= 1e9)
  GET /delay/MS     -> 200 "ok" after MS milliseconds (MS <= 60000)
  GET /status/CODE  -> CODE with an empty body
  GET /cacheable/NAME -> as /whoami, with Cache-Control: public, max-age=600 (a shared cache keeps it)
  anything else     -> 404
  Every response carries X-Origin-Source: <ip>:<port> and X-Origin-Conn: <n>.
On every --raw address (the CONNECT target, plain TCP): if the first bytes look like an HTTP/1.x
request line the connection is served as HTTP above, otherwise every byte is echoed back.
On every --tls address: TLS (self-signed certificate, see --tls-cert), then HTTP as above; the server
name (SNI) the client sent is logged (event=tls ... sni=NAME, sni=- for none) so a test can assert it
arrived unchanged.
On every --echo address (plain TCP): the origin first writes one line, the source address it saw
("198.18.21.1\n"), then echoes every byte back.

Log format v1 (one line per event, space-separated key=value, first line a header):
  # gwtb-origin log v1 pid=4242
  2026-11-26T17:40:00.123Z event=listen kind=http addr=198.18.100.1:80
  2026-11-26T17:40:00.124Z event=ready
  2026-11-26T17:40:01.002Z event=accept conn=1 src=198.18.21.1 sport=40312 dst=198.18.100.1 dport=80
  2026-11-26T17:40:01.003Z event=request conn=1 src=198.18.21.1 method=GET target=/whoami status=200
  2026-11-26T17:40:01.004Z event=close conn=1 src=198.18.21.1 mode=http in=78 out=190
  2026-11-26T17:40:02.010Z event=tls conn=2 src=198.18.22.1 sni=origin.gwtb.test version=TLSv1.3
(On a --tls address the accept line comes once the handshake is done: asyncio does the handshake
before it hands over the connection, so a failed handshake leaves no line.)
  2026-11-26T17:45:00.000Z event=stop reason=lifetime
It stops by itself after --lifetime seconds, on SIGTERM/SIGINT, and when the namespace named by
--netns is deleted (checked every second).
"""
import argparse
import asyncio
import datetime
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys

MAX_HEAD = 64 * 1024
IDLE_TIMEOUT = 30.0
REQUEST_LINE = re.compile(rb"^[A-Z]{3,10} \S+ HTTP/1\.[01]\r?\n")
REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 411: "Length Required",
           431: "Request Header Fields Too Large", 501: "Not Implemented"}


class Log:
    def __init__(self, path):
        self.f = open(path, "a", buffering=1, encoding="utf-8")
        self.f.write(f"# gwtb-origin log v1 pid={os.getpid()}\n")

    def event(self, name, **fields):
        now = datetime.datetime.now(datetime.timezone.utc)
        ts = now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"
        kv = "".join(f" {k}={v}" for k, v in fields.items())
        self.f.write(f"{ts} event={name}{kv}\n")


class BadRequest(Exception):
    def __init__(self, status):
        super().__init__(status)
        self.status = status


class Conn:
    """One accepted connection: a read buffer over the stream plus byte counters."""

    def __init__(self, n, reader, writer):
        self.n, self.reader, self.writer = n, reader, writer
        peer = writer.get_extra_info("peername")
        local = writer.get_extra_info("sockname")
        self.src, self.sport = peer[0], peer[1]
        self.dst, self.dport = local[0], local[1]
        self.buf = bytearray()
        self.bytes_in = 0
        self.bytes_out = 0

    async def fill(self, timeout=IDLE_TIMEOUT):
        chunk = await asyncio.wait_for(self.reader.read(65536), timeout)
        self.bytes_in += len(chunk)
        self.buf += chunk
        return bool(chunk)

    async def read_until(self, sep, limit):
        while True:
            i = self.buf.find(sep)
            if i >= 0:
                out = bytes(self.buf[:i + len(sep)])
                del self.buf[:i + len(sep)]
                return out
            if len(self.buf) > limit:
                raise BadRequest(431)
            if not await self.fill():
                return None

    async def skip(self, n):
        while n > 0:
            if not self.buf and not await self.fill():
                raise BadRequest(400)
            k = min(n, len(self.buf))
            del self.buf[:k]
            n -= k

    async def write(self, data):
        self.writer.write(data)
        self.bytes_out += len(data)
        await self.writer.drain()


async def read_body(conn, headers):
    te = headers.get(b"transfer-encoding", b"").lower()
    if te:
        if te != b"chunked":
            raise BadRequest(501)
        for _ in range(1_000_000):  # bounded: at most a million chunks
            line = await conn.read_until(b"\n", 4096)
            if line is None:
                raise BadRequest(400)
            try:
                size = int(line.split(b";")[0].strip(), 16)
            except ValueError:
                raise BadRequest(400)
            if size == 0:
                while True:  # trailers up to the empty line
                    t = await conn.read_until(b"\n", MAX_HEAD)
                    if t is None or t.strip() == b"":
                        return
            await conn.skip(size)
            await conn.read_until(b"\n", 16)
        raise BadRequest(400)
    length = headers.get(b"content-length")
    if length is not None:
        try:
            await conn.skip(int(length))
        except ValueError:
            raise BadRequest(400)


# What /cacheable/NAME answers with: a shared cache may keep it (a test counts the origin's requests).
CACHEABLE = "Cache-Control: public, max-age=600\r\n"


def target_path(target):
    m = re.match(r"^https?://[^/]+(/.*)?$", target)
    return ((m.group(1) or "/") if m else target).split("?", 1)[0]


def route(conn, method, target, head):
    """Returns (status, body, delay_seconds)."""
    path = target
    m = re.match(r"^https?://[^/]+(/.*)?$", target)
    if m:
        path = m.group(1) or "/"
    path = path.split("?", 1)[0]
    if path == "/whoami":
        return 200, conn.src.encode(), 0
    if path == "/headers":
        return 200, head, 0
    m = re.fullmatch(r"/bytes/(\d{1,10})", path)
    if m and int(m.group(1)) <= 1_000_000_000:
        return 200, b"x" * int(m.group(1)), 0
    m = re.fullmatch(r"/delay/(\d{1,5})", path)
    if m and int(m.group(1)) <= 60000:
        return 200, b"ok", int(m.group(1)) / 1000.0
    m = re.fullmatch(r"/cacheable/([A-Za-z0-9._-]{1,64})", path)
    if m:
        return 200, conn.src.encode(), 0
    m = re.fullmatch(r"/status/([1-5]\d\d)", path)
    if m:
        return int(m.group(1)), b"", 0
    return 404, b"not found\n", 0


async def serve_http(conn, log):
    for _ in range(100_000):  # bounded number of requests per connection
        try:
            head = await conn.read_until(b"\r\n\r\n", MAX_HEAD)
        except asyncio.TimeoutError:
            return
        if head is None:
            return
        keep = True
        try:
            lines = head.split(b"\r\n")
            parts = lines[0].split(b" ")
            if len(parts) != 3 or not parts[2].startswith(b"HTTP/1."):
                raise BadRequest(400)
            method, target, version = (p.decode("latin-1") for p in parts)
            headers = {}
            for line in lines[1:]:
                if line:
                    k, sep, v = line.partition(b":")
                    if not sep:
                        raise BadRequest(400)
                    headers[k.strip().lower()] = v.strip()
            connection = headers.get(b"connection", b"").lower()
            keep = (b"close" not in connection) if version == "HTTP/1.1" else (b"keep-alive" in connection)
            await read_body(conn, headers)
            status, body, delay = route(conn, method, target, head)
        except BadRequest as e:
            method, target, status, body, delay, keep = "-", "-", e.status, b"", 0, False
        if delay:
            await asyncio.sleep(delay)
        log.event("request", conn=conn.n, src=conn.src, method=method,
                  target=target.replace(" ", "%20"), status=status)
        reason = REASONS.get(status, "Status")
        resp = (f"HTTP/1.1 {status} {reason}\r\n"
                f"Content-Type: text/plain\r\n"
                f"Content-Length: {len(body)}\r\n"
                f"{CACHEABLE if target_path(target).startswith('/cacheable/') else ''}"
                f"X-Origin-Source: {conn.src}:{conn.sport}\r\n"
                f"X-Origin-Conn: {conn.n}\r\n"
                f"Connection: {'keep-alive' if keep else 'close'}\r\n\r\n").encode()
        await conn.write(resp if method == "HEAD" else resp + body)
        if not keep:
            return


async def serve_echo(conn):
    while conn.buf:
        data = bytes(conn.buf)
        conn.buf.clear()
        await conn.write(data)
        try:
            if not await conn.fill(timeout=300.0):
                return
        except asyncio.TimeoutError:
            return


TLS_HANDSHAKE_TIMEOUT = 10.0


def tls_context(cert):
    """A server context for the PEM file holding the certificate and its key; records each SNI."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert)

    def remember_sni(ssl_object, server_name, _ctx):
        ssl_object.gwtb_sni = server_name  # None when the client sent no server_name

    ctx.sni_callback = remember_sni
    return ctx


def self_signed(directory, name):
    """Makes a throwaway self-signed certificate for NAME with openssl; returns the PEM (key + cert)."""
    openssl = shutil.which("openssl")
    if not openssl:
        sys.exit("origin.py: --tls needs --tls-cert PEM or the openssl command (apt-get install openssl)")
    key, crt, pem = (os.path.join(directory, f"origin-tls.{x}") for x in ("key", "crt", "pem"))
    subprocess.run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", key, "-out", crt, "-days", "30", "-subj", f"/CN={name}",
                    "-addext", f"subjectAltName=DNS:{name}"],
                   check=True, timeout=30, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    with open(pem, "w") as out:
        for part in (key, crt):
            with open(part) as f:
                out.write(f.read())
    os.remove(key)
    os.remove(crt)
    return pem


class Origin:
    def __init__(self, log):
        self.log = log
        self.count = 0

    def handler(self, kind):
        async def handle(reader, writer):
            self.count += 1
            conn = Conn(self.count, reader, writer)
            self.log.event("accept", conn=conn.n, src=conn.src, sport=conn.sport, dst=conn.dst, dport=conn.dport)
            mode = {"raw": "http", "http": "http", "tls": "tls", "echo": "echo"}[kind]
            try:
                if kind == "tls":
                    tls = writer.get_extra_info("ssl_object")
                    self.log.event("tls", conn=conn.n, src=conn.src, sni=getattr(tls, "gwtb_sni", None) or "-",
                                   version=tls.version())
                if kind == "echo":
                    await conn.write(f"{conn.src}\n".encode())
                    if not await conn.fill(timeout=300.0):
                        return
                if kind == "raw":
                    try:
                        await conn.fill()
                    except asyncio.TimeoutError:
                        pass
                    if conn.buf and not REQUEST_LINE.match(bytes(conn.buf[:8192])):
                        mode = "echo"
                if mode == "echo":
                    await serve_echo(conn)
                else:
                    await serve_http(conn, self.log)
            except (ConnectionError, asyncio.TimeoutError, asyncio.IncompleteReadError, ssl.SSLError):
                pass
            finally:
                self.log.event("close", conn=conn.n, src=conn.src, mode=mode, **{"in": conn.bytes_in, "out": conn.bytes_out})
                writer.close()
        return handle


def same_netns(name):
    try:
        a = os.stat(f"/run/netns/{name}")
        b = os.stat("/proc/self/ns/net")
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def split_hostport(s):
    host, _, port = s.rpartition(":")
    return host, int(port)


async def main(args):
    log = Log(args.log)
    tls = None
    if args.tls:
        cert = args.tls_cert or self_signed(os.path.dirname(os.path.abspath(args.log)), args.tls_name)
        tls = tls_context(cert)
    origin = Origin(log)
    servers = []
    for kind, addrs in (("http", args.http), ("raw", args.raw), ("tls", args.tls), ("echo", args.echo)):
        for a in addrs:
            host, port = split_hostport(a)
            # TLS is set up by asyncio before the handler runs (a later start_tls would lose a hello that
            # arrived first, into the stream's buffer).
            tls_args = {"ssl": tls, "ssl_handshake_timeout": TLS_HANDSHAKE_TIMEOUT} if kind == "tls" else {}
            servers.append(await asyncio.start_server(origin.handler(kind), host, port, reuse_address=True,
                                                      **tls_args))
            log.event("listen", kind=kind, addr=a)
    if args.pidfile:
        with open(args.pidfile, "w") as f:
            f.write(f"{os.getpid()}\n")
    stop = asyncio.Event()
    reason = ["lifetime"]

    def request_stop(why):
        reason[0] = why
        stop.set()

    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, request_stop, "sigterm")
    loop.add_signal_handler(signal.SIGINT, request_stop, "sigint")
    log.event("ready")
    deadline = loop.time() + args.lifetime
    while not stop.is_set() and loop.time() < deadline:
        if args.netns and not same_netns(args.netns):
            request_stop("netns-gone")
            break
        try:
            await asyncio.wait_for(stop.wait(), 1.0)
        except asyncio.TimeoutError:
            pass
    for s in servers:
        s.close()
    log.event("stop", reason=reason[0])


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--http", action="append", default=[], metavar="IP:PORT", help="HTTP listener (repeatable)")
    p.add_argument("--raw", action="append", default=[], metavar="IP:PORT", help="echo-or-HTTP listener (repeatable)")
    p.add_argument("--tls", action="append", default=[], metavar="IP:PORT", help="HTTP-over-TLS listener (repeatable)")
    p.add_argument("--echo", action="append", default=[], metavar="IP:PORT",
                   help="listener that writes the source address as a line, then echoes (repeatable)")
    p.add_argument("--tls-cert", default=os.environ.get("TB_ORIGIN_TLS_CERT") or None, metavar="PEM",
                   help="certificate and private key in one PEM file (default $TB_ORIGIN_TLS_CERT; without it"
                        " a self-signed one is made with openssl next to the log)")
    p.add_argument("--tls-name", default=os.environ.get("TB_ORIGIN_TLS_NAME", "origin.gwtb.test"),
                   help="the name in the self-signed certificate (default $TB_ORIGIN_TLS_NAME)")
    p.add_argument("--log", default=os.environ.get("TB_ORIGIN_LOG"), help="log file (default $TB_ORIGIN_LOG)")
    p.add_argument("--pidfile", help="write the pid here once listening")
    p.add_argument("--lifetime", type=float, default=3600.0, help="seconds until it stops by itself")
    p.add_argument("--netns", help="stop when /run/netns/NAME is no longer this process's namespace")
    a = p.parse_args()
    if not a.log:
        p.error("--log or TB_ORIGIN_LOG is required")
    if not a.http and not a.raw and not a.tls and not a.echo:
        p.error("give at least one --http, --raw, --tls or --echo listener")

    asyncio.run(main(a))
    sys.exit(0)
