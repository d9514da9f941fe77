package gateway.proxy.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP/1.1 origin on loopback (the JDK's server) that records every request it sees: method,
 * target, headers, body and the connection it came on. What it answers is up to the test.
 */
public final class TestOrigin implements AutoCloseable {
  /** One request as the origin received it. */
  public record Seen(
      String method,
      String target,
      Map<String, List<String>> headers,
      byte[] body,
      InetSocketAddress remote) {
    public String header(String name) {
      for (var e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return String.join(",", e.getValue());
        }
      }
      return null;
    }

    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** Answers one request. */
  @FunctionalInterface
  public interface Responder {
    void respond(HttpExchange exchange, Seen seen) throws IOException;
  }

  private final HttpServer server;
  private final LinkedBlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
  private final Set<InetSocketAddress> connections = ConcurrentHashMap.newKeySet();

  private TestOrigin(String host, Responder responder) throws IOException {
    server = HttpServer.create(new InetSocketAddress(host, 0), 64);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
              body = in.readAllBytes();
            }
            Seen s =
                new Seen(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().toString(),
                    Map.copyOf(exchange.getRequestHeaders()),
                    body,
                    exchange.getRemoteAddress());
            connections.add(exchange.getRemoteAddress());
            seen.add(s);
            responder.respond(exchange, s);
          }
        });
    server.start();
  }

  /** Answers every request with 200 and a body naming the method and target. */
  public static TestOrigin start() throws IOException {
    return start("127.0.0.1", TestOrigin::describe);
  }

  public static TestOrigin start(Responder responder) throws IOException {
    return start("127.0.0.1", responder);
  }

  public static TestOrigin start(String host, Responder responder) throws IOException {
    return new TestOrigin(host, responder);
  }

  public static void describe(HttpExchange ex, Seen s) throws IOException {
    send(
        ex,
        200,
        "text/plain",
        s.method() + " " + s.target() + " from " + s.remote().getAddress().getHostAddress());
  }

  public static void send(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(status, head ? -1 : bytes.length == 0 ? -1 : bytes.length);
    if (!head && bytes.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String url(String path) {
    return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + port() + path;
  }

  public String authority() {
    return server.getAddress().getAddress().getHostAddress() + ":" + port();
  }

  /** The next request the origin saw, waiting up to 5 s. */
  public Seen next() throws InterruptedException {
    Seen s = seen.poll(5, TimeUnit.SECONDS);
    if (s == null) {
      throw new AssertionError("the origin saw no request within 5 s");
    }
    return s;
  }

  public int requestsSeen() {
    return seen.size();
  }

  /** Distinct client connections (remote address and port) the origin served. */
  public int connections() {
    return connections.size();
  }

  @Override
  public void close() {
    server.stop(0);
    ((ExecutorService) server.getExecutor()).shutdownNow();
  }
}
