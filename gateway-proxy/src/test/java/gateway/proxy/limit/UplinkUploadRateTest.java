package gateway.proxy.limit;

import static gateway.proxy.limit.BandwidthLimitTest.MiB;
import static gateway.proxy.limit.BandwidthLimitTest.WARMUP;
import static gateway.proxy.limit.BandwidthLimitTest.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import gateway.core.config.GatewayConfig;
import gateway.core.config.UplinkConfig;
import gateway.core.net.Uplink;
import gateway.proxy.testing.BulkTransfer;
import gateway.proxy.testing.RawOrigin;
import gateway.proxy.testing.RunningProxy;
import gateway.proxy.testing.TestConfigs;
import gateway.proxy.upstream.UplinkChooser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@code uplinks[].max-upload-rate}: what the gateway sends through an uplink (tunnels' upload
 * direction, request bodies) is capped and shared evenly between the client addresses using it. Two
 * uplinks are emulated on loopback: isp1 (source 127.0.0.2) with the cap, isp2 (127.0.0.3) without;
 * the clients themselves are not limited. Rates are measured where the bytes arrive, after the
 * first mebibyte (the bucket's burst and the socket buffers fill at full speed), and must be within
 * 10% of the cap, as in {@link BandwidthLimitTest}.
 */
class UplinkUploadRateTest {
  static final long CAP = 2 * MiB;
  static final long SIZE = 8 * MiB;
  static final Uplink ISP1 = uplink("isp1", "127.0.0.2");
  static final Uplink ISP2 = uplink("isp2", "127.0.0.3");

  @Test
  void aTunnelsUploadThroughACappedUplinkRunsAtItsMaxUploadRate() throws Exception {
    AtomicLong rate = new AtomicLong();
    try (RawOrigin target = BulkTransfer.receivingTarget(SIZE, WARMUP, rate);
        RunningProxy proxy = RunningProxy.start(isp1Capped(CAP, target), through(ISP1), List.of());
        Socket s = tunnel(proxy, "127.0.0.1", target)) {
      BulkTransfer.write(s.getOutputStream(), SIZE);

      assertThat(s.getInputStream().read())
          .as("the target's answer after it read everything")
          .isEqualTo('k');
      report("tunnel upload through isp1", rate.get(), CAP);
      assertThat((double) rate.get())
          .as("bytes per second the target received after the first MiB")
          .isCloseTo(CAP, within(CAP * 0.1));
      s.close();
      assertThat(proxy.nextRecord().uplink()).isEqualTo("isp1");
    }
  }

  @Test
  void aTunnelsUploadThroughAnUplinkWithoutACapIsNotLimited() throws Exception {
    AtomicLong rate = new AtomicLong();
    try (RawOrigin target = BulkTransfer.receivingTarget(SIZE, WARMUP, rate);
        RunningProxy proxy = RunningProxy.start(isp1Capped(CAP, target), through(ISP2), List.of());
        Socket s = tunnel(proxy, "127.0.0.1", target)) {
      BulkTransfer.write(s.getOutputStream(), SIZE);

      assertThat(s.getInputStream().read()).isEqualTo('k');
      report("tunnel upload through isp2 (no cap)", rate.get(), CAP);
      // Loopback carries hundreds of MiB/s: three times isp1's cap is far from any limit.
      assertThat((double) rate.get())
          .as("bytes per second, isp1's cap not applied")
          .isGreaterThan(3.0 * CAP);
    }
  }

  @Test
  void twoClientsUploadingThroughACappedUplinkShareItEvenlyWhateverTheirConnections()
      throws Exception {
    long cap = 4 * MiB;
    AtomicLong first = new AtomicLong();
    AtomicLong second = new AtomicLong();
    try (RawOrigin target = BulkTransfer.countingTarget(SIZE, first, second);
        RunningProxy proxy =
            RunningProxy.start(isp1Capped(cap, target), through(ISP1), List.of())) {
      // 127.0.0.1 uploads over two tunnels, 127.0.0.5 over one: each address gets half.
      List<CompletableFuture<Void>> uploads = new ArrayList<>();
      uploads.add(upload(proxy, "127.0.0.1", target, 0));
      uploads.add(upload(proxy, "127.0.0.1", target, 0));
      uploads.add(upload(proxy, "127.0.0.5", target, 1));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> first.get() >= WARMUP && second.get() >= WARMUP);

      double[] rates = rates(Duration.ofSeconds(2), first, second);
      CompletableFuture.allOf(uploads.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

      System.out.printf(
          "two clients sharing isp1's 4 MiB/s upload: 127.0.0.1 %.0f B/s,"
              + " 127.0.0.5 %.0f B/s%n",
          rates[0], rates[1]);
      double total = rates[0] + rates[1];
      assertThat(total).as("both together, bytes per second").isCloseTo(cap, within(cap * 0.1));
      assertThat(List.of(rates[0] / total, rates[1] / total))
          .as("each address's share")
          .allSatisfy(share -> assertThat(share).isCloseTo(0.5, within(0.5 * 0.15)));
    }
  }

  @Test
  void aPostBodyThroughACappedUplinkIsLimitedAndTheNextRequestThroughAnotherIsNot()
      throws Exception {
    AtomicLong capped = new AtomicLong();
    AtomicLong uncapped = new AtomicLong();
    try (RawOrigin viaIsp1 = BulkTransfer.receivingOrigin(SIZE, WARMUP, capped);
        RawOrigin viaIsp2 = BulkTransfer.receivingOrigin(SIZE, WARMUP, uncapped);
        RunningProxy proxy =
            RunningProxy.start(
                isp1Capped(CAP, viaIsp1),
                (flow, host) -> List.of(flow.dstPort() == viaIsp1.port() ? ISP1 : ISP2),
                List.of());
        Socket s = BulkTransfer.connectFrom("127.0.0.1", proxy.address())) {
      // Both on one client connection: once the first exchange let go of isp1, the connection's
      // reads are no longer under isp1's cap.
      assertThat(post(s, viaIsp1)).startsWith("HTTP/1.1 204");
      assertThat(post(s, viaIsp2)).startsWith("HTTP/1.1 204");

      report("POST body through isp1", capped.get(), CAP);
      assertThat((double) capped.get())
          .as("bytes per second the origin behind isp1 received")
          .isCloseTo(CAP, within(CAP * 0.1));
      report("next POST body through isp2 (no cap)", uncapped.get(), CAP);
      assertThat((double) uncapped.get())
          .as("bytes per second the origin behind isp2 received")
          .isGreaterThan(3.0 * CAP);
    }
  }

  @Test
  void aReloadChangesTheMaxUploadRateOfAnOpenTunnel() throws Exception {
    AtomicLong received = new AtomicLong();
    long size = 16 * MiB;
    try (RawOrigin target = BulkTransfer.countingTarget(size, received);
        RunningProxy proxy =
            RunningProxy.start(isp1Capped(CAP, target), through(ISP1), List.of())) {
      CompletableFuture<Void> upload = upload(proxy, "127.0.0.1", target, 0, size);
      await().atMost(Duration.ofSeconds(10)).until(() -> received.get() >= WARMUP);

      double before = rates(Duration.ofSeconds(2), received)[0];
      proxy.reload(isp1Capped(CAP / 2, target));
      double after = rates(Duration.ofSeconds(2), received)[0];
      // Taking the cap away lets the rest go at once: the upload ends well within the timeout.
      proxy.reload(isp1Capped(0, target));
      upload.get(30, TimeUnit.SECONDS);

      report("tunnel upload through isp1 before the reload", before, CAP);
      report("the same tunnel after a reload to half", after, CAP / 2);
      assertThat(before).isCloseTo(CAP, within(CAP * 0.1));
      assertThat(after).isCloseTo(CAP / 2, within(CAP / 2 * 0.1));
    }
  }

  /**
   * The bytes per second each counter gained over about {@code length}: a measurement window while
   * the transfers run, not a wait for the code under test.
   */
  private static double[] rates(Duration length, AtomicLong... counters)
      throws InterruptedException {
    long[] start = new long[counters.length];
    for (int i = 0; i < counters.length; i++) {
      start[i] = counters[i].get();
    }
    long t0 = System.nanoTime();
    Thread.sleep(length.toMillis());
    double seconds = (System.nanoTime() - t0) / 1e9;
    double[] rates = new double[counters.length];
    for (int i = 0; i < counters.length; i++) {
      rates[i] = (counters[i].get() - start[i]) / seconds;
    }
    return rates;
  }

  /**
   * isp1 with {@code max-upload-rate} {@code cap} (0: none), isp2 without; CONNECT to the target.
   */
  private static GatewayConfig isp1Capped(long cap, RawOrigin target) {
    UplinkConfig isp1 =
        new UplinkConfig("isp1", ISP1.address(), Optional.empty(), 1, 1, false)
            .withMaxUploadRate(cap);
    UplinkConfig isp2 = new UplinkConfig("isp2", ISP2.address(), Optional.empty(), 1, 1, false);
    return TestConfigs.loopback()
        .withUplinks(List.of(isp1, isp2))
        .withConnectPorts(Set.of(target.port()));
  }

  private static UplinkChooser through(Uplink uplink) {
    return (flow, host) -> List.of(uplink);
  }

  /** A CONNECT tunnel from {@code source} to the target, established. */
  private static Socket tunnel(RunningProxy proxy, String source, RawOrigin target)
      throws IOException {
    Socket s = BulkTransfer.connectFrom(source, proxy.address());
    s.getOutputStream()
        .write(
            ("CONNECT 127.0.0.1:"
                    + target.port()
                    + " HTTP/1.1\r\nHost: 127.0.0.1:"
                    + target.port()
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
    assertThat(BulkTransfer.readHead(s.getInputStream())).startsWith("HTTP/1.1 200");
    return s;
  }

  private static CompletableFuture<Void> upload(
      RunningProxy proxy, String source, RawOrigin target, int tag) {
    return upload(proxy, source, target, tag, SIZE);
  }

  /**
   * Through a tunnel from {@code source}: the counting target's tag byte, then {@code size} bytes.
   */
  private static CompletableFuture<Void> upload(
      RunningProxy proxy, String source, RawOrigin target, int tag, long size) {
    return CompletableFuture.runAsync(
        () -> {
          try (Socket s = tunnel(proxy, source, target)) {
            s.getOutputStream().write(tag);
            BulkTransfer.write(s.getOutputStream(), size);
            assertThat(s.getInputStream().read()).as("the target read everything").isEqualTo('k');
          } catch (IOException e) {
            throw new RuntimeException(e);
          }
        });
  }

  /** A POST of {@code SIZE} bytes to the origin on the open connection; the response head. */
  private static String post(Socket s, RawOrigin origin) throws IOException {
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
    InputStream in = s.getInputStream();
    return BulkTransfer.readHead(in);
  }

  private static Uplink uplink(String name, String address) {
    try {
      return new Uplink(name, InetAddress.getByName(address), Optional.empty(), 1, 1);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
