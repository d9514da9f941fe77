package gateway.proxy.cache.store;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import gateway.core.config.CacheConfig;
import gateway.core.config.GatewayConfig;
import gateway.core.log.AccessRecord;
import gateway.core.log.CacheAction;
import gateway.proxy.cache.HttpCache;
import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.RunningProxy;
import gateway.proxy.testing.TestConfigs;
import gateway.proxy.testing.TestOrigin;
import gateway.proxy.testing.UrlBodies;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The disk tier through a running proxy, against a real origin on loopback: what is on disk
 * survives a restart, a large miss streams to the client and the disk at once, and a disk that
 * fails turns off cache writes without stopping the proxy.
 *
 * <p>The memory tier is 8 MiB, so it keeps objects up to 1 MiB: larger ones live on disk only.
 */
class DiskCachingProxyTest {
  static final long MEMORY = 8L << 20;
  static final int SMALL = 10_000;
  static final int LARGE = 5 << 20;
  static final int HUGE = 64 << 20;

  /** What the origin sends of {@code /held/...} bodies before it waits for {@link #releaseTail}. */
  static final int HEAD_PART = 1 << 20;

  @TempDir Path dir;
  final Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
  final CountDownLatch releaseTail = new CountDownLatch(1);
  TestOrigin origin;
  RunningProxy proxy;

  /**
   * Serves {@code /<name>/<length>}: {@code length} bytes derived from the path, cacheable for an
   * hour. Under {@code /held/} it sends the first {@link #HEAD_PART} bytes, then waits for the
   * test.
   */
  @BeforeEach
  void startOrigin() throws IOException {
    origin =
        TestOrigin.start(
            (ex, seen) -> {
              String path = seen.target();
              served.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
              int length = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
              byte[] body = UrlBodies.of(path, length);
              ex.getResponseHeaders().set("Cache-Control", "max-age=3600");
              ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
              ex.sendResponseHeaders(200, length);
              try (OutputStream out = ex.getResponseBody()) {
                int from = 0;
                if (path.startsWith("/held/")) {
                  out.write(body, 0, HEAD_PART);
                  out.flush();
                  from = HEAD_PART;
                  if (!releaseTail.await(30, TimeUnit.SECONDS)) {
                    throw new IOException("the test never released the tail");
                  }
                }
                for (int at = from; at < length; at += 256 * 1024) {
                  out.write(body, at, Math.min(256 * 1024, length - at));
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
  }

  @AfterEach
  void stop() throws Exception {
    releaseTail.countDown();
    if (proxy != null) {
      proxy.close();
    }
    origin.close();
  }

  GatewayConfig config() {
    return TestConfigs.loopback()
        .withCache(new CacheConfig(MEMORY, Optional.of(dir), 512L << 20, 128L << 20));
  }

  int served(String path) {
    AtomicInteger n = served.get(path);
    return n == null ? 0 : n.get();
  }

  RawClient ask(String path) throws IOException {
    RawClient c = new RawClient(proxy.address());
    c.send("GET " + origin.url(path) + " HTTP/1.1\r\nHost: " + origin.authority() + "\r\n\r\n");
    return c;
  }

  /** Fetches {@code path} through the proxy, checks every byte, and returns its log record. */
  AccessRecord fetchChecked(String path, int length) throws Exception {
    try (RawClient c = ask(path)) {
      RawClient.Response r = c.read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(UrlBodies.firstDifference(path, length, r.body()))
          .as("first wrong byte of %s (%d bytes received)", path, r.body().length)
          .isEqualTo(-1);
    }
    return proxy.nextRecord();
  }

  @Test
  void whatIsOnDiskIsServedAsHitsAfterARestartWithoutAskingTheOrigin() throws Exception {
    String small = "/small/" + SMALL;
    String large = "/large/" + LARGE;
    proxy = RunningProxy.start(config());
    assertThat(fetchChecked(small, SMALL).action()).isEqualTo(CacheAction.TCP_MISS);
    assertThat(fetchChecked(large, LARGE).action()).isEqualTo(CacheAction.TCP_MISS);
    CacheStore store = proxy.cache().store();
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> store.stats().diskObjects() == 2);
    assertThat(store.stats().memoryObjects()).as("only the small one fits the memory tier").isOne();
    proxy.close();

    proxy = RunningProxy.start(config());
    assertThat(proxy.cache().store().stats().diskObjects()).isEqualTo(2);
    assertThat(proxy.cache().store().stats().memoryObjects()).isZero();

    assertThat(fetchChecked(small, SMALL).action()).isEqualTo(CacheAction.TCP_HIT);
    assertThat(fetchChecked(large, LARGE).action()).isEqualTo(CacheAction.TCP_HIT);
    // The first hit after the restart brought the small object back into memory.
    assertThat(fetchChecked(small, SMALL).action()).isEqualTo(CacheAction.TCP_MEM_HIT);
    assertThat(fetchChecked(large, LARGE).action()).isEqualTo(CacheAction.TCP_HIT);
    assertThat(served(small)).isOne();
    assertThat(served(large)).isOne();
  }

  @Test
  void aLargeMissStreamsToTheClientAndTheDiskAtOnceAndIsThenADiskHit() throws Exception {
    String path = "/held/" + HUGE;
    byte[] body = UrlBodies.of(path, HUGE);
    proxy = RunningProxy.start(config());

    try (RawClient c = ask(path)) {
      RawClient.Response head = c.readHead();
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(HUGE));
      // The origin holds back all but the first MiB until this client has it.
      assertThat(c.input().readNBytes(HEAD_PART)).isEqualTo(Arrays.copyOf(body, HEAD_PART));
      CacheStats meanwhile = proxy.cache().store().stats();
      assertThat(meanwhile.memoryBytes()).as("nothing of it is kept in memory").isZero();
      assertThat(meanwhile.diskObjects()).as("nothing is visible before it is complete").isZero();
      releaseTail.countDown();
      byte[] rest = c.input().readNBytes(HUGE - HEAD_PART);
      assertThat(rest.length).isEqualTo(HUGE - HEAD_PART);
      assertThat(Arrays.equals(rest, Arrays.copyOfRange(body, HEAD_PART, HUGE)))
          .as("the tail is the origin's")
          .isTrue();
    }
    assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_MISS);
    CacheStore store = proxy.cache().store();
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> store.stats().diskObjects() == 1);

    AccessRecord hit = fetchChecked(path, HUGE);

    assertThat(hit.action()).isEqualTo(CacheAction.TCP_HIT);
    assertThat(hit.bytes()).isGreaterThan(HUGE);
    assertThat(served(path)).isOne();
    assertThat(store.stats().memoryObjects()).isZero();
  }

  @Test
  void aFullDiskTurnsOffCacheWritesWithOneWarningAndTheProxyKeepsServing() throws Exception {
    ExecutorService io = DiskExecutor.io();
    UnpooledByteBufAllocator alloc = UnpooledByteBufAllocator.DEFAULT;
    // Every temporary file is /dev/full, whose every write fails with ENOSPC, as a full disk does.
    StoreFiles full =
        new NioStoreFiles() {
          @Override
          public FileChannel createNew(Path path) throws IOException {
            return FileChannel.open(
                Path.of("/dev/full"), StandardOpenOption.READ, StandardOpenOption.WRITE);
          }
        };
    TieredStore store =
        new TieredStore(
            MEMORY,
            128L << 20,
            alloc,
            ForkJoinPool.commonPool(),
            listener ->
                DiskTier.open(dir, 512L << 20, io, io, full, alloc, listener, System::nanoTime),
            () -> DiskExecutor.stop(io));
    // Everything the gateway's own code logs.
    Logger logger = (Logger) LoggerFactory.getLogger("gateway");
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    logger.addAppender(log);
    try {
      proxy = RunningProxy.start(TestConfigs.loopback(), new HttpCache(store));
      String large = "/large/" + LARGE;
      String other = "/other/" + LARGE;
      String small = "/small/" + SMALL;

      assertThat(fetchChecked(large, LARGE).action()).isEqualTo(CacheAction.TCP_MISS);
      assertThat(fetchChecked(large, LARGE).action()).isEqualTo(CacheAction.TCP_MISS);
      assertThat(fetchChecked(other, LARGE).action()).isEqualTo(CacheAction.TCP_MISS);
      assertThat(fetchChecked(small, SMALL).action()).isEqualTo(CacheAction.TCP_MISS);
      assertThat(fetchChecked(small, SMALL).action())
          .as("the memory tier still caches")
          .isEqualTo(CacheAction.TCP_MEM_HIT);

      assertThat(served(large)).isEqualTo(2);
      assertThat(served(other)).isOne();
      assertThat(served(small)).isOne();
      assertThat(store.stats().diskWritesDisabled()).isTrue();
      assertThat(store.stats().diskObjects()).isZero();
    } finally {
      logger.detachAppender(log);
    }
    List<ILoggingEvent> warnings =
        log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).toList();
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0).getFormattedMessage())
        .contains("disk writes disabled")
        .contains("No space left on device");
  }
}
