package gateway.app;

import static gateway.app.testing.GatewayProcess.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import gateway.app.testing.GatewayProcess;
import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.TestOrigin;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged gateway.jar as an admin runs it: start-up, SIGTERM drain, the access log file. */
class GatewayProcessIT {
  @TempDir Path dir;

  @Test
  void sigtermLetsTheRequestInFlightFinishAndLeavesWholeLogLines() throws Exception {
    try (TestOrigin slow =
        TestOrigin.start(
            (ex, seen) -> {
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
      Files.writeString(
          config,
          GatewayProcess.loopbackConfig(port, freePort(), slow.port(), accessLog)
              + "shutdown.drain = 20s\n");
      GatewayProcess gateway = GatewayProcess.start(config, dir.resolve("gateway.out"), "-Xmx256m");
      try {
        gateway.awaitLine("gateway running");
        try (RawClient client = new RawClient(new InetSocketAddress("127.0.0.1", port))) {
          client.send(
              "GET " + slow.url("/slow") + " HTTP/1.1\r\nHost: " + slow.authority() + "\r\n\r\n");
          slow.next(); // the origin has the request
          gateway.terminate(); // SIGTERM
          gateway.awaitLine("stopping: draining");

          RawClient.Response r = client.read();
          assertThat(r.status()).isEqualTo(200);
          assertThat(r.bodyText()).isEqualTo("finished after the drain began");
          assertThat(r.header("connection")).isEqualTo("close");
        }
        assertThat(newConnectionRefused(port))
            .as("new connections refused while draining")
            .isTrue();
        assertThat(gateway.waitFor(30)).isTrue();
      } finally {
        gateway.kill();
      }
      List<String> lines = Files.readAllLines(accessLog);
      assertThat(lines).hasSize(1);
      assertThat(lines.get(0))
          .matches(
              "\\d+\\.\\d{3} +\\d+ 127\\.0\\.0\\.1 TCP_MISS/200 \\d+ GET http://127\\.0\\.0\\.1:\\d+/slow - HIER_DIRECT/local text/plain");
      assertThat(Files.readString(accessLog)).endsWith("\n");
    }
  }

  static boolean newConnectionRefused(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      OutputStream out = s.getOutputStream();
      out.write(
          "GET http://127.0.0.1:1/ HTTP/1.1\r\nHost: x\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      return s.getInputStream().read() == -1;
    } catch (IOException e) {
      return true;
    }
  }

  @Test
  void aBadConfigStopsStartUpWithFileLineMessage() throws Exception {
    Path config = dir.resolve("bad.conf");
    Files.writeString(config, "listen = \"127.0.0.1:3128\"\nhealth.interval = soon\n");
    GatewayProcess gateway = GatewayProcess.start(config, dir.resolve("bad.out"), "-Xmx256m");
    assertThat(gateway.waitFor(30)).isTrue();
    assertThat(gateway.exitValue()).isEqualTo(1);
    assertThat(gateway.output()).contains("bad.conf:2: ");
  }

  /**
   * Run in a network namespace of its own that has only loopback: with no default route the
   * embedded default finds no uplink, so it probes nothing and no packet leaves the namespace.
   */
  @Test
  void withNoConfigTheEmbeddedDefaultServesLoopbackOn3128() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")), "needs root for a network namespace");
    String ns = "gwtb-embedded-" + ProcessHandle.current().pid();
    run("ip", "netns", "add", ns);
    Process origin = null;
    GatewayProcess gateway = null;
    try {
      run("ip", "-n", ns, "link", "set", "lo", "up");
      Path www = Files.createDirectories(dir.resolve("www"));
      Files.writeString(www.resolve("hello.txt"), "hello through the embedded default\n");
      origin =
          new ProcessBuilder(
                  "ip",
                  "netns",
                  "exec",
                  ns,
                  "python3",
                  "-m",
                  "http.server",
                  "18088",
                  "--bind",
                  "127.0.0.1",
                  "--directory",
                  www.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("origin.out").toFile())
              .start();
      List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns));
      command.addAll(GatewayProcess.javaJar(List.of("-Xmx256m")));
      gateway = GatewayProcess.start(command, dir.resolve("default.out"));
      gateway.awaitLine("gateway running from embedded default");

      String body = "";
      for (int i = 0; i < 50 && !body.contains("hello"); i++) {
        body =
            run(
                "ip",
                "netns",
                "exec",
                ns,
                "curl",
                "-sS",
                "-m",
                "5",
                "-x",
                "http://127.0.0.1:3128",
                "http://127.0.0.1:18088/hello.txt");
        Thread.sleep(100);
      }
      assertThat(body).isEqualTo("hello through the embedded default\n");
      gateway.terminate();
      assertThat(gateway.waitFor(30)).isTrue();
      String log = gateway.output();
      assertThat(log).contains("no uplinks configured and no default route found");
      // The embedded default writes the access log to standard output.
      assertThat(log).contains("TCP_MISS/200").contains("http://127.0.0.1:18088/hello.txt");
    } finally {
      if (gateway != null) {
        gateway.kill();
        gateway.waitFor(10);
      }
      if (origin != null) {
        origin.destroyForcibly();
        origin.waitFor(10, TimeUnit.SECONDS);
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
