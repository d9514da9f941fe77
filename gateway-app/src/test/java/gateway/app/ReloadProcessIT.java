package gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.TestOrigin;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGHUP to the packaged gateway.jar: the access rules and limits of the file as it is now take over;
 * a file with a problem changes nothing and the problem is logged as {@code file:line: message}.
 */
class ReloadProcessIT {
  @TempDir Path dir;

  @Test
  void sighupAppliesTheNewRulesAndABadFileKeepsThem() throws Exception {
    try (TestOrigin origin = TestOrigin.start()) {
      int port = GatewayProcessIT.freePort();
      Path config = dir.resolve("gateway.conf");
      String base = """
          listen = "127.0.0.1:%d"
          admin.listen = "127.0.0.1:%d"
          clients.allow = ["127.0.0.0/8"]
          uplinks = [{ name = lo, address = "127.0.0.1" }]
          health.targets = ["tcp://127.0.0.1:%d"]
          log.access = "%s"
          """.formatted(port, GatewayProcessIT.freePort(), origin.port(), dir.resolve("access.log"));
      Files.writeString(config, base);
      Path output = dir.resolve("gateway.out");
      Process gateway = new ProcessBuilder(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar",
          GatewayProcessIT.JAR.toString(), "run", "--config", config.toString())
          .redirectErrorStream(true).redirectOutput(output.toFile()).start();
      try {
        GatewayProcessIT.awaitLine(output, "gateway running", gateway);
        assertThat(status(port, origin)).isEqualTo(200);

        Files.writeString(config, base + """
            clients.groups = [{ name = here, networks = ["127.0.0.0/8"] }]
            access = [
              { name = closed-for-tests, action = deny, clients = [here], ports = [%d] }
            ]
            """.formatted(origin.port()));
        hangup(gateway);
        GatewayProcessIT.awaitLine(output, "reloaded " + config, gateway);
        assertThat(status(port, origin)).as("denied by the new rule").isEqualTo(403);

        Files.writeString(config, base + """
            access = [
              { name = broken, action = deny, ports = [eighty] }
            ]
            """);
        hangup(gateway);
        GatewayProcessIT.awaitLine(output, "reload refused", gateway);
        assertThat(Files.readString(output))
            .contains(config + ":8: access[0].ports[0]: expected a whole number, found 'eighty'");
        assertThat(status(port, origin)).as("the rule in force stays").isEqualTo(403);
      } finally {
        gateway.destroy();
        gateway.waitFor(30, TimeUnit.SECONDS);
        gateway.destroyForcibly();
      }
      assertThat(Files.readString(dir.resolve("access.log")))
          .as("the denied line names the rule after the content type")
          .containsPattern("TCP_DENIED/403 \\d+ GET http://127\\.0\\.0\\.1:\\d+/ - HIER_NONE/- text/html"
              + "(;[^ ]*)? closed-for-tests\n");
    }
  }

  static int status(int proxyPort, TestOrigin origin) throws Exception {
    try (RawClient c = new RawClient(new InetSocketAddress("127.0.0.1", proxyPort))) {
      c.send("GET " + origin.url("/") + " HTTP/1.1\r\nHost: " + origin.authority()
          + "\r\nConnection: close\r\n\r\n");
      return c.read().status();
    }
  }

  static void hangup(Process p) throws Exception {
    Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }
}
