package gateway.app;

import static gateway.app.testing.GatewayProcess.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import gateway.app.testing.GatewayProcess;
import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.TestOrigin;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGHUP to the packaged gateway.jar: the access rules and limits of the file as it is now take
 * over; a file with a problem changes nothing and the problem is logged as {@code file:line:
 * message}.
 */
class ReloadProcessIT {
  @TempDir Path dir;

  @Test
  void sighupAppliesTheNewRulesAndABadFileKeepsThem() throws Exception {
    try (TestOrigin origin = TestOrigin.start()) {
      int port = freePort();
      Path config = dir.resolve("gateway.conf");
      String base =
          GatewayProcess.loopbackConfig(port, freePort(), origin.port(), dir.resolve("access.log"));
      Files.writeString(config, base);
      try (GatewayProcess gateway =
          GatewayProcess.start(config, dir.resolve("gateway.out"), "-Xmx256m")) {
        gateway.awaitLine("gateway running");
        assertThat(status(port, origin)).isEqualTo(200);

        Files.writeString(
            config,
            base
                + """
            clients.groups = [{ name = here, networks = ["127.0.0.0/8"] }]
            access = [
              { name = closed-for-tests, action = deny, clients = [here], ports = [%d] }
            ]
            """
                    .formatted(origin.port()));
        gateway.hangup();
        gateway.awaitLine("reloaded " + config);
        assertThat(status(port, origin)).as("denied by the new rule").isEqualTo(403);

        Files.writeString(
            config,
            base
                + """
            access = [
              { name = broken, action = deny, ports = [eighty] }
            ]
            """);
        gateway.hangup();
        gateway.awaitLine("reload refused");
        assertThat(gateway.output())
            .contains(config + ":8: access[0].ports[0]: expected a whole number, found 'eighty'");
        assertThat(status(port, origin)).as("the rule in force stays").isEqualTo(403);
      }
      assertThat(Files.readString(dir.resolve("access.log")))
          .as("the denied line names the rule after the content type")
          .containsPattern(
              "TCP_DENIED/403 \\d+ GET http://127\\.0\\.0\\.1:\\d+/ - HIER_NONE/- text/html"
                  + "(;[^ ]*)? closed-for-tests\n");
    }
  }

  @Test
  void startedUnderNohupItSaysThatSighupCannotReload() throws Exception {
    // nohup leaves SIGHUP ignored, and the JVM installs no handler for an inherited ignored signal:
    // a reload would silently do nothing, so the gateway says so when it starts.
    try (TestOrigin origin = TestOrigin.start()) {
      Path config = dir.resolve("gateway.conf");
      Files.writeString(
          config,
          GatewayProcess.loopbackConfig(
              freePort(), freePort(), origin.port(), dir.resolve("access.log")));
      List<String> command = new ArrayList<>(List.of("nohup"));
      command.addAll(
          GatewayProcess.javaJar(List.of("-Xmx256m"), "run", "--config", config.toString()));
      try (GatewayProcess gateway = GatewayProcess.start(command, dir.resolve("gateway.out"))) {
        gateway.awaitLine("gateway running");
        assertThat(gateway.output()).contains("SIGHUP is ignored in this process");
      }
    }
  }

  static int status(int proxyPort, TestOrigin origin) throws Exception {
    try (RawClient c = new RawClient(new InetSocketAddress("127.0.0.1", proxyPort))) {
      c.send(
          "GET "
              + origin.url("/")
              + " HTTP/1.1\r\nHost: "
              + origin.authority()
              + "\r\nConnection: close\r\n\r\n");
      return c.read().status();
    }
  }
}
