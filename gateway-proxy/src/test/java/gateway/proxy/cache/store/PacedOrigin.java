package gateway.proxy.cache.store;

import gateway.proxy.testing.RawOrigin;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An origin serving one cacheable body of declared length. The first request's body goes out only
 * as far as the test lets it ({@link #sendUpTo}), or the connection breaks when the test says; the
 * origin notes when the proxy closes that first connection. Later requests get the whole body at
 * once. The body goes with its length declared, or {@linkplain #chunked chunked} (its length
 * unknown ahead).
 */
final class PacedOrigin implements AutoCloseable {
  private static final int BREAK = -1;

  private final byte[] body;
  private final boolean chunked;
  private final RawOrigin raw;
  private final BlockingQueue<Integer> releases = new LinkedBlockingQueue<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final CountDownLatch closedByProxy = new CountDownLatch(1);

  /** The origin is closing the first connection itself: not the proxy's doing. */
  private volatile boolean closingItself;

  private PacedOrigin(byte[] body, boolean chunked) throws IOException {
    this.body = body;
    this.chunked = chunked;
    this.raw = RawOrigin.start(this::serve);
  }

  static PacedOrigin start(byte[] body) throws IOException {
    return new PacedOrigin(body, false);
  }

  /** The same with the body sent chunked: one chunk for each part the test lets go. */
  static PacedOrigin chunked(byte[] body) throws IOException {
    return new PacedOrigin(body, true);
  }

  String url(String path) {
    return "http://127.0.0.1:" + raw.port() + path;
  }

  String authority() {
    return "127.0.0.1:" + raw.port();
  }

  /** Requests that reached the origin. */
  int requests() {
    return requests.get();
  }

  /** Lets the first response's body go out up to {@code offset} (exclusive). */
  void sendUpTo(int offset) {
    releases.add(offset);
  }

  void sendRest() {
    releases.add(body.length);
  }

  /** Ends the first connection mid-body with a reset, as a failing origin or path would. */
  void breakConnection() {
    releases.add(BREAK);
  }

  /** Whether the proxy closed the first connection within 5 s. */
  boolean closedByProxy() throws InterruptedException {
    return closedByProxy.await(5, TimeUnit.SECONDS);
  }

  private void serve(Socket socket) throws Exception {
    RawOrigin.readHead(socket);
    boolean first = requests.incrementAndGet() == 1;
    OutputStream out = socket.getOutputStream();
    out.write(
        ("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                + "Cache-Control: max-age=600\r\n"
                + (chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + body.length)
                + "\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    if (!first) {
      part(out, 0, body.length);
      out.flush();
      return;
    }
    out.flush();
    watchForClose(socket);
    try {
      int sent = 0;
      while (sent < body.length) {
        int upTo = releases.take();
        if (upTo == BREAK) {
          socket.setSoLinger(true, 0);
          return;
        }
        part(out, sent, upTo);
        out.flush();
        sent = upTo;
      }
      // All sent: the proxy decides when this connection ends.
      closedByProxy.await(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      // Only the proxy's end of the connection makes a write fail.
      closedByProxy.countDown();
    } finally {
      closingItself = true;
    }
  }

  /**
   * Writes the body from {@code from} up to {@code to}; chunked, the last part ends the body too.
   */
  private void part(OutputStream out, int from, int to) throws IOException {
    if (!chunked) {
      out.write(body, from, to - from);
      return;
    }
    out.write((Integer.toHexString(to - from) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.write(body, from, to - from);
    out.write((to == body.length ? "\r\n0\r\n\r\n" : "\r\n").getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Counts the proxy's close (end of stream or reset), but not the origin's own. */
  private void watchForClose(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    Thread t =
        new Thread(
            () -> {
              try {
                while (in.read() != -1) {
                  // the proxy sends nothing more on this connection
                }
                closedByProxy.countDown();
              } catch (IOException e) {
                if (!closingItself) {
                  closedByProxy.countDown();
                }
              }
            },
            "paced-origin-watcher");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    raw.close();
  }
}
