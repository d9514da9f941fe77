package gateway.app;

import static gateway.app.testing.GatewayProcess.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import gateway.app.testing.GatewayProcess;
import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.TestOrigin;
import gateway.proxy.testing.UrlBodies;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A memory tier configured as large as the JVM's direct memory (which defaults to the heap's size:
 * the README's -Xmx256m with the default cache.memory of 256 MiB is such a case). Its bodies and
 * the connections' buffers share that memory: once the tier was full, transfers broke off. The
 * gateway now makes the tier smaller, says so once, and goes on serving.
 */
class MemoryTierIT {
  static final int SIZE = 2 << 20;
  @TempDir Path dir;

  static void fetchChecked(int port, TestOrigin origin, String path) throws Exception {
    try (RawClient c = new RawClient(new InetSocketAddress("127.0.0.1", port))) {
      c.send("GET " + origin.url(path) + " HTTP/1.1\r\nHost: " + origin.authority() + "\r\n\r\n");
      RawClient.Response r = c.read();
      assertThat(r.status()).as(path).isEqualTo(200);
      assertThat(UrlBodies.firstDifference(path, SIZE, r.body()))
          .as("%s: first wrong byte (%d received)", path, r.body().length)
          .isEqualTo(-1);
    }
  }

  @Test
  void aFullMemoryTierLeavesTheConnectionsTheirBuffers() throws Exception {
    try (TestOrigin origin =
        TestOrigin.start(
            (ex, seen) -> {
              ex.getResponseHeaders().set("Cache-Control", "max-age=3600");
              ex.sendResponseHeaders(200, SIZE);
              try (OutputStream out = ex.getResponseBody()) {
                out.write(UrlBodies.of(seen.target(), SIZE));
              }
            })) {
      int port = freePort();
      Path config = dir.resolve("gateway.conf");
      Files.writeString(
          config,
          GatewayProcess.loopbackConfig(port, freePort(), origin.port(), dir.resolve("access.log"))
              + "cache.memory = 64MiB\n");
      GatewayProcess gateway = GatewayProcess.start(config, dir.resolve("gateway.out"), "-Xmx64m");
      try {
        gateway.awaitLine("gateway running");
        assertThat(gateway.output())
            .contains("cache.memory 64 MiB does not fit this JVM's direct memory");
        // 128 MiB of cacheable objects fill the tier and churn through it.
        for (int i = 0; i < 64; i++) {
          fetchChecked(port, origin, "/object/" + i);
        }
        // A popular object still gets in (the tier admits by frequency once it is full).
        for (int i = 0; i < 4; i++) {
          fetchChecked(port, origin, "/hot");
        }
        Path accessLog = dir.resolve("access.log");
        Awaitility.await()
            .atMost(10, TimeUnit.SECONDS)
            .until(() -> Files.exists(accessLog) && Files.readAllLines(accessLog).size() == 68);
        assertThat(Files.readAllLines(accessLog).subList(64, 68))
            .extracting(line -> line.trim().split(" +")[3])
            .endsWith("TCP_MEM_HIT/200");
        assertThat(gateway.isAlive()).isTrue();
      } finally {
        gateway.kill();
        gateway.waitFor(30);
      }
    }
  }
}
