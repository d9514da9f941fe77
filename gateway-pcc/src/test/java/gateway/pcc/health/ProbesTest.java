package gateway.pcc.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import gateway.core.net.ProbeTarget;
import gateway.core.net.Uplink;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each probe against real sockets on loopback, from an uplink at 127.0.0.2. */
class ProbesTest {
  private static final Duration TIMEOUT = Duration.ofMillis(500);
  private static final ExecutorService BLOCKING =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "probe-test-blocking");
            t.setDaemon(true);
            return t;
          });
  private static final ProbeContext CONTEXT = new ProbeContext(TIMEOUT, System::nanoTime, BLOCKING);

  @AfterAll
  static void stopBlocking() {
    BLOCKING.shutdownNow();
  }

  static List<String> transports() {
    return Loops.transports();
  }

  @ParameterizedTest
  @MethodSource("transports")
  void tcpConnectsFromTheUplinksAddress(String transport) throws Exception {
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress("127.0.0.1", 0));
      TargetResult r = probe(transport, "tcp://127.0.0.1:" + server.getLocalPort());
      assertThat(r.ok()).as(r.toString()).isTrue();
      assertThat(r.rtt()).get().matches(d -> d.compareTo(TIMEOUT) < 0);
      server.setSoTimeout(2000);
      try (Socket seen = server.accept()) {
        assertThat(seen.getInetAddress().getHostAddress()).isEqualTo("127.0.0.2");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("transports")
  void tcpToAClosedPortIsRefused(String transport) throws Exception {
    TargetResult r = probe(transport, "tcp://127.0.0.1:" + closedPort());
    assertThat(r.ok()).isFalse();
    assertThat(r.reason()).isEqualTo("refused");
  }

  @ParameterizedTest
  @MethodSource("transports")
  void http204Passes(String transport) throws Exception {
    try (TinyHttpOrigin origin = new TinyHttpOrigin(204)) {
      TargetResult r = probe(transport, "http://127.0.0.1:" + origin.port() + "/generate_204");
      assertThat(r.ok()).as(r.toString()).isTrue();
      assertThat(origin.answered("127.0.0.2")).isEqualTo(1);
      assertThat(origin.requestLines()).containsExactly("GET /generate_204 HTTP/1.1");
    }
  }

  @Test
  void http500Fails() throws Exception {
    try (TinyHttpOrigin origin = new TinyHttpOrigin(500)) {
      TargetResult r = probe(Loops.transports().get(0), "http://127.0.0.1:" + origin.port() + "/");
      assertThat(r.ok()).isFalse();
      assertThat(r.reason()).isEqualTo("status 500");
    }
  }

  @Test
  void httpExpectedStatusFromTheFragment() throws Exception {
    try (TinyHttpOrigin origin = new TinyHttpOrigin(200)) {
      String best = Loops.transports().get(0);
      String base = "http://127.0.0.1:" + origin.port() + "/";
      assertThat(probe(best, base + "#200").ok()).isTrue();
      assertThat(probe(best, base + "#204").reason()).isEqualTo("status 200");
    }
  }

  @Test
  void httpClosedWithoutAnswerFails() throws Exception {
    try (TinyHttpOrigin origin = new TinyHttpOrigin(204)) {
      origin.shun("127.0.0.2");
      TargetResult r = probe(Loops.transports().get(0), "http://127.0.0.1:" + origin.port() + "/");
      assertThat(r.reason()).isEqualTo("closed before the status line");
      assertThat(origin.shunned("127.0.0.2")).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @MethodSource("transports")
  void dnsNxdomainStillProvesThePath(String transport) throws Exception {
    try (TinyDnsResponder dns = new TinyDnsResponder()) {
      TargetResult r = probe(transport, "dns://127.0.0.1:" + dns.port() + "/example.org");
      assertThat(r.ok()).as(r.toString()).isTrue();
      assertThat(dns.senders()).containsExactly("127.0.0.2");
      assertThat(dns.names()).containsExactly("example.org.");
    }
  }

  @Test
  void dnsWithNobodyAnsweringTimesOut() throws Exception {
    try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      long start = System.nanoTime();
      TargetResult r =
          probe(
              Loops.transports().get(0),
              "dns://127.0.0.1:" + silent.getLocalPort() + "/example.org");
      long tookMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(r.reason()).isEqualTo("timeout");
      // It waited its timeout out. The upper bound only catches a probe that never gives up: how
      // much
      // later than the timeout the result arrives depends on the machine's load, not on the probe.
      assertThat(tookMs).isBetween(TIMEOUT.toMillis() - 50, TIMEOUT.toMillis() + 10_000);
    }
  }

  @Test
  void dnsToAClosedPortIsRefused() throws Exception {
    TargetResult r =
        probe(Loops.transports().get(0), "dns://127.0.0.1:" + closedUdpPort() + "/x.org");
    assertThat(r.reason()).isEqualTo("refused");
  }

  @Test
  void icmpThroughPing() throws Exception {
    assumeTrue(IcmpProbe.available(), "no ping here");
    TargetResult r = probe(Loops.transports().get(0), "icmp://127.0.0.1");
    assumeTrue(r.ok() || !r.reason().contains("permit"), "ping not permitted: " + r.reason());
    assertThat(r.ok()).as(r.toString()).isTrue();
  }

  @Test
  void pingCommandLine() throws Exception {
    Uplink plain = uplink("isp1", "198.18.1.2", Optional.empty());
    Uplink dev = uplink("isp2", "198.18.2.2", Optional.of("eth2"));
    assertThat(IcmpProbe.command("ping", plain, "198.18.100.53", Duration.ofMillis(1500)))
        .containsExactly("ping", "-n", "-c", "1", "-W", "2", "-I", "198.18.1.2", "198.18.100.53");
    assertThat(IcmpProbe.command("ping", dev, "198.18.100.53", Duration.ofMillis(300)))
        .containsExactly("ping", "-n", "-c", "1", "-W", "1", "-I", "eth2", "198.18.100.53");
  }

  @Test
  void aRefusedInterfaceBindingFailsTheProbeInsteadOfUsingAnotherRoute() throws Exception {
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress("127.0.0.1", 0));
      Uplink u = uplink("isp1", "127.0.0.2", Optional.of("nosuchdev0"));
      TargetResult r =
          run(Loops.transports().get(0), u, "tcp://127.0.0.1:" + server.getLocalPort());
      assertThat(r.ok()).isFalse();
      assertThat(r.reason()).contains("nosuchdev0");
    }
  }

  private static TargetResult probe(String transport, String target) throws Exception {
    return run(transport, uplink("isp1", "127.0.0.2", Optional.empty()), target);
  }

  private static TargetResult run(String transport, Uplink uplink, String target) throws Exception {
    MultiThreadIoEventLoopGroup group = Loops.group(transport);
    try {
      EventLoop loop = group.next();
      Probe p = Probe.of(ProbeTarget.parse(target), CONTEXT);
      return p.run(uplink, loop).get(TIMEOUT.toMillis() + 2000, TimeUnit.MILLISECONDS);
    } finally {
      Loops.shutdown(group);
    }
  }

  static Uplink uplink(String name, String address, Optional<String> device) throws IOException {
    return new Uplink(name, InetAddress.getByName(address), device, 1, 1);
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }

  private static int closedUdpPort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      return s.getLocalPort();
    }
  }
}
