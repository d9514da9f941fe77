package gateway.pcc.health;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP origin on 127.0.0.1 that answers every request with one fixed status and no body, except
 * to clients from a "shunned" source address, whose connections it closes at once without a word.
 * Counts, per source address, the requests answered and the connections shunned.
 */
final class TinyHttpOrigin implements AutoCloseable {
  private final ServerSocket server;
  private final int status;
  private final Set<String> shunned = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> answered = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> shunnedCount = new ConcurrentHashMap<>();
  private final List<String> requestLines = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  TinyHttpOrigin(int status) throws IOException {
    this.status = status;
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress("127.0.0.1", 0));
    acceptor = new Thread(this::accept, "tiny-http-origin");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  void shun(String address) {
    shunned.add(address);
  }

  void welcome(String address) {
    shunned.remove(address);
  }

  int answered(String address) {
    return answered.computeIfAbsent(address, a -> new AtomicInteger()).get();
  }

  int shunned(String address) {
    return shunnedCount.computeIfAbsent(address, a -> new AtomicInteger()).get();
  }

  List<String> requestLines() {
    return requestLines;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Thread t = new Thread(() -> serve(s), "tiny-http-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      InetAddress from = s.getInetAddress();
      String a = from.getHostAddress();
      if (shunned.contains(a)) {
        shunnedCount.computeIfAbsent(a, k -> new AtomicInteger()).incrementAndGet();
        return;
      }
      InputStream in = s.getInputStream();
      String head = readHead(in);
      requestLines.add(head.lines().findFirst().orElse(""));
      answered.computeIfAbsent(a, k -> new AtomicInteger()).incrementAndGet();
      OutputStream out = s.getOutputStream();
      out.write(
          ("HTTP/1.1 " + status + " Whatever\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
    } catch (IOException e) {
      // the probe hung up: fine
    }
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      b.append((char) c);
      if (b.length() >= 4 && b.substring(b.length() - 4).equals("\r\n\r\n")) {
        break;
      }
    }
    return b.toString();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
