package gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.TestOrigin;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged gateway.jar as an admin runs it: start-up, SIGTERM drain, the access log file. */
class GatewayProcessIT {
  static final Path JAR = Path.of("target", "gateway.jar").toAbsolutePath();
  @TempDir Path dir;

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  Process start(Path config, Path output) throws IOException {
    return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-jar", JAR.toString(), "run", "--config", config.toString())
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
  }

  static void awaitLine(Path output, String text, Process p) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < until) {
      if (Files.readString(output).contains(text)) {
        return;
      }
      if (!p.isAlive()) {
        throw new AssertionError("gateway exited " + p.exitValue() + ":\n" + Files.readString(output));
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no '" + text + "' within 30 s:\n" + Files.readString(output));
  }

  @Test
  void sigtermLetsTheRequestInFlightFinishAndLeavesWholeLogLines() throws Exception {
    try (TestOrigin slow = TestOrigin.start((ex, seen) -> {
      try {
        Thread.sleep(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      TestOrigin.send(ex, 200, "text/plain", "finished after the drain began");
    })) {
      int port = freePort();
      Path accessLog = dir.resolve("access.log");
      Path config = dir.resolve("gateway.conf");
      // One uplink on loopback, probed at the origin: nothing leaves this machine.
      Files.writeString(config, """
          listen = "127.0.0.1:%d"
          admin.listen = "127.0.0.1:%d"
          clients.allow = ["127.0.0.0/8"]
          uplinks = [{ name = lo, address = "127.0.0.1" }]
          health.targets = ["tcp://127.0.0.1:%d"]
          log.access = "%s"
          shutdown.drain = 20s
          """.formatted(port, freePort(), slow.port(), accessLog));
      Path output = dir.resolve("gateway.out");
      Process gateway = start(config, output);
      try {
        awaitLine(output, "gateway running", gateway);
        try (RawClient client = new RawClient(new InetSocketAddress("127.0.0.1", port))) {
          client.send("GET " + slow.url("/slow") + " HTTP/1.1\r\nHost: " + slow.authority() + "\r\n\r\n");
          slow.next(); // the origin has the request
          gateway.destroy(); // SIGTERM
          awaitLine(output, "stopping: draining", gateway);

          RawClient.Response r = client.read();
          assertThat(r.status()).isEqualTo(200);
          assertThat(r.bodyText()).isEqualTo("finished after the drain began");
          assertThat(r.header("connection")).isEqualTo("close");
        }
        assertThat(newConnectionRefused(port)).as("new connections refused while draining").isTrue();
        assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).isTrue();
      } finally {
        gateway.destroyForcibly();
      }
      List<String> lines = Files.readAllLines(accessLog);
      assertThat(lines).hasSize(1);
      assertThat(lines.get(0)).matches(
          "\\d+\\.\\d{3} +\\d+ 127\\.0\\.0\\.1 TCP_MISS/200 \\d+ GET http://127\\.0\\.0\\.1:\\d+/slow - HIER_DIRECT/local text/plain");
      assertThat(Files.readString(accessLog)).endsWith("\n");
    }
  }

  static boolean newConnectionRefused(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      OutputStream out = s.getOutputStream();
      out.write("GET http://127.0.0.1:1/ HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      return s.getInputStream().read() == -1;
    } catch (IOException e) {
      return true;
    }
  }

  @Test
  void aBadConfigStopsStartUpWithFileLineMessage() throws Exception {
    Path config = dir.resolve("bad.conf");
    Files.writeString(config, "listen = \"127.0.0.1:3128\"\nhealth.interval = soon\n");
    Path output = dir.resolve("bad.out");
    Process gateway = start(config, output);
    assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(gateway.exitValue()).isEqualTo(1);
    assertThat(Files.readString(output)).contains("bad.conf:2: ");
  }

  /**
   * Run in a network namespace of its own that has only loopback: with no default route the embedded
   * default finds no uplink, so it probes nothing and no packet leaves the namespace.
   */
  @Test
  void withNoConfigTheEmbeddedDefaultServesLoopbackOn3128() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
        "needs root for a network namespace");
    String ns = "gwtb-embedded-" + ProcessHandle.current().pid();
    run("ip", "netns", "add", ns);
    Process origin = null;
    Process gateway = null;
    try {
      run("ip", "-n", ns, "link", "set", "lo", "up");
      Path www = Files.createDirectories(dir.resolve("www"));
      Files.writeString(www.resolve("hello.txt"), "hello through the embedded default\n");
      origin = new ProcessBuilder("ip", "netns", "exec", ns, "python3", "-m", "http.server", "18088",
          "--bind", "127.0.0.1", "--directory", www.toString()).redirectErrorStream(true)
          .redirectOutput(dir.resolve("origin.out").toFile()).start();
      Path output = dir.resolve("default.out");
      gateway = new ProcessBuilder("ip", "netns", "exec", ns,
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar",
          JAR.toString()).redirectErrorStream(true).redirectOutput(output.toFile()).start();
      awaitLine(output, "gateway running from embedded default", gateway);

      String body = "";
      for (int i = 0; i < 50 && !body.contains("hello"); i++) {
        body = run("ip", "netns", "exec", ns, "curl", "-sS", "-m", "5", "-x", "http://127.0.0.1:3128",
            "http://127.0.0.1:18088/hello.txt");
        Thread.sleep(100);
      }
      assertThat(body).isEqualTo("hello through the embedded default\n");
      gateway.destroy();
      assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String log = Files.readString(output);
      assertThat(log).contains("no uplinks configured and no default route found");
      // The embedded default writes the access log to standard output.
      assertThat(log).contains("TCP_MISS/200").contains("http://127.0.0.1:18088/hello.txt");
    } finally {
      for (Process p : new Process[] {gateway, origin}) {
        if (p != null) {
          p.destroyForcibly();
          p.waitFor(10, TimeUnit.SECONDS);
        }
      }
      run("ip", "netns", "del", ns);
    }
  }

  static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", cmd) + " did not finish");
    }
    return out;
  }
}
