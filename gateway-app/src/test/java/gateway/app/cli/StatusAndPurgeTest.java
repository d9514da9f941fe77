package gateway.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.app.admin.Json;
import gateway.app.admin.LoopbackGateway;
import gateway.app.testing.Cli;
import gateway.app.testing.GatewayProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gateway status} and {@code gateway purge} as scripts see them: output and exit codes. */
class StatusAndPurgeTest {
  @TempDir Path dir;
  final Cli cli = new Cli();

  @Test
  void statusPrintsTheUplinkTableOfARunningGateway() throws Exception {
    try (LoopbackGateway g = new LoopbackGateway(dir, "")) {
      int code = cli.run("status", "--admin", "127.0.0.1:" + g.admin().getPort());

      assertThat(code).as(cli.err()).isEqualTo(0);
      assertThat(cli.out())
          .contains("1 of 1 uplinks up")
          .containsPattern("(?m)^UPLINK +STATE +ADDRESS +RTT")
          .containsPattern("(?m)^lo +UP +127\\.0\\.0\\.1 ");
    }
  }

  @Test
  void statusExits1WhenNoGatewayAnswers() throws Exception {
    int port = GatewayProcess.freePort();

    assertThat(cli.run("status", "--admin", "127.0.0.1:" + port)).isEqualTo(1);
    assertThat(cli.err()).contains("gateway not reachable at 127.0.0.1:" + port);
  }

  @Test
  void statusExits2OnAWrongCommandLine() {
    assertThat(cli.run("status", "--admin", "no-port-here")).isEqualTo(2);
    assertThat(cli.run("status", "--colour")).isEqualTo(2);
  }

  @Test
  void statusTableGolden() {
    @SuppressWarnings("unchecked")
    Map<String, Object> doc =
        (Map<String, Object>)
            Json.parse(
                """
        {"version":1,"time":1764178488123,"uptimeSeconds":3725,
         "proxy":{"listen":"0.0.0.0:3128","clientConnections":12},
         "uplinks":[
          {"name":"isp1","address":"192.168.1.2","interface":"eth1","state":"UP","rttMs":21.34,
           "jitterMs":0.4,"lossPercent":0,"inBps":150000,"outBps":1000,"openConnections":7,
           "share":0.664,"history":[]},
          {"name":"isp2","address":"192.168.2.2","interface":null,"state":"DOWN","rttMs":null,
           "jitterMs":null,"lossPercent":100,"inBps":0,"outBps":0,"openConnections":0,"share":0.336,
           "history":[{"at":1764178000000,"from":"UP","to":"DOWN","cause":"3 failed rounds in a row"}]}]}
        """);

    assertThat(StatusTable.format(doc, ZoneOffset.UTC))
        .isEqualTo(
            String.join(
                System.lineSeparator(),
                "gateway on 0.0.0.0:3128: 1 of 2 uplinks up, 12 client connections, up 1h02m",
                "UPLINK  STATE  ADDRESS             RTT     JITTER  LOSS    IN         OUT        OPEN  SHARE  LAST CHANGE",
                "isp1    UP     192.168.1.2 (eth1)  21.3ms  0.4ms   0.0%    1.2Mbit/s  8.0kbit/s  7     66%    -",
                "isp2    DOWN   192.168.2.2         n/a     n/a     100.0%  0bit/s     0bit/s     0     34%    11-26 17:26:40 UP->DOWN: 3 failed rounds in a row",
                ""));
  }

  /**
   * A stand-in for the proxy's PURGE handling: answers {@code status} and hands back the request.
   */
  static CompletableFuture<String> fakeProxy(ServerSocket server, String status) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (Socket s = server.accept()) {
            BufferedReader in =
                new BufferedReader(
                    new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            StringBuilder head = new StringBuilder();
            for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
              head.append(line).append('\n');
            }
            s.getOutputStream()
                .write(
                    ("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
            return head.toString();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  @Test
  void purgeSendsPurgeToTheProxyAndExits0On200() throws Exception {
    try (ServerSocket proxy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<String> seen = fakeProxy(proxy, "200 OK");

      int code =
          cli.run(
              "purge",
              "--proxy",
              "127.0.0.1:" + proxy.getLocalPort(),
              "http://origin.test/logo.png");

      assertThat(code).as(cli.err()).isEqualTo(0);
      assertThat(cli.out()).contains("purged http://origin.test/logo.png");
      assertThat(seen.get())
          .startsWith("PURGE http://origin.test/logo.png HTTP/1.1\nHost: origin.test\n");
    }
  }

  @Test
  void purgeExits1WhenTheUrlIsNotCached() throws Exception {
    try (ServerSocket proxy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      fakeProxy(proxy, "404 Not Found");

      assertThat(
              cli.run(
                  "purge", "--proxy", "127.0.0.1:" + proxy.getLocalPort(), "http://origin.test/x"))
          .isEqualTo(1);
      assertThat(cli.err()).contains("not in the cache: http://origin.test/x");
    }
  }

  @Test
  void purgeExits1WhenRefusedOrUnreachable() throws Exception {
    try (ServerSocket proxy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      fakeProxy(proxy, "403 Forbidden");
      assertThat(
              cli.run(
                  "purge", "--proxy", "127.0.0.1:" + proxy.getLocalPort(), "http://origin.test/x"))
          .isEqualTo(1);
      assertThat(cli.err()).contains("the gateway refused: HTTP/1.1 403 Forbidden");
    }
    int closed = GatewayProcess.freePort();
    assertThat(cli.run("purge", "--proxy", "127.0.0.1:" + closed, "http://origin.test/x"))
        .isEqualTo(1);
    assertThat(cli.err()).contains("gateway not reachable at 127.0.0.1:" + closed);
  }

  @Test
  void purgeExits2ForAUrlThatCannotBeCached() {
    assertThat(cli.run("purge", "https://origin.test/x")).isEqualTo(2);
    assertThat(cli.err()).contains("not an http:// URL");
    assertThat(cli.run("purge")).isEqualTo(2);
  }

  @Test
  void helpEverywhereSaysTheExitCodes() {
    for (String cmd : new String[] {"status", "purge"}) {
      Cli help = new Cli();
      assertThat(help.run(cmd, "--help")).isEqualTo(0);
      assertThat(help.out()).contains("Usage: gateway " + cmd).contains("Exit codes:");
    }
  }
}
