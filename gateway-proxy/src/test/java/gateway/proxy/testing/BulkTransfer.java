package gateway.proxy.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bulk bytes for bandwidth tests: origins that send or swallow a given number of bytes as fast as
 * they can, clients from a chosen loopback address, and a reader that measures the rate a transfer
 * reached after its first bytes (the initial burst of a token bucket and the socket buffers are
 * left out).
 */
public final class BulkTransfer {
  private BulkTransfer() {}

  /**
   * An origin that answers every request with {@code size} bytes of application/octet-stream, on a
   * connection it keeps open until the proxy closes it. Kept open because the rate tests measure
   * the limit, not the end of a connection: an origin that closes right after its last byte has the
   * rest of the body in the proxy's receive buffer by the time its end arrives, and Netty then
   * reads all of that at once, unasked (charged to the client's buckets and paid back by its next
   * bytes; see ReadGate), so the last megabytes of such a transfer would run faster than the limit.
   */
  public static RawOrigin sendingOrigin(long size) throws IOException {
    return RawOrigin.start(
        socket -> {
          InputStream in = socket.getInputStream();
          OutputStream out = socket.getOutputStream();
          while (requestHead(in)) {
            out.write(
                ("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                        + size
                        + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            write(out, size);
          }
        });
  }

  /** Reads a request head (no body); false when the connection ended instead. */
  private static boolean requestHead(InputStream in) throws IOException {
    int matched = 0;
    int c;
    while (matched < 4) {
      if ((c = in.read()) == -1) {
        return false;
      }
      matched = (c == "\r\n\r\n".charAt(matched)) ? matched + 1 : (c == '\r' ? 1 : 0);
    }
    return true;
  }

  /**
   * A raw TCP server (a tunnel's target) that sends {@code size} bytes to whoever connects, then
   * closes once the client has said it has them all (a byte, or its own end): closing at once would
   * let the tail of the transfer run unlimited (see {@link #sendingOrigin}).
   */
  public static RawOrigin sendingTarget(long size) throws IOException {
    return RawOrigin.start(
        socket -> {
          write(socket.getOutputStream(), size);
          socket.getInputStream().read();
        });
  }

  /**
   * An origin that reads each request's body of {@code size} bytes, measuring the rate after the
   * first {@code warmup} bytes into {@code rate} (bytes per second), and answers 204.
   */
  public static RawOrigin receivingOrigin(long size, long warmup, AtomicLong rate)
      throws IOException {
    return RawOrigin.start(
        socket -> {
          RawOrigin.readHead(socket);
          rate.set(Math.round(measure(socket.getInputStream(), size, warmup, new AtomicLong())));
          socket
              .getOutputStream()
              .write(
                  "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"
                      .getBytes(StandardCharsets.ISO_8859_1));
        });
  }

  /**
   * A raw TCP server (a tunnel's target) that reads {@code size} bytes from whoever connects,
   * measuring the rate after the first {@code warmup} into {@code rate}, then sends one byte back.
   */
  public static RawOrigin receivingTarget(long size, long warmup, AtomicLong rate)
      throws IOException {
    return RawOrigin.start(
        socket -> {
          rate.set(Math.round(measure(socket.getInputStream(), size, warmup, new AtomicLong())));
          socket.getOutputStream().write('k');
          socket.getOutputStream().flush();
        });
  }

  /**
   * A raw TCP server (a tunnel's target) for uploads of several clients at once: each connection
   * first sends a tag byte, the index of the counter its bytes go to; then its {@code size} bytes
   * are read, each piece added to {@code counters[tag]} as it comes, and one byte goes back.
   */
  public static RawOrigin countingTarget(long size, AtomicLong... counters) throws IOException {
    return RawOrigin.start(
        socket -> {
          InputStream in = socket.getInputStream();
          measure(in, size, 0, counters[in.read()]);
          socket.getOutputStream().write('k');
          socket.getOutputStream().flush();
        });
  }

  /** Writes {@code size} bytes in 64 KiB pieces. */
  public static void write(OutputStream out, long size) throws IOException {
    byte[] chunk = new byte[64 * 1024];
    for (int i = 0; i < chunk.length; i++) {
      chunk[i] = (byte) (i * 31);
    }
    long left = size;
    while (left > 0) {
      int n = (int) Math.min(chunk.length, left);
      out.write(chunk, 0, n);
      left -= n;
    }
    out.flush();
  }

  /**
   * Reads exactly {@code size} bytes, adding each piece to {@code counter}, and returns the rate in
   * bytes per second from the moment {@code warmup} bytes had come to the last byte.
   */
  public static double measure(InputStream in, long size, long warmup, AtomicLong counter)
      throws IOException {
    byte[] buf = new byte[64 * 1024];
    long got = 0;
    long markNanos = 0;
    long markBytes = 0;
    while (got < size) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, size - got));
      if (n < 0) {
        throw new IOException("ended after " + got + " of " + size + " bytes");
      }
      got += n;
      counter.addAndGet(n);
      if (markNanos == 0 && got >= warmup) {
        markNanos = System.nanoTime();
        markBytes = got;
      }
    }
    double seconds = (System.nanoTime() - markNanos) / 1e9;
    return (got - markBytes) / seconds;
  }

  /** A socket to the proxy from {@code source} (a loopback address like 127.0.0.5). */
  public static Socket connectFrom(String source, InetSocketAddress proxy) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
    s.connect(proxy, 5000);
    s.setSoTimeout(30_000);
    return s;
  }

  /** Reads a response head (through the empty line) and returns it. */
  public static String readHead(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      b.append((char) c);
      if (b.length() >= 4 && b.substring(b.length() - 4).equals("\r\n\r\n")) {
        return b.toString();
      }
    }
    throw new IOException("connection closed in the response head: " + b);
  }
}
