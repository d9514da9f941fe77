package gateway.proxy.cache.store;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.log.AccessRecord;
import gateway.core.log.CacheAction;
import gateway.proxy.cache.HttpCache;
import gateway.proxy.cache.policy.Heads;
import gateway.proxy.cache.policy.StoredHead;
import gateway.proxy.cache.store.FaultyFiles.Op;
import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.RunningProxy;
import gateway.proxy.testing.TestConfigs;
import gateway.proxy.testing.TestOrigin;
import gateway.proxy.testing.UrlBodies;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk tier when the disk fails under it, through {@link FaultyFiles}: a failed rename, sync or
 * read costs a miss, never a visible half-entry, a damaged body or a stuck URL. Real files in a
 * temporary directory; the proxy cases run against a real origin on loopback.
 */
class DiskFaultsTest {
  private static final long MEMORY = 1 << 20; // objects up to 128 KiB are also kept in memory
  private static final long DISK = 16 << 20;
  private static final long LARGEST = 4 << 20;
  private static final int LARGE = 500_000; // on disk only
  private static final String URL = "http://h/large";

  @TempDir Path dir;
  final FaultyFiles files = new FaultyFiles();
  TieredStore store;
  TestOrigin origin;
  RunningProxy proxy;
  final Map<String, AtomicInteger> served = new ConcurrentHashMap<>();

  @AfterEach
  void close() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    if (origin != null) {
      origin.close();
    }
    if (store != null) {
      store.close();
    }
  }

  @Test
  void aRenameThatFailsAtCommitLeavesNoEntryAndNoTemporaryFile() throws Exception {
    store = Stores.onDisk(dir, MEMORY, DISK, LARGEST, files);
    files.failOnce(Op.MOVE);

    assertThat(Stores.put(store, Heads.ok(URL), Bodies.of("large", LARGE))).isFalse();

    assertThat(files.failed()).isOne();
    assertThat(store.get(URL)).isNull();
    assertThat(store.varyOf(URL)).isNull();
    assertThat(store.stats().diskObjects()).isZero();
    assertThat(filesIn("tmp")).isEmpty();
    assertThat(filesIn("objects")).isEmpty();
    store.close();
    store = Stores.onDisk(dir, MEMORY, DISK, LARGEST);
    assertThat(store.get(URL)).as("after a restart too").isNull();
  }

  @Test
  void aSyncThatFailsAtCommitPublishesNothing() throws Exception {
    store = Stores.onDisk(dir, MEMORY, DISK, LARGEST, files);
    files.failOnce(Op.SYNC);

    assertThat(Stores.put(store, Heads.ok(URL), Bodies.of("large", LARGE))).isFalse();

    assertThat(files.failed()).isOne();
    assertThat(store.get(URL)).isNull();
    assertThat(filesIn("tmp")).isEmpty();
    assertThat(filesIn("objects")).isEmpty();
  }

  @Test
  void aFolderSyncThatFailsAfterTheRenamePublishesNothingAndARestartFindsTheWholeBodyOrNone()
      throws Exception {
    store = Stores.onDisk(dir, MEMORY, DISK, LARGEST, files);
    files.failOnce(Op.SYNC_DIRECTORY);
    byte[] body = Bodies.of("large", LARGE);

    assertThat(Stores.put(store, Heads.ok(URL), body)).isFalse();

    assertThat(files.failed()).isOne();
    assertThat(store.get(URL)).isNull();
    assertThat(filesIn("tmp")).isEmpty();
    store.close();
    store = Stores.onDisk(dir, MEMORY, DISK, LARGEST);
    CachedObject found = store.get(URL);
    if (found != null) {
      assertThat(Bodies.read(found)).isEqualTo(body);
    }
  }

  @Test
  void aRewrittenHeadWhoseSyncFailsLeavesTheStoredObjectWhole() throws Exception {
    store = Stores.onDisk(dir, MEMORY, DISK, LARGEST, files);
    byte[] body = Bodies.of("large", LARGE);
    StoredHead head = Heads.ok(URL);
    assertThat(Stores.put(store, head, body)).isTrue();
    files.failOnce(Op.SYNC);

    store.updateHead(Heads.withHeader(head, "X-After-304", "yes"));

    assertThat(files.failed()).isOne();
    CachedObject hit = store.get(URL);
    assertThat(hit.head()).isEqualTo(head);
    assertThat(Bodies.read(hit)).isEqualTo(body);
    assertThat(filesIn("tmp")).isEmpty();
    assertThat(filesIn("objects")).hasSize(1);
  }

  @Test
  void aHeaderReadThatFailsIsAMissAndCounted() throws Exception {
    store = Stores.onDisk(dir, MEMORY, DISK, LARGEST, files);
    byte[] body = Bodies.of("large", LARGE);
    assertThat(Stores.put(store, Heads.ok(URL), body)).isTrue();
    files.failOnce(Op.OPEN_READ);

    assertThat(store.get(URL)).isNull();

    assertThat(files.failed()).isOne();
    assertThat(store.stats().diskReadFailures()).isOne();
    assertThat(store.get(URL)).as("dropped, as a damaged entry is").isNull();
    assertThat(Stores.put(store, Heads.ok(URL), body)).as("stored again").isTrue();
    assertThat(Bodies.read(store.get(URL))).isEqualTo(body);
  }

  @Test
  void aBodyCheckWhoseReadFailsIsAMissAndCounted() throws Exception {
    byte[] body = Bodies.of("large", LARGE);
    store = Stores.onDisk(dir, MEMORY, DISK, LARGEST);
    assertThat(Stores.put(store, Heads.ok(URL), body)).isTrue();
    store.close();
    store = Stores.onDisk(dir, MEMORY, DISK, LARGEST, files);
    // The first read opens the header, the second the body for its first check in this process.
    AtomicInteger opens = new AtomicInteger();
    files.fail(
        Op.OPEN_READ, p -> p.startsWith(dir.resolve("objects")) && opens.incrementAndGet() == 2, 1);

    assertThat(store.get(URL)).isNull();

    assertThat(files.failed()).isOne();
    assertThat(store.stats().diskReadFailures()).isOne();
  }

  @Test
  void aBodyThatCannotBeOpenedGivesNoBodyAndIsCounted() throws Exception {
    store = Stores.onDisk(dir, MEMORY, DISK, LARGEST, files);
    byte[] body = Bodies.of("large", LARGE);
    assertThat(Stores.put(store, Heads.ok(URL), body)).isTrue();
    CachedObject hit = store.get(URL);
    files.failOnce(Op.OPEN_READ);

    assertThat(hit.open()).isNull();

    assertThat(store.stats().diskReadFailures()).isOne();
    assertThat(Bodies.read(store.get(URL))).as("the file itself is fine").isEqualTo(body);
  }

  @Test
  void throughTheProxyAFailedRenameCostsAMissAndTheNextFillOfTheUrlIsServedWhole()
      throws Exception {
    startProxy();
    String path = "/renamed/" + LARGE;
    files.failOnce(Op.MOVE);

    assertThat(fetchChecked(path).action()).isEqualTo(CacheAction.TCP_MISS);
    assertThat(fetchChecked(path).action()).isEqualTo(CacheAction.TCP_MISS);

    assertThat(files.failed()).isOne();
    assertThat(served(path)).isEqualTo(2);
    assertThat(filesIn("tmp")).isEmpty();
    assertThat(filesIn("objects")).isEmpty();
  }

  @Test
  void throughTheProxyAFailedSyncNeverServesAShortBody() throws Exception {
    startProxy();
    String path = "/synced/" + LARGE;
    files.failOnce(Op.SYNC);

    assertThat(fetchChecked(path).action()).isEqualTo(CacheAction.TCP_MISS);
    assertThat(fetchChecked(path).action()).isEqualTo(CacheAction.TCP_MISS);

    assertThat(files.failed()).isOne();
    assertThat(served(path)).isEqualTo(2);
    assertThat(filesIn("tmp")).isEmpty();
    assertThat(filesIn("objects")).isEmpty();
  }

  @Test
  void throughTheProxyAFailedReadIsAMissServedWholeFromTheOriginAndCounted() throws Exception {
    startProxy();
    String path = "/read/" + LARGE;
    assertThat(fetchChecked(path).action()).isEqualTo(CacheAction.TCP_MISS);
    assertThat(fetchChecked(path).action()).isEqualTo(CacheAction.TCP_HIT);
    files.failOnce(Op.OPEN_READ);

    assertThat(fetchChecked(path).action()).isEqualTo(CacheAction.TCP_MISS);

    assertThat(served(path)).isEqualTo(2);
    assertThat(proxy.cache().store().stats().diskReadFailures()).isOne();
    assertThat(fetchChecked(path).action())
        .as("stored again by that miss")
        .isEqualTo(CacheAction.TCP_HIT);
  }

  /**
   * A proxy over a store on {@link #files} whose disk work runs on the calling thread, and an
   * origin that serves {@code /<name>/<length>}: {@code length} bytes derived from the path, for an
   * hour.
   */
  private void startProxy() throws Exception {
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
    store = Stores.onDisk(dir, MEMORY, DISK, LARGEST, files);
    proxy = RunningProxy.start(TestConfigs.loopback(), new HttpCache(store));
  }

  /** Fetches {@code path} through the proxy, checks every byte, and returns its log record. */
  private AccessRecord fetchChecked(String path) throws Exception {
    try (RawClient c = new RawClient(proxy.address())) {
      c.send("GET " + origin.url(path) + " HTTP/1.1\r\nHost: " + origin.authority() + "\r\n\r\n");
      RawClient.Response r = c.read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(UrlBodies.firstDifference(path, LARGE, r.body()))
          .as("first wrong byte of %s (%d bytes received)", path, r.body().length)
          .isEqualTo(-1);
    }
    return proxy.nextRecord();
  }

  private int served(String path) {
    AtomicInteger n = served.get(path);
    return n == null ? 0 : n.get();
  }

  private List<Path> filesIn(String folder) throws IOException {
    try (Stream<Path> found = Files.walk(dir.resolve(folder))) {
      return found.filter(Files::isRegularFile).toList();
    }
  }
}
