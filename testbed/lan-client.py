#!/usr/bin/env python3
"""Makes N new connections from the LAN from fixed source ports and counts the answers.

Run inside the LAN namespace. Each connection binds the next source port (so a run makes the same flows
every time), then, by --mode:
  http         connect to --proxy, GET http://TARGET/PATH
  connect      connect to --proxy, CONNECT TARGET, GET PATH inside the tunnel
  direct-http  (or direct) no proxy: connect straight to TARGET (the LAN's default route is the gateway),
               GET PATH
  direct-tls   no proxy: TLS to TARGET sending --sni as server name (no certificate check), GET PATH
  echo         no proxy: connect to TARGET (the origin's echo port), read the line the origin writes
               first (the source address it saw), send a line and read it back unchanged
The origin's /whoami (and the echo port's first line) answers with the source address it saw, i.e.
which ISP's NAT carried the connection. Prints lines that a shell or Java test reads easily:
  ok <body> <count>        one per distinct body of a 200 answer (echo: of the first line)
  status <code> <count>    one per status seen (echo: 200 when the bytes came back unchanged)
  failed <n>               connections without a 200 answer
  error <text>             the first five failures
  elapsed <seconds>
Bounded: --count connections, each with --timeout seconds; none starts after --max-time seconds (those
count as failed), so a run ends within --max-time + --timeout. With --rate, connections start on a fixed
schedule (open loop, several in flight at once), else one after another.
"""
import argparse
import concurrent.futures
import threading
import socket
import ssl
import time


def read_head(sock):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            raise IOError("closed before the end of the response head")
        data += chunk
        if len(data) > 65536:
            raise IOError("response head too large")
    head, _, rest = data.partition(b"\r\n\r\n")
    return head.decode("latin-1"), rest


def read_response(sock):
    head, rest = read_head(sock)
    lines = head.split("\r\n")
    status = int(lines[0].split(" ")[1])
    length = None
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    body = rest
    if length is not None:
        while len(body) < length:
            chunk = sock.recv(65536)
            if not chunk:
                break
            body += chunk
        body = body[:length]
    else:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            body += chunk
    return status, body.decode("latin-1")


DIRECT = ("direct", "direct-http", "direct-tls", "echo")


def read_line(sock, limit=256):
    data = b""
    while not data.endswith(b"\n"):
        chunk = sock.recv(1)
        if not chunk:
            raise IOError(f"closed before the end of the first line (got {data!r})")
        data += chunk
        if len(data) > limit:
            raise IOError("first line too long")
    return data


def echo(s, port):
    # The client speaks first, as most TCP clients do: an intercepting gateway sees bytes at once
    # and carries them on by address (a silent client is held for its TLS server name first).
    line = f"gwtb-echo {port}\n".encode()
    s.sendall(line)
    first = read_line(s).decode("latin-1").strip()
    back = b""
    while len(back) < len(line):
        chunk = s.recv(len(line) - len(back))
        if not chunk:
            break
        back += chunk
    if back != line:
        return 0, f"echoed {back!r} for {line!r}"
    return 200, first


def tls_client():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE  # the origin's certificate is self-signed: only the SNI matters here
    return ctx


def one(args, port):
    peer = args.target if args.mode in DIRECT else args.proxy
    peer_host, peer_port = peer.rsplit(":", 1)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.settimeout(args.timeout)
        s.bind((args.source, port))
        s.connect((peer_host, int(peer_port)))
        if args.mode == "echo":
            return echo(s, port)
        if args.mode == "direct-tls":
            with args.tls.wrap_socket(s, server_hostname=args.sni or None) as t:
                host = args.sni or args.target
                t.sendall(f"GET {args.path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
                return read_response(t)
        if args.mode in ("direct", "direct-http"):
            s.sendall(f"GET {args.path} HTTP/1.1\r\nHost: {args.target}\r\nConnection: close\r\n\r\n".encode())
        elif args.mode == "connect":
            s.sendall(f"CONNECT {args.target} HTTP/1.1\r\nHost: {args.target}\r\n\r\n".encode())
            head, _ = read_head(s)
            status = int(head.split(" ")[1])
            if status != 200:
                return status, head
            s.sendall(f"GET {args.path} HTTP/1.1\r\nHost: {args.target}\r\nConnection: close\r\n\r\n".encode())
        else:
            s.sendall(f"GET http://{args.target}{args.path} HTTP/1.1\r\nHost: {args.target}\r\n"
                      f"Connection: close\r\n\r\n".encode())
        return read_response(s)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--proxy", default="", help="host:port of the gateway's proxy (only for http, connect)")
    p.add_argument("--target", required=True, help="host:port of the origin")
    p.add_argument("--sni", default="origin.gwtb.test",
                   help="server name sent in direct-tls mode (default origin.gwtb.test; '' sends none)")
    p.add_argument("--path", default="/whoami")
    p.add_argument("--source", default="0.0.0.0")
    p.add_argument("--first-port", type=int, default=30000)
    p.add_argument("--count", type=int, default=400)
    p.add_argument("--mode", choices=["http", "connect", "direct", "direct-http", "direct-tls", "echo"],
                   default="http",
                   help="http: absolute-form GET via the proxy; connect: GET inside a CONNECT tunnel;"
                        " direct-http (or direct): no proxy, GET straight to the target (its route is the"
                        " gateway); direct-tls: the same over TLS with --sni; echo: the origin's echo port")
    p.add_argument("--rate", type=float, default=0, help="connections per second (0: back to back)")
    p.add_argument("--timeout", type=float, default=10, help="seconds for each connection")
    p.add_argument("--max-time", type=float, default=600,
                   help="no connection starts after this many seconds (default 600)")
    args = p.parse_args()
    if args.mode not in DIRECT and not args.proxy:
        p.error(f"--mode {args.mode} needs --proxy")
    args.tls = tls_client()
    ok, statuses, errors, failed = {}, {}, [], 0
    lock = threading.Lock()
    start = time.monotonic()

    def attempt(i):
        nonlocal failed
        if args.rate > 0:
            # Open-loop load: each connection starts on its schedule, whether or not earlier ones
            # have finished (a browser does not wait for a stalled connection before opening the next).
            delay = start + i / args.rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        port = args.first_port + i
        if time.monotonic() - start > args.max_time:
            with lock:
                failed += 1
                if len(errors) < 5:
                    errors.append(f"port {port}: not started within --max-time {args.max_time:g} s")
            return
        try:
            status, body = one(args, port)
            with lock:
                statuses[str(status)] = statuses.get(str(status), 0) + 1
                if status == 200:
                    ok[body] = ok.get(body, 0) + 1
                    return
                failed += 1
                if len(errors) < 5:
                    errors.append(f"port {port}: status {status}: {body[:600]}")
        except Exception as e:  # noqa: BLE001 - every failure is counted and reported
            with lock:
                failed += 1
                if len(errors) < 5:
                    errors.append(f"port {port}: {e}")

    if args.rate > 0:
        # Enough workers for every connection that can be open at once (rate x timeout), bounded.
        workers = max(1, min(256, int(args.rate * (args.timeout + 1)) + 1))
        with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(attempt, range(args.count)))
    else:
        for i in range(args.count):
            attempt(i)
    for body, n in sorted(ok.items()):
        print(f"ok {body.strip()} {n}")
    for code, n in sorted(statuses.items()):
        print(f"status {code} {n}")
    print(f"failed {failed}")
    for e in errors:
        print("error " + e.replace("\n", " ").replace("\r", " "))
    print(f"elapsed {time.monotonic() - start:.3f}")


if __name__ == "__main__":
    main()
