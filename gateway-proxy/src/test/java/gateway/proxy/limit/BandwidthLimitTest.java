package gateway.proxy.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import gateway.core.config.ClientGroupConfig;
import gateway.core.config.GatewayConfig;
import gateway.core.config.GroupLimitsConfig;
import gateway.core.config.UplinkConfig;
import gateway.core.net.Cidr;
import gateway.core.net.Uplink;
import gateway.proxy.testing.BulkTransfer;
import gateway.proxy.testing.RawOrigin;
import gateway.proxy.testing.RunningProxy;
import gateway.proxy.testing.TestConfigs;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Bandwidth limits measured on real transfers over loopback. The limits are far below what loopback
 * carries even on a busy machine, and each rate is measured after the first mebibyte (the bucket's
 * burst and the socket buffers fill at full speed): the rate reached must be within 10% of the
 * limit, both ways. A limited client is slowed, never cut: every transfer completes whole.
 */
class BandwidthLimitTest {
  static final long MiB = 1 << 20;
  static final long LIMIT = 2 * MiB;
  static final long SIZE = 8 * MiB;
  static final long WARMUP = MiB;

  @Test
  void aPlainHttpDownloadRunsAtTheClientsRate() throws Exception {
    try (RawOrigin origin = BulkTransfer.sendingOrigin(SIZE);
        RunningProxy proxy = RunningProxy.start(limits(LIMIT, 0))) {
      double rate = download(proxy, origin, "127.0.0.1", new AtomicLong());
      report("plain HTTP download", rate, LIMIT);

      assertThat(rate)
          .as("bytes per second after the first MiB")
          .isCloseTo(LIMIT, within(LIMIT * 0.1));
    }
  }

  @Test
  void aPlainHttpUploadRunsAtTheClientsRate() throws Exception {
    AtomicLong rate = new AtomicLong();
    try (RawOrigin origin = BulkTransfer.receivingOrigin(SIZE, WARMUP, rate);
        RunningProxy proxy = RunningProxy.start(limits(0, LIMIT));
        Socket s = BulkTransfer.connectFrom("127.0.0.1", proxy.address())) {
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST http://127.0.0.1:"
                  + origin.port()
                  + "/upload HTTP/1.1\r\nHost: 127.0.0.1:"
                  + origin.port()
                  + "\r\nContent-Length: "
                  + SIZE
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      BulkTransfer.write(out, SIZE);
      String head = BulkTransfer.readHead(s.getInputStream());

      assertThat(head).startsWith("HTTP/1.1 204");
      report("plain HTTP upload", rate.get(), LIMIT);
      assertThat((double) rate.get())
          .as("bytes per second the origin received after the first MiB")
          .isCloseTo(LIMIT, within(LIMIT * 0.1));
    }
  }

  @Test
  void aTunnelRunsAtTheClientsRate() throws Exception {
    try (RawOrigin target = BulkTransfer.sendingTarget(SIZE);
        RunningProxy proxy =
            RunningProxy.start(limits(LIMIT, 0).withConnectPorts(Set.of(target.port())));
        Socket s = BulkTransfer.connectFrom("127.0.0.1", proxy.address())) {
      s.getOutputStream()
          .write(
              ("CONNECT 127.0.0.1:"
                      + target.port()
                      + " HTTP/1.1\r\nHost: 127.0.0.1:"
                      + target.port()
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = s.getInputStream();
      assertThat(BulkTransfer.readHead(in)).startsWith("HTTP/1.1 200");

      double rate = BulkTransfer.measure(in, SIZE, WARMUP, new AtomicLong());
      report("tunnel download", rate, LIMIT);

      assertThat(rate)
          .as("bytes per second after the first MiB")
          .isCloseTo(LIMIT, within(LIMIT * 0.1));
      s.getOutputStream().write('k');
      assertThat(in.read()).as("the target's end comes through after all its bytes").isEqualTo(-1);
    }
  }

  @Test
  void aTunnelsUploadRunsAtTheClientsRate() throws Exception {
    AtomicLong rate = new AtomicLong();
    try (RawOrigin target = BulkTransfer.receivingTarget(SIZE, WARMUP, rate);
        RunningProxy proxy =
            RunningProxy.start(limits(0, LIMIT).withConnectPorts(Set.of(target.port())));
        Socket s = BulkTransfer.connectFrom("127.0.0.1", proxy.address())) {
      s.getOutputStream()
          .write(
              ("CONNECT 127.0.0.1:"
                      + target.port()
                      + " HTTP/1.1\r\nHost: 127.0.0.1:"
                      + target.port()
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = s.getInputStream();
      assertThat(BulkTransfer.readHead(in)).startsWith("HTTP/1.1 200");

      BulkTransfer.write(s.getOutputStream(), SIZE);

      assertThat(in.read()).as("the target's answer after it read everything").isEqualTo('k');
      report("tunnel upload", rate.get(), LIMIT);
      assertThat((double) rate.get())
          .as("bytes per second the target received after the first MiB")
          .isCloseTo(LIMIT, within(LIMIT * 0.1));
    }
  }

  @Test
  void twoClientsShareAnUplinksMaxRateEvenlyWhateverTheirConnections() throws Exception {
    long maxRate = 4 * MiB;
    List<Uplink> uplinks =
        List.of(new Uplink("isp1", InetAddress.getByName("127.0.0.2"), Optional.empty(), 1, 1));
    GatewayConfig config =
        TestConfigs.loopback()
            .withUplinks(
                List.of(
                    new UplinkConfig(
                            "isp1",
                            InetAddress.getByName("127.0.0.2"),
                            Optional.empty(),
                            1,
                            1,
                            false)
                        .withMaxRate(maxRate)));
    try (RawOrigin origin = BulkTransfer.sendingOrigin(12 * MiB);
        RunningProxy proxy = RunningProxy.start(config, (flow, host) -> uplinks, List.of())) {
      // 127.0.0.1 downloads over two connections, 127.0.0.5 over one: each address gets half.
      assertThat(sharesOfTwoClients(proxy, origin, 2))
          .allSatisfy(share -> assertThat(share).isCloseTo(0.5, within(0.5 * 0.15)));
    }
  }

  @Test
  void twoMembersShareTheirGroupsRateEvenly() throws Exception {
    GatewayConfig config =
        TestConfigs.loopback()
            .withGroups(List.of(new ClientGroupConfig("lab", List.of(Cidr.parse("127.0.0.0/8")))))
            .withLimits(
                TestConfigs.loopback()
                    .limits()
                    .withGroups(
                        List.of(
                            new GroupLimitsConfig(
                                "lab",
                                OptionalInt.empty(),
                                OptionalLong.empty(),
                                OptionalLong.empty(),
                                4 * MiB,
                                0))));
    try (RawOrigin origin = BulkTransfer.sendingOrigin(12 * MiB);
        RunningProxy proxy = RunningProxy.start(config)) {
      assertThat(sharesOfTwoClients(proxy, origin, 1))
          .allSatisfy(share -> assertThat(share).isCloseTo(0.5, within(0.5 * 0.15)));
    }
  }

  /**
   * Starts downloads from 127.0.0.1 ({@code firstConnections} at once) and 127.0.0.5 (one), and
   * returns each address's share of the bytes received between 1 s and 3 s, while both are busy;
   * also checks that together they ran at the shared 4 MiB/s.
   */
  private static List<Double> sharesOfTwoClients(
      RunningProxy proxy, RawOrigin origin, int firstConnections) throws Exception {
    AtomicLong first = new AtomicLong();
    AtomicLong second = new AtomicLong();
    List<CompletableFuture<Double>> downloads = new ArrayList<>();
    for (int i = 0; i < firstConnections; i++) {
      downloads.add(async(proxy, origin, "127.0.0.1", first));
    }
    downloads.add(async(proxy, origin, "127.0.0.5", second));
    Thread.sleep(1000);
    long t0 = System.nanoTime();
    long a0 = first.get();
    long b0 = second.get();
    Thread.sleep(2000);
    long a = first.get() - a0;
    long b = second.get() - b0;
    double seconds = (System.nanoTime() - t0) / 1e9;
    for (CompletableFuture<Double> d : downloads) {
      d.get(60, TimeUnit.SECONDS);
    }
    System.out.printf(
        "two clients sharing 4 MiB/s: 127.0.0.1 %.0f B/s, 127.0.0.5 %.0f B/s%n",
        a / seconds, b / seconds);
    assertThat((a + b) / seconds)
        .as("both together, bytes per second")
        .isCloseTo(4.0 * MiB, within(4.0 * MiB * 0.1));
    return List.of((double) a / (a + b), (double) b / (a + b));
  }

  private static CompletableFuture<Double> async(
      RunningProxy proxy, RawOrigin origin, String source, AtomicLong counter) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return download(proxy, origin, source, counter);
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        });
  }

  /** One GET of the origin's whole body from {@code source}; the rate after the first MiB. */
  static double download(RunningProxy proxy, RawOrigin origin, String source, AtomicLong counter)
      throws Exception {
    try (Socket s = BulkTransfer.connectFrom(source, proxy.address())) {
      s.getOutputStream()
          .write(
              ("GET http://127.0.0.1:"
                      + origin.port()
                      + "/file HTTP/1.1\r\nHost: "
                      + "127.0.0.1:"
                      + origin.port()
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = s.getInputStream();
      String head = BulkTransfer.readHead(in);
      assertThat(head).startsWith("HTTP/1.1 200");
      long length = Long.parseLong(head.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
      return BulkTransfer.measure(in, length, WARMUP, counter);
    }
  }

  static void report(String what, double rate, long limit) {
    System.out.printf(
        "%s: %.0f B/s, limit %d B/s (%+.1f%%)%n",
        what, rate, limit, (rate - limit) * 100.0 / limit);
  }

  /** Loopback clients limited to {@code download} and {@code upload} bytes per second (0: none). */
  static GatewayConfig limits(long download, long upload) {
    GatewayConfig c = TestConfigs.loopback();
    return c.withLimits(c.limits().withBandwidth(download, upload));
  }
}
