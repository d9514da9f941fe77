package gateway.proxy.intercept;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.core.access.AccessAction;
import gateway.core.config.AccessRuleConfig;
import gateway.core.config.GatewayConfig;
import gateway.core.config.LimitsConfig;
import gateway.core.log.AccessRecord;
import gateway.core.log.CacheAction;
import gateway.core.metrics.Refusal;
import gateway.core.metrics.RuleCounters;
import gateway.core.metrics.UplinkCounters;
import gateway.core.net.Uplink;
import gateway.proxy.testing.EchoOrigin;
import gateway.proxy.testing.InterceptingProxy;
import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.RawOrigin;
import gateway.proxy.testing.TestConfigs;
import gateway.proxy.upstream.UplinkChooser;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Intercepted connections (issue 15) on a transparent listener beside the proxy, their original
 * destination given by the test as TPROXY would: carried to it through the uplink, the TLS server
 * name read without changing a byte, refused where the rules, the loop guard or the connection
 * limit say so, one log line each.
 */
class InterceptionTest {
  static final Uplink LO = uplink();
  static final byte[] SSH_BANNER = "SSH-2.0-OpenSSH_9.6\r\n".getBytes(StandardCharsets.US_ASCII);

  /** The names the uplink chooser was asked about: {@code balance.pin} sees them. */
  final LinkedBlockingQueue<String> chosenFor = new LinkedBlockingQueue<>();

  final UplinkChooser lo =
      (flow, host) -> {
        chosenFor.add(String.valueOf(host));
        return List.of(LO);
      };

  InterceptingProxy gateway;

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
  }

  InterceptingProxy start(GatewayConfig config, InterceptSettings settings) throws Exception {
    gateway = InterceptingProxy.start(config, lo, settings);
    return gateway;
  }

  InterceptingProxy start() throws Exception {
    return start(TestConfigs.loopback(), InterceptSettings.DEFAULT);
  }

  @Test
  void bytesThatAreNeitherTlsNorHttpGoBothWaysAndTheTunnelIsLoggedByAddress() throws Exception {
    try (RawOrigin echo = EchoOrigin.afterEndOfInput()) {
      start().goingTo(echo.address());
      try (RawClient c = new RawClient(gateway.address())) {
        c.send(SSH_BANNER);
        c.socket().shutdownOutput();
        assertThat(c.input().readAllBytes()).isEqualTo(SSH_BANNER);
      }

      AccessRecord r = gateway.proxy().nextRecord();
      assertThat(r.action()).isEqualTo(CacheAction.TCP_TUNNEL);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.method()).isEqualTo("CONNECT");
      assertThat(r.url()).isEqualTo("127.0.0.1:" + echo.port());
      assertThat(r.bytes()).isEqualTo(2L * SSH_BANNER.length);
      assertThat(r.client()).isEqualTo("127.0.0.1");
      assertThat(r.uplink()).isEqualTo("lo");
      assertThat(gateway.proxy().counters().snapshot().get("lo").connections()).isEqualTo(1);
    }
  }

  @Test
  void aTlsHellosServerNameNamesTheTunnelAndTheOriginGetsTheHelloUnchanged() throws Exception {
    byte[] hello = TlsHellos.clientHello("www.example.test");
    CompletableFuture<byte[]> received = new CompletableFuture<>();
    try (RawOrigin origin = answeringAfter(hello.length, received)) {
      start().goingTo(origin.address());
      try (RawClient c = new RawClient(gateway.address())) {
        c.send(hello);
        assertThat(c.input().readAllBytes()).isEqualTo("done".getBytes(StandardCharsets.US_ASCII));
      }

      assertThat(received.get(5, TimeUnit.SECONDS)).isEqualTo(hello);
      AccessRecord r = gateway.proxy().nextRecord();
      assertThat(r.action()).isEqualTo(CacheAction.TCP_TUNNEL);
      assertThat(r.url()).isEqualTo("www.example.test:" + origin.port());
      assertThat(r.bytes()).isEqualTo(hello.length + 4L);
      assertThat(r.uplink()).isEqualTo("lo");
      assertThat(chosenFor).contains("www.example.test");
    }
  }

  @Test
  void aHelloSentOneByteAtATimeIsStillReadForItsName() throws Exception {
    byte[] hello = TlsHellos.clientHello("slow.example.test");
    CompletableFuture<byte[]> received = new CompletableFuture<>();
    try (RawOrigin origin = answeringAfter(hello.length, received)) {
      start().goingTo(origin.address());
      try (RawClient c = new RawClient(gateway.address())) {
        c.socket().setTcpNoDelay(true);
        for (byte b : hello) {
          c.send(new byte[] {b});
          Thread.sleep(1); // the scenario: one segment per byte
        }
        assertThat(c.input().readAllBytes()).isEqualTo("done".getBytes(StandardCharsets.US_ASCII));
      }

      assertThat(received.get(5, TimeUnit.SECONDS)).isEqualTo(hello);
      assertThat(gateway.proxy().nextRecord().url())
          .isEqualTo("slow.example.test:" + origin.port());
    }
  }

  @Test
  void aServerNameADomainRuleDeniesIsResetLoggedAndNeverConnected() throws Exception {
    try (RawOrigin origin = EchoOrigin.streaming()) {
      start(withNoVideo(), InterceptSettings.DEFAULT).goingTo(origin.address());
      try (RawClient c = new RawClient(gateway.address())) {
        c.send(TlsHellos.clientHello("www.video.test"));
        assertThat(c.closedByPeer()).isTrue();
      }

      AccessRecord r = gateway.proxy().nextRecord();
      assertThat(r.action()).isEqualTo(CacheAction.TCP_DENIED);
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.method()).isEqualTo("CONNECT");
      assertThat(r.url()).isEqualTo("www.video.test:" + origin.port());
      assertThat(r.rule()).isEqualTo("no-video");
      assertThat(r.uplink()).isNull();
      assertThat(origin.accepted()).isZero();
      assertThat(gateway.proxy().counters().snapshot()).isEmpty();
      assertThat(gateway.proxy().policies().counters().get("no-video").denies()).isEqualTo(1);
      assertThat(gateway.proxy().context().refusals().get(Refusal.ACCESS_RULE)).isEqualTo(1);
    }
  }

  @Test
  void aServerNameNoRuleDeniesPassesBesideADomainRule() throws Exception {
    byte[] hello = TlsHellos.clientHello("www.example.test");
    CompletableFuture<byte[]> received = new CompletableFuture<>();
    try (RawOrigin origin = answeringAfter(hello.length, received)) {
      start(withNoVideo(), InterceptSettings.DEFAULT).goingTo(origin.address());
      try (RawClient c = new RawClient(gateway.address())) {
        c.send(hello);
        assertThat(c.input().readAllBytes()).isEqualTo("done".getBytes(StandardCharsets.US_ASCII));
      }
      assertThat(received.get(5, TimeUnit.SECONDS)).isEqualTo(hello);
      assertThat(gateway.proxy().nextRecord().action()).isEqualTo(CacheAction.TCP_TUNNEL);
    }
  }

  @Test
  void aSilentClientIsCarriedOnByAddressAfterTheSniTimeout() throws Exception {
    try (RawOrigin echo = EchoOrigin.streaming()) {
      start(TestConfigs.loopback(), new InterceptSettings(Duration.ofMillis(200), 16384))
          .goingTo(echo.address());
      try (RawClient c = new RawClient(gateway.address())) {
        await().atMost(Duration.ofSeconds(5)).until(() -> echo.accepted() == 1);
        c.send("late bytes");
        assertThat(new String(c.input().readNBytes(10), StandardCharsets.US_ASCII))
            .isEqualTo("late bytes");
      }
      AccessRecord r = gateway.proxy().nextRecord();
      assertThat(r.action()).isEqualTo(CacheAction.TCP_TUNNEL);
      assertThat(r.url()).isEqualTo("127.0.0.1:" + echo.port());
    }
  }

  @Test
  void aSilentClientIsRefusedAfterTheSniTimeoutWhenADomainRuleCouldDenyIt() throws Exception {
    // Let through by address, it could send a denied name's hello right after.
    try (RawOrigin echo = EchoOrigin.streaming()) {
      start(withNoVideo(), new InterceptSettings(Duration.ofMillis(200), 16384))
          .goingTo(echo.address());
      assertThat(resetBeforeAnyByte()).isTrue();
      AccessRecord r = gateway.proxy().nextRecord();
      assertThat(r.action()).isEqualTo(CacheAction.TCP_DENIED);
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.url()).isEqualTo("127.0.0.1:" + echo.port());
      assertThat(r.rule()).isEqualTo("no-video");
      assertThat(echo.accepted()).isZero();
    }
  }

  @Test
  void aHelloLargerThanSniMaxIsCarriedOnByAddressUnchanged() throws Exception {
    byte[] hello = TlsHellos.clientHello("large.example.test");
    assertThat(hello.length).isGreaterThan(64);
    CompletableFuture<byte[]> received = new CompletableFuture<>();
    try (RawOrigin origin = answeringAfter(hello.length, received)) {
      start(TestConfigs.loopback(), new InterceptSettings(Duration.ofSeconds(5), 64))
          .goingTo(origin.address());
      try (RawClient c = new RawClient(gateway.address())) {
        c.send(hello);
        assertThat(c.input().readAllBytes()).isEqualTo("done".getBytes(StandardCharsets.US_ASCII));
      }
      assertThat(received.get(5, TimeUnit.SECONDS)).isEqualTo(hello);
      AccessRecord r = gateway.proxy().nextRecord();
      assertThat(r.action()).isEqualTo(CacheAction.TCP_TUNNEL);
      assertThat(r.url()).isEqualTo("127.0.0.1:" + origin.port());
    }
  }

  @Test
  void aServerFirstProtocolIsCarriedOnAtOnceWithoutWaitingForTheClient() throws Exception {
    // SMTP: the client waits for the greeting. A minute's sni-timeout must not hold it.
    start(TestConfigs.loopback(), new InterceptSettings(Duration.ofMinutes(1), 16384))
        .goingTo(new InetSocketAddress("127.0.0.1", 25));
    try (RawClient c = new RawClient(gateway.address())) {
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> {
                UplinkCounters.Snapshot s = gateway.proxy().counters().snapshot().get("lo");
                return s != null && s.connections() + s.connectFailures() == 1;
              });
    }
  }

  @Test
  void aConnectionToTheTransparentListenerItselfIsRefusedAsALoop() throws Exception {
    start();
    gateway.goingTo(gateway.address());
    assertThat(resetBeforeAnyByte()).isTrue();
    AccessRecord r = gateway.proxy().nextRecord();
    assertThat(r.action()).isEqualTo(CacheAction.TCP_DENIED);
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.url()).isEqualTo("127.0.0.1:" + gateway.address().getPort());
    assertThat(gateway.proxy().counters().snapshot()).as("nothing connected upstream").isEmpty();
    assertThat(gateway.proxy().context().refusals().get(Refusal.FORWARDING_LOOP)).isEqualTo(1);
  }

  @Test
  void aConnectionToTheAdminPortIsRefusedAsALoop() throws Exception {
    try (RawOrigin admin = EchoOrigin.streaming()) {
      start();
      gateway.proxy().loopGuard().addListener(admin.address());
      gateway.goingTo(admin.address());
      assertThat(resetBeforeAnyByte()).isTrue();
      AccessRecord r = gateway.proxy().nextRecord();
      assertThat(r.action()).isEqualTo(CacheAction.TCP_DENIED);
      assertThat(r.url()).isEqualTo("127.0.0.1:" + admin.port());
      assertThat(admin.accepted()).isZero();
      assertThat(gateway.proxy().counters().snapshot()).isEmpty();
    }
  }

  @Test
  void theConnectionLimitCountsProxiedAndInterceptedConnectionsTogether() throws Exception {
    try (RawOrigin echo = EchoOrigin.streaming()) {
      start(
              TestConfigs.loopback().withLimits(new LimitsConfig(8192, 64 * 1024, 100, 2)),
              InterceptSettings.DEFAULT)
          .goingTo(echo.address());
      InetAddress self = InetAddress.getByName("127.0.0.1");
      try (RawClient proxied = new RawClient(gateway.proxy().address());
          RawClient intercepted = new RawClient(gateway.address())) {
        intercepted.send(SSH_BANNER);
        assertThat(intercepted.input().readNBytes(SSH_BANNER.length)).isEqualTo(SSH_BANNER);
        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> gateway.proxy().server().connectionsByClient().get(self) == 2);

        assertThat(resetBeforeAnyByte()).isTrue();
        AccessRecord r = gateway.proxy().nextRecord();
        assertThat(r.action()).isEqualTo(CacheAction.TCP_DENIED);
        assertThat(r.status()).isEqualTo(429);
        assertThat(r.rule()).isEqualTo(RuleCounters.CLIENT_CONNECTIONS);
        assertThat(r.url()).isEqualTo("127.0.0.1:" + echo.port());
        assertThat(gateway.proxy().context().refusals().get(Refusal.CLIENT_CONNECTIONS))
            .isEqualTo(1);

        // The two within the limit are untouched.
        intercepted.send(SSH_BANNER);
        assertThat(intercepted.input().readNBytes(SSH_BANNER.length)).isEqualTo(SSH_BANNER);
        assertThat(echo.accepted()).isEqualTo(1);
        assertThat(proxied.socket().isClosed()).isFalse();
      }
    }
  }

  /**
   * Connects to the transparent listener, sends nothing, and says whether the gateway ended the
   * connection without a byte. Refused before reading, it is reset at once: on loopback the reset
   * may come before the connect call returns.
   */
  boolean resetBeforeAnyByte() throws Exception {
    try (RawClient c = new RawClient(gateway.address())) {
      return c.closedByPeer();
    } catch (SocketException e) {
      if (String.valueOf(e.getMessage()).contains("reset")) {
        return true;
      }
      throw e;
    }
  }

  /** A deny rule on the domain {@code *.video.test}. */
  static GatewayConfig withNoVideo() {
    return TestConfigs.loopback()
        .withAccess(
            List.of(
                new AccessRuleConfig(
                    "no-video",
                    AccessAction.DENY,
                    List.of("*.video.test"),
                    Optional.empty(),
                    Optional.empty(),
                    List.of(),
                    List.of(),
                    List.of(),
                    Optional.empty(),
                    List.of(),
                    List.of(),
                    List.of(),
                    OptionalLong.empty())));
  }

  /** Reads {@code n} bytes into {@code received}, answers {@code done} and closes. */
  static RawOrigin answeringAfter(int n, CompletableFuture<byte[]> received) throws Exception {
    return RawOrigin.start(
        s -> {
          InputStream in = s.getInputStream();
          received.complete(in.readNBytes(n));
          s.getOutputStream().write("done".getBytes(StandardCharsets.US_ASCII));
          s.getOutputStream().flush();
        });
  }

  private static Uplink uplink() {
    try {
      return new Uplink("lo", InetAddress.getByName("127.0.0.1"), Optional.empty(), 1, 1);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
