package gateway.app;

import static gateway.app.testing.GatewayProcess.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import gateway.app.testing.GatewayProcess;
import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.TestOrigin;
import gateway.proxy.testing.UrlBodies;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged gateway killed with SIGKILL while it writes large objects to its disk cache, then
 * started again on the same cache directory: every object is served with exactly the origin's
 * bytes, from the disk when it was completely stored before the kill, from the origin again when
 * the kill cut it off. Nothing truncated or damaged is ever served.
 *
 * <p>The origin's bodies are derived from their URL, so the client checks every byte on its own.
 * Some objects are fetched whole before the kill; for the others the origin sends half and then
 * holds back the rest until the gateway is dead, so the kill lands in the middle of their writes.
 */
class CacheCrashIT {
  static final int SIZE = 24 << 20;
  static final int HALF = SIZE / 2;
  static final List<String> COMPLETE = List.of("/complete/1", "/complete/2", "/complete/3");
  static final List<String> CUT_OFF = List.of("/cut-off/1", "/cut-off/2", "/cut-off/3");

  @TempDir Path dir;
  final Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
  final CountDownLatch killed = new CountDownLatch(1);

  int served(String path) {
    AtomicInteger n = served.get(path);
    return n == null ? 0 : n.get();
  }

  /** Serves {@link #SIZE} bytes derived from the path, cacheable for an hour. */
  TestOrigin startOrigin() throws IOException {
    return TestOrigin.start(
        (ex, seen) -> {
          String path = seen.target();
          served.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
          byte[] body = UrlBodies.of(path, SIZE);
          ex.getResponseHeaders().set("Cache-Control", "max-age=3600");
          ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
          ex.sendResponseHeaders(200, SIZE);
          try (OutputStream out = ex.getResponseBody()) {
            int at = 0;
            if (path.startsWith("/cut-off/") && killed.getCount() > 0) {
              out.write(body, 0, HALF);
              out.flush();
              at = HALF;
              killed.await(60, TimeUnit.SECONDS);
            }
            for (; at < SIZE; at += 1 << 20) {
              out.write(body, at, Math.min(1 << 20, SIZE - at));
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
  }

  /** A config for one run: loopback only, the one uplink probed at the origin, the shared cache. */
  Path config(String run, TestOrigin origin, int port) throws IOException {
    Path config = dir.resolve(run + ".conf");
    Files.writeString(
        config,
        GatewayProcess.loopbackConfig(
                port, freePort(), origin.port(), dir.resolve(run + ".access.log"))
            + """
        cache {
          memory = 8MiB
          disk { path = "%s", size = 1GiB }
          max-object-size = 256MiB
        }
        """
                .formatted(dir.resolve("cache")));
    return config;
  }

  GatewayProcess start(String run, TestOrigin origin, int port) throws Exception {
    GatewayProcess gateway =
        GatewayProcess.start(config(run, origin, port), dir.resolve(run + ".out"), "-Xmx256m");
    gateway.awaitLine("gateway running");
    return gateway;
  }

  static RawClient ask(int port, TestOrigin origin, String path) throws IOException {
    RawClient c = new RawClient(new InetSocketAddress("127.0.0.1", port));
    c.send("GET " + origin.url(path) + " HTTP/1.1\r\nHost: " + origin.authority() + "\r\n\r\n");
    return c;
  }

  /** Fetches {@code path} whole and checks every byte against what the origin derives from it. */
  static void fetchChecked(int port, TestOrigin origin, String path) throws IOException {
    try (RawClient c = ask(port, origin, path)) {
      RawClient.Response r = c.read();
      assertThat(r.status()).as(path).isEqualTo(200);
      assertThat(UrlBodies.firstDifference(path, SIZE, r.body()))
          .as("first wrong byte of %s (%d bytes received)", path, r.body().length)
          .isEqualTo(-1);
    }
  }

  List<Path> files(String folder) throws IOException {
    Path root = dir.resolve("cache").resolve(folder);
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).toList();
    }
  }

  /**
   * The cache action (TCP_HIT, TCP_MISS, ...) the access log gives each URL path, once all are in.
   */
  static Map<String, String> actions(Path accessLog, TestOrigin origin, int lines) {
    Awaitility.await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> Files.exists(accessLog) && Files.readAllLines(accessLog).size() >= lines);
    Map<String, String> actions = new HashMap<>();
    try {
      for (String line : Files.readAllLines(accessLog)) {
        // 1764178488.123     12 127.0.0.1 TCP_HIT/200 25165954 GET
        // http://127.0.0.1:41234/complete/1 ...
        String[] f = line.trim().split(" +");
        String path = f[6].substring(origin.url("").length());
        actions.merge(path, f[3].split("/")[0], (a, b) -> a + "," + b);
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return actions;
  }

  @Test
  void aGatewayKilledWhileWritingLargeObjectsServesOnlyWholeOnesAfterARestart() throws Exception {
    try (TestOrigin origin = startOrigin()) {
      int port = freePort();
      GatewayProcess gateway = start("before", origin, port);
      List<RawClient> cutOff = new ArrayList<>();
      try {
        for (String path : COMPLETE) {
          fetchChecked(port, origin, path);
        }
        // Whole objects become visible once synced and renamed into place.
        Awaitility.await()
            .atMost(20, TimeUnit.SECONDS)
            .until(() -> files("objects").size() == COMPLETE.size());
        for (String path : CUT_OFF) {
          RawClient c = ask(port, origin, path);
          cutOff.add(c);
          assertThat(c.readHead().status()).isEqualTo(200);
          // The gateway writes each part to its cache file before it sends it on.
          byte[] half = c.input().readNBytes(HALF);
          assertThat(Arrays.equals(half, Arrays.copyOf(UrlBodies.of(path, SIZE), HALF))).isTrue();
        }
        List<Path> halfWritten = files("tmp");
        assertThat(halfWritten).as("an unfinished file per cut-off object").hasSize(CUT_OFF.size());
        for (Path file : halfWritten) {
          assertThat(Files.size(file)).isGreaterThanOrEqualTo(HALF).isLessThan(SIZE);
        }

        gateway.kill(); // SIGKILL
        assertThat(gateway.waitFor(30)).isTrue();
      } finally {
        gateway.kill();
        killed.countDown();
        for (RawClient c : cutOff) {
          c.close();
        }
      }
      assertThat(files("objects")).hasSize(COMPLETE.size());
      assertThat(files("tmp")).as("left by the kill").hasSize(CUT_OFF.size());

      port = freePort();
      gateway = start("after", origin, port);
      try {
        assertThat(gateway.output())
            .contains(COMPLETE.size() + " objects")
            .contains("0 damaged files deleted");
        for (String path : COMPLETE) {
          fetchChecked(port, origin, path);
        }
        for (String path : CUT_OFF) {
          fetchChecked(port, origin, path);
        }
        Map<String, String> actions =
            actions(dir.resolve("after.access.log"), origin, COMPLETE.size() + CUT_OFF.size());
        for (String path : COMPLETE) {
          assertThat(actions.get(path))
              .as("stored whole before the kill: " + path)
              .isEqualTo("TCP_HIT");
          assertThat(served(path)).as("origin asked for " + path).isOne();
        }
        for (String path : CUT_OFF) {
          assertThat(actions.get(path)).as("cut off by the kill: " + path).isEqualTo("TCP_MISS");
          assertThat(served(path)).as("origin asked for " + path).isEqualTo(2);
        }
        // Stored whole this time: the cache works on after the crash.
        Awaitility.await()
            .atMost(20, TimeUnit.SECONDS)
            .until(() -> files("objects").size() == COMPLETE.size() + CUT_OFF.size());
        fetchChecked(port, origin, CUT_OFF.get(0));
        assertThat(actions(dir.resolve("after.access.log"), origin, 7).get(CUT_OFF.get(0)))
            .isEqualTo("TCP_MISS,TCP_HIT");
      } finally {
        gateway.kill();
        gateway.waitFor(30);
      }
    }
  }
}
