package gateway.proxy.cache.store;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.config.CacheConfig;
import gateway.core.log.AccessRecord;
import gateway.core.log.CacheAction;
import gateway.proxy.cache.HttpCache;
import gateway.proxy.cache.policy.CacheKey;
import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.RunningProxy;
import gateway.proxy.testing.TestConfigs;
import gateway.proxy.testing.TestOrigin;
import gateway.proxy.testing.UrlBodies;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The first hit on a disk object in a process, after a restart: its body is read whole and checked
 * before it is served, on the disk tier's reads and not on the client's event loop, which serves
 * its other connections meanwhile. The proxy here runs one event loop, and the test holds the reads
 * ({@link HeldReads}) to see what goes on while one has not run.
 *
 * <p>The memory tier is 8 MiB, so it keeps objects up to 1 MiB: larger ones live on disk only.
 */
class FirstDiskHitTest {
  static final long MEMORY = 8L << 20;
  static final long DISK = 512L << 20;
  static final long LARGEST = 128L << 20;
  static final int SMALL = 10_000;
  static final int LARGE = 32 << 20;
  static final String BIG = "/big/" + LARGE;

  @TempDir Path dir;
  final Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
  TestOrigin origin;
  RunningProxy proxy;
  HeldReads reads;

  /** Serves {@code /<name>/<length>}: {@code length} bytes derived from the path, cacheable. */
  @BeforeEach
  void startOrigin() throws IOException {
    origin =
        TestOrigin.start(
            (ex, seen) -> {
              String path = seen.target();
              served.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
              int length = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
              ex.getResponseHeaders().set("Cache-Control", "max-age=3600");
              ex.sendResponseHeaders(200, length);
              try (OutputStream out = ex.getResponseBody()) {
                out.write(UrlBodies.of(path, length));
              }
            });
  }

  @AfterEach
  void stop() throws Exception {
    if (reads != null) {
      reads.release(); // nothing left waiting on a read that never runs
    }
    if (proxy != null) {
      proxy.close();
    }
    if (reads != null) {
      reads.close();
    }
    origin.close();
  }

  /** A previous gateway over the same directory fetched and stored {@code paths}, and stopped. */
  void storedByAPreviousGateway(String... paths) throws Exception {
    RunningProxy previous =
        RunningProxy.start(
            TestConfigs.loopback()
                .withCache(new CacheConfig(MEMORY, Optional.of(dir), DISK, LARGEST)));
    try {
      for (String path : paths) {
        try (RawClient c = ask(previous, path)) {
          assertThat(c.read().status()).isEqualTo(200);
        }
      }
      CacheStore store = previous.cache().store();
      Awaitility.await()
          .atMost(10, TimeUnit.SECONDS)
          .until(() -> store.stats().diskObjects() == paths.length);
    } finally {
      previous.close();
    }
  }

  /**
   * This gateway, on one event loop, over the directory; its body reads run on {@code bodyReads}.
   */
  void startGateway(Executor bodyReads) throws Exception {
    ExecutorService io = DiskExecutor.io();
    UnpooledByteBufAllocator alloc = UnpooledByteBufAllocator.DEFAULT;
    TieredStore store =
        new TieredStore(
            MEMORY,
            LARGEST,
            alloc,
            ForkJoinPool.commonPool(),
            listener ->
                DiskTier.open(
                    dir,
                    DISK,
                    io,
                    bodyReads,
                    NioStoreFiles.INSTANCE,
                    alloc,
                    listener,
                    System::nanoTime),
            () -> DiskExecutor.stop(io));
    proxy = RunningProxy.startOnOneEventLoop(TestConfigs.loopback(), new HttpCache(store));
  }

  RawClient ask(RunningProxy through, String path) throws IOException {
    RawClient c = new RawClient(through.address());
    c.send("GET " + origin.url(path) + " HTTP/1.1\r\nHost: " + origin.authority() + "\r\n\r\n");
    return c;
  }

  /** Reads the response to {@code c}'s request for {@code path} and checks every byte of it. */
  static void readChecked(RawClient c, String path, int length) throws IOException {
    RawClient.Response r = c.read();
    assertThat(r.status()).isEqualTo(200);
    assertThat(UrlBodies.firstDifference(path, length, r.body()))
        .as("first wrong byte of %s (%d bytes received)", path, r.body().length)
        .isEqualTo(-1);
  }

  int served(String path) {
    AtomicInteger n = served.get(path);
    return n == null ? 0 : n.get();
  }

  @Test
  void aLargeObjectStoredBeforeARestartIsServedWholeAsADiskHit() throws Exception {
    storedByAPreviousGateway(BIG);
    reads = new HeldReads();
    startGateway(reads);

    try (RawClient c = ask(proxy, BIG)) {
      Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> reads.asked() == 1);
      reads.release();
      readChecked(c, BIG, LARGE);
    }

    AccessRecord hit = proxy.nextRecord();
    assertThat(hit.action()).isEqualTo(CacheAction.TCP_HIT);
    assertThat(hit.bytes()).isGreaterThan(LARGE);
    assertThat(served(BIG)).as("the origin was asked once, by the previous gateway").isOne();
  }

  @Test
  void whileTheFirstCheckRunsTheEventLoopAnswersOtherClients() throws Exception {
    storedByAPreviousGateway(BIG);
    reads = new HeldReads();
    startGateway(reads);
    String other = "/other/" + SMALL;

    try (RawClient first = ask(proxy, BIG)) {
      Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> reads.asked() == 1);
      // The check of the first hit has not even begun: the only event loop is free all the same.
      try (RawClient meanwhile = ask(proxy, other)) {
        readChecked(meanwhile, other, SMALL);
      }
      assertThat(proxy.nextRecord().url()).endsWith(other);

      reads.release();
      readChecked(first, BIG, LARGE);
    }
    assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_HIT);
  }

  @Test
  void requestsPipelinedBehindAFirstHitAreAnsweredInOrder() throws Exception {
    storedByAPreviousGateway(BIG);
    reads = new HeldReads();
    startGateway(reads);
    String next = "/next/" + SMALL;

    try (RawClient c = new RawClient(proxy.address())) {
      c.send(
          "GET "
              + origin.url(BIG)
              + " HTTP/1.1\r\nHost: "
              + origin.authority()
              + "\r\n\r\n"
              + "GET "
              + origin.url(next)
              + " HTTP/1.1\r\nHost: "
              + origin.authority()
              + "\r\n\r\n");
      Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> reads.asked() == 1);
      reads.release();

      readChecked(c, BIG, LARGE);
      readChecked(c, next, SMALL);
    }
    assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_HIT);
    assertThat(proxy.nextRecord().url()).endsWith(next);
  }

  /**
   * A client that drops its connection (a reset) while its hit waits for the check: its request is
   * logged once, nothing is left held, and the check serves the next client.
   */
  @Test
  void aClientThatLeavesDuringTheCheckIsLoggedOnceAndTheNextIsServed() throws Exception {
    storedByAPreviousGateway(BIG);
    reads = new HeldReads();
    startGateway(reads);

    try (RawClient leaving = ask(proxy, BIG)) {
      Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> reads.asked() == 1);
      leaving.socket().setSoLinger(true, 0);
    }
    AccessRecord left = proxy.nextRecord();
    assertThat(left.action()).isEqualTo(CacheAction.TCP_HIT);
    assertThat(left.bytes()).as("nothing was sent").isZero();

    reads.release();
    try (RawClient next = ask(proxy, BIG)) {
      readChecked(next, BIG, LARGE);
    }
    assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_HIT);
    assertThat(proxy.records()).as("one line per request").isEmpty();
    assertThat(reads.asked()).isOne();
  }

  /**
   * A body damaged in place, at its length, after the previous gateway stored it: the first hit's
   * check finds it, so the client gets the origin's bytes, and the file is dropped and counted. A
   * small body (checked by the read that copies it into memory) and a large one (checked alone).
   */
  @ParameterizedTest
  @ValueSource(ints = {SMALL, LARGE})
  void aBodyDamagedInPlaceIsNeverServed(int length) throws Exception {
    String path = "/damaged/" + length;
    storedByAPreviousGateway(path);
    List<Path> files = objectFiles();
    assertThat(files).hasSize(1);
    DiskStoreTest.Damage.FLIPPED_BODY_BYTE.apply(files.get(0));
    ExecutorService bodyReads = DiskExecutor.reads();
    try {
      startGateway(bodyReads);

      try (RawClient c = ask(proxy, path)) {
        readChecked(c, path, length);
      }

      assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_MISS);
      assertThat(served(path)).as("fetched again").isEqualTo(2);
      CacheStore store = proxy.cache().store();
      assertThat(store.stats().damaged()).isOne();
      Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> !Files.exists(files.get(0)));
    } finally {
      proxy.close();
      proxy = null;
      DiskExecutor.stop(bodyReads);
    }
  }

  @Test
  void concurrentFirstHitsOnOneFileShareOneRead() throws Exception {
    storedByAPreviousGateway(BIG);
    reads = new HeldReads();
    startGateway(reads);

    try (RawClient first = ask(proxy, BIG);
        RawClient second = ask(proxy, BIG)) {
      Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> waitingForTheCheckOf(BIG) == 2);
      reads.release();
      readChecked(first, BIG, LARGE);
      readChecked(second, BIG, LARGE);
    }

    assertThat(reads.asked()).as("one read of the file").isOne();
    assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_HIT);
    assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_HIT);
    assertThat(served(BIG)).isOne();
  }

  /** How many requests wait for the check of {@code path}'s body, running or held now. */
  int waitingForTheCheckOf(String path) {
    URI uri = URI.create(origin.url(path));
    String url = CacheKey.of(uri.getHost(), uri.getPort(), path);
    CachedObject stored = proxy.cache().find(url, new DefaultHttpHeaders());
    CompletionStage<Boolean> check = stored == null ? null : stored.bodyCheck();
    return check == null ? 0 : check.toCompletableFuture().getNumberOfDependents();
  }

  List<Path> objectFiles() throws IOException {
    try (Stream<Path> files = Files.walk(dir.resolve("objects"))) {
      return files.filter(Files::isRegularFile).sorted().toList();
    }
  }
}
