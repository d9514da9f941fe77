package gateway.proxy.access;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.access.AccessAction;
import gateway.core.config.AccessRuleConfig;
import gateway.core.config.GatewayConfig;
import gateway.core.log.AccessRecord;
import gateway.proxy.testing.BulkTransfer;
import gateway.proxy.testing.EchoOrigin;
import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.RawOrigin;
import gateway.proxy.testing.RunningProxy;
import gateway.proxy.testing.TestConfigs;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A reload swaps the access rules and limits while connections are open: what is open keeps working
 * and finishes whole (a download, a tunnel), what comes after is decided by the new rules.
 */
class ReloadTest {
  static final long MiB = 1 << 20;

  @Test
  void openTransfersFinishAndNewRequestsMeetTheNewRules() throws Exception {
    try (RawOrigin files = BulkTransfer.sendingOrigin(6 * MiB);
        RawOrigin echo = EchoOrigin.streaming()) {
      GatewayConfig before = TestConfigs.loopback().withConnectPorts(Set.of(echo.port()));
      // Slow enough (2 MiB/s) that the download is still running when the rules change.
      before = before.withLimits(before.limits().withBandwidth(2 * MiB, 0));
      GatewayConfig after =
          before
              .withLimits(before.limits().withBandwidth(4 * MiB, 0))
              .withAccess(
                  List.of(
                      new AccessRuleConfig(
                          "loopback-closed",
                          AccessAction.DENY,
                          List.of("127.0.0.1"),
                          Optional.empty(),
                          Optional.empty())));
      try (RunningProxy proxy = RunningProxy.start(before);
          Socket download = BulkTransfer.connectFrom("127.0.0.1", proxy.address());
          RawClient tunnel = new RawClient(proxy.address())) {
        download.getOutputStream().write(get(files.port()));
        InputStream in = download.getInputStream();
        assertThat(BulkTransfer.readHead(in)).startsWith("HTTP/1.1 200");
        AtomicLong got = new AtomicLong();
        tunnel.send(
            "CONNECT 127.0.0.1:"
                + echo.port()
                + " HTTP/1.1\r\nHost: 127.0.0.1:"
                + echo.port()
                + "\r\n\r\n");
        assertThat(tunnel.readHead().statusLine()).startsWith("HTTP/1.1 200");
        assertThat(echoed(tunnel, "before the reload")).isEqualTo("before the reload");
        in.readNBytes(new byte[(int) MiB], 0, (int) MiB);
        got.addAndGet(MiB);

        proxy.reload(after);

        try (RawClient late = new RawClient(proxy.address())) {
          late.send(new String(get(files.port()), StandardCharsets.ISO_8859_1));
          RawClient.Response r = late.read();
          assertThat(r.status()).as("a request after the reload").isEqualTo(403);
          assertThat(r.header("X-Gateway-Error")).contains("loopback-closed");
        }
        assertThat(echoed(tunnel, "after the reload")).isEqualTo("after the reload");
        BulkTransfer.measure(in, 5 * MiB, 0, got);
        assertThat(got.get()).as("the download finished whole").isEqualTo(6 * MiB);
      }
    }
  }

  private static String echoed(RawClient tunnel, String text) throws Exception {
    tunnel.send(text);
    return new String(tunnel.input().readNBytes(text.length()), StandardCharsets.UTF_8);
  }

  private static byte[] get(int port) {
    return ("GET http://127.0.0.1:"
            + port
            + "/file HTTP/1.1\r\nHost: 127.0.0.1:"
            + port
            + "\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void theCountersOutliveAReload() throws Exception {
    GatewayConfig rules =
        TestConfigs.loopback()
            .withAccess(
                List.of(
                    new AccessRuleConfig(
                        "closed",
                        AccessAction.DENY,
                        List.of("blocked.example"),
                        Optional.empty(),
                        Optional.empty())));
    try (RunningProxy proxy = RunningProxy.start(rules)) {
      deny(proxy);
      proxy.reload(rules);
      deny(proxy);

      assertThat(proxy.policies().counters().get("closed").denies()).isEqualTo(2);
      AccessRecord r = proxy.nextRecord();
      assertThat(r.rule()).isEqualTo("closed");
    }
  }

  private static void deny(RunningProxy proxy) throws Exception {
    try (RawClient c = new RawClient(proxy.address())) {
      c.send("GET http://blocked.example/ HTTP/1.1\r\nHost: blocked.example\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(403);
    }
  }
}
