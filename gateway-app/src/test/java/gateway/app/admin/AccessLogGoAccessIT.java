package gateway.app.admin;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.app.testing.GatewayProcess;
import gateway.proxy.testing.RawClient;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The access log as analysers read it: GoAccess (Debian's {@code goaccess}) parses every line the
 * gateway wrote for a mix of answers (a miss, the PAC file, a malformed request, a denied CONNECT,
 * an origin that refuses) and rejects none.
 */
class AccessLogGoAccessIT {
  @TempDir Path dir;

  @Test
  void goAccessParsesEveryLine() throws Exception {
    Path goaccess = ExternalTool.require("goaccess", "goaccess");
    int refused = GatewayProcess.freePort();
    try (LoopbackGateway g = new LoopbackGateway(dir, "")) {
      assertThat(g.throughProxy("/index.html").statusCode()).isEqualTo(200);
      InetSocketAddress proxy = g.gateway.proxyAddress();
      try (RawClient c = new RawClient(proxy)) {
        c.send("GET /proxy.pac HTTP/1.1\r\nHost: wpad\r\n\r\n");
        assertThat(c.read().status()).isEqualTo(200);
        c.send("GET /not-a-proxy-request HTTP/1.1\r\nHost: wpad\r\n\r\n");
        assertThat(c.read().status()).isEqualTo(400);
      }
      try (RawClient c = new RawClient(proxy)) {
        c.send("CONNECT 127.0.0.1:25 HTTP/1.1\r\nHost: 127.0.0.1:25\r\n\r\n");
        assertThat(c.read(true).status()).isEqualTo(403);
      }
      try (RawClient c = new RawClient(proxy)) {
        c.send("GET http://127.0.0.1:" + refused + "/gone HTTP/1.0\r\n\r\n");
        assertThat(c.read().status()).isEqualTo(502);
      }
    }
    // Stopping the gateway wrote every line.
    List<String> lines = Files.readAllLines(dir.resolve("access.log"));
    assertThat(lines).hasSize(5);
    Path report = dir.resolve("report.json");

    ExternalTool.Result r =
        ExternalTool.run(
            dir,
            List.of(
                goaccess.toString(),
                dir.resolve("access.log").toString(),
                "--no-global-config",
                "--log-format=%x.%^ %~%L %h %^/%s %b %m %U",
                "--date-format=%s",
                "--time-format=%s",
                "--output=" + report),
            60);

    assertThat(r.exit())
        .as("goaccess:\n" + r.output() + "\nlog:\n" + String.join("\n", lines))
        .isEqualTo(0);
    @SuppressWarnings("unchecked")
    Map<String, Object> general =
        (Map<String, Object>)
            ((Map<String, Object>) Json.parse(Files.readString(report))).get("general");
    assertThat(general.get("failed_requests")).as(String.join("\n", lines)).isEqualTo(0.0);
    assertThat(general.get("valid_requests")).isEqualTo(5.0);
  }
}
