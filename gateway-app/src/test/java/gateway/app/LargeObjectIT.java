package gateway.app;

import static gateway.app.testing.GatewayProcess.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import gateway.app.testing.GatewayProcess;
import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.TestOrigin;
import gateway.proxy.testing.UrlBodies;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An object larger than the gateway's whole Java heap (and so its direct-memory limit, which
 * defaults to the heap's size) goes through a miss into the disk cache and comes back as a hit: it
 * is streamed, never held whole.
 */
class LargeObjectIT {
  static final int HEAP_MIB = 48;
  static final int SIZE = 160 << 20;
  static final int PIECE = 1 << 20;

  @TempDir Path dir;

  /** Checks a body as it arrives, a piece at a time, without holding it whole either. */
  static void readChecked(InputStream in, String path) throws IOException {
    byte[] want = UrlBodies.of(path, SIZE);
    byte[] piece = new byte[PIECE];
    for (int at = 0; at < SIZE; at += PIECE) {
      int n = in.readNBytes(piece, 0, Math.min(PIECE, SIZE - at));
      assertThat(n).as("bytes at %d", at).isEqualTo(Math.min(PIECE, SIZE - at));
      for (int i = 0; i < n; i++) {
        if (piece[i] != want[at + i]) {
          throw new AssertionError("wrong byte at " + (at + i));
        }
      }
    }
  }

  @Test
  void anObjectLargerThanTheGatewaysHeapIsStoredOnDiskAndServedAsAHit() throws Exception {
    String path = "/large/" + SIZE;
    byte[] body = UrlBodies.of(path, SIZE);
    AtomicInteger served = new AtomicInteger();
    try (TestOrigin origin =
        TestOrigin.start(
            (ex, seen) -> {
              served.incrementAndGet();
              ex.getResponseHeaders().set("Cache-Control", "max-age=3600");
              ex.sendResponseHeaders(200, SIZE);
              try (OutputStream out = ex.getResponseBody()) {
                for (int at = 0; at < SIZE; at += PIECE) {
                  out.write(body, at, PIECE);
                }
              }
            })) {
      int port = freePort();
      int adminPort = freePort();
      Path accessLog = dir.resolve("access.log");
      Path config = dir.resolve("gateway.conf");
      Files.writeString(
          config,
          GatewayProcess.loopbackConfig(port, adminPort, origin.port(), accessLog)
              + """
          cache {
            memory = 8MiB
            disk { path = "%s", size = 1GiB }
            max-object-size = 512MiB
          }
          """
                  .formatted(dir.resolve("cache")));
      try (GatewayProcess gateway =
          GatewayProcess.start(config, dir.resolve("gateway.out"), "-Xmx" + HEAP_MIB + "m")) {
        gateway.awaitLine("gateway running");
        for (int i = 0; i < 2; i++) {
          try (RawClient c = new RawClient(new InetSocketAddress("127.0.0.1", port))) {
            c.send(
                "GET "
                    + origin.url(path)
                    + " HTTP/1.1\r\nHost: "
                    + origin.authority()
                    + "\r\n\r\n");
            RawClient.Response head = c.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(SIZE));
            readChecked(c.input(), path);
          }
          if (i == 0) {
            // Stored means visible to lookups, which comes a moment after the file is renamed into
            // place: wait for the store's own count, not for the file.
            HttpClient admin = HttpClient.newHttpClient();
            URI status = URI.create("http://127.0.0.1:" + adminPort + "/api/status");
            Awaitility.await()
                .atMost(20, TimeUnit.SECONDS)
                .until(
                    () ->
                        admin
                            .send(
                                HttpRequest.newBuilder(status).build(),
                                HttpResponse.BodyHandlers.ofString())
                            .body()
                            .contains("\"diskObjects\":1,"));
          }
        }
        Awaitility.await()
            .atMost(10, TimeUnit.SECONDS)
            .until(() -> Files.exists(accessLog) && Files.readAllLines(accessLog).size() == 2);
        List<String> lines = Files.readAllLines(accessLog);
        assertThat(lines.get(0)).contains(" TCP_MISS/200 ");
        assertThat(lines.get(1)).contains(" TCP_HIT/200 ");
        assertThat(served.get()).isOne();
        assertThat(gateway.isAlive()).isTrue();
        assertThat(gateway.output()).doesNotContain("OutOfMemoryError");
      }
    }
  }
}
