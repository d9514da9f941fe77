package gateway.proxy.cache.store;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.proxy.cache.policy.Heads;
import gateway.proxy.cache.policy.StoredHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The store without a disk tier: what the memory tier keeps, bounds, gives back and releases. */
class MemoryStoreTest {
  private static final long MEMORY = 1 << 20;
  private static final long LARGEST = MEMORY / 8;

  // Caffeine evicts and calls removal listeners on the calling thread: every assertion is exact.
  private final TieredStore store =
      TieredStore.memoryOnly(MEMORY, 16L << 20, UnpooledByteBufAllocator.DEFAULT, Runnable::run);

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void storedObjectIsFoundInMemoryWithItsBytesAndHead() throws Exception {
    byte[] body = Bodies.of("a", 100_000);
    assertThat(put("http://h/a", body)).isTrue();

    CachedObject hit = store.get("http://h/a");

    assertThat(hit.inMemory()).isTrue();
    assertThat(hit.length()).isEqualTo(body.length);
    assertThat(hit.head().status()).isEqualTo(200);
    assertThat(hit.head().headers().get("Cache-Control")).isEqualTo("max-age=60");
    assertThat(Bodies.read(hit)).isEqualTo(body);
  }

  @Test
  void emptyBodyIsStored() throws Exception {
    assertThat(put("http://h/empty", new byte[0])).isTrue();

    assertThat(Bodies.read(store.get("http://h/empty"))).isEmpty();
  }

  @Test
  void nothingIsVisibleBeforeCommit() {
    ObjectWriter writer = store.begin(Heads.ok("http://h/a"), 1000);
    Bodies.write(writer, Bodies.of("a", 1000), 100);

    assertThat(store.get("http://h/a")).isNull();
    assertThat(store.varyOf("http://h/a")).isNull();

    assertThat(writer.commit().join()).isTrue();
    assertThat(store.get("http://h/a")).isNotNull();
  }

  @Test
  void abortLeavesNothing() {
    ObjectWriter writer = store.begin(Heads.ok("http://h/a"), -1);
    Bodies.write(writer, Bodies.of("a", 5000), 1000);

    writer.abort();

    assertThat(store.get("http://h/a")).isNull();
    assertThat(writer.commit().join()).isFalse();
    assertThat(store.stats().memoryObjects()).isZero();
  }

  @Test
  void objectDeclaredLargerThanTheMemoryTierTakesIsRefused() {
    assertThat(store.begin(Heads.ok("http://h/big"), LARGEST + 1)).isNull();
  }

  @Test
  void objectGrowingPastTheLargestIsAbandoned() {
    ObjectWriter writer = store.begin(Heads.ok("http://h/big"), -1);

    assertThat(Bodies.write(writer, Bodies.of("big", (int) LARGEST + 1), 8192)).isFalse();

    assertThat(writer.commit().join()).isFalse();
    assertThat(store.get("http://h/big")).isNull();
  }

  @Test
  void bytesStayWithinTheBoundAndPopularObjectsStay() throws Exception {
    byte[] popularBody = Bodies.of("popular", 60_000);
    put("http://h/popular", popularBody);
    for (int i = 0; i < 200; i++) {
      put("http://h/once-" + i, Bodies.of("once-" + i, 60_000));
      for (int reads = 0; reads < 3; reads++) {
        assertThat(store.get("http://h/popular")).isNotNull();
      }
      assertThat(store.stats().memoryBytes()).isLessThanOrEqualTo(MEMORY);
    }

    assertThat(Bodies.read(store.get("http://h/popular"))).isEqualTo(popularBody);
    assertThat(store.stats().memoryObjects()).isLessThan(20);
  }

  @Test
  void aReaderKeepsItsBodyWhileTheObjectIsEvicted() throws Exception {
    byte[] body = Bodies.of("a", 50_000);
    put("http://h/a", body);
    CachedObject hit = store.get("http://h/a");

    try (CachedObject.Body open = hit.open()) {
      assertThat(store.removeUrl("http://h/a")).isTrue();

      assertThat(Bodies.bytes(((CachedObject.InMemory) open).content())).isEqualTo(body);
    }
    assertThat(hit.open()).as("opened after the object went").isNull();
  }

  @Test
  void replacingAnObjectServesTheNewBody() throws Exception {
    put("http://h/a", Bodies.of("old", 10_000));
    put("http://h/a", Bodies.of("new", 20_000));

    assertThat(Bodies.read(store.get("http://h/a"))).isEqualTo(Bodies.of("new", 20_000));
    assertThat(store.stats().memoryObjects()).isEqualTo(1);
  }

  @Test
  void updateHeadKeepsTheBody() throws Exception {
    byte[] body = Bodies.of("a", 10_000);
    put("http://h/a", body);

    store.updateHead(Heads.withHeader(Heads.ok("http://h/a"), "ETag", "\"v2\""));

    CachedObject hit = store.get("http://h/a");
    assertThat(hit.head().headers().get("ETag")).isEqualTo("\"v2\"");
    assertThat(Bodies.read(hit)).isEqualTo(body);
  }

  @Test
  void variantsAreIndexedByUrlAndRemovedTogether() throws Exception {
    put(Heads.varying("http://h/v", "gzip", "Accept-Encoding, Accept-Language"), new byte[10]);
    put(Heads.varying("http://h/v", "br", "Accept-Encoding, Accept-Language"), new byte[20]);
    put(Heads.ok("http://h/plain"), new byte[30]);

    assertThat(store.varyOf("http://h/v")).containsExactly("Accept-Encoding", "Accept-Language");
    assertThat(store.varyOf("http://h/plain")).isEmpty();
    assertThat(store.varyOf("http://h/none")).isNull();

    assertThat(store.removeUrl("http://h/v")).isTrue();

    assertThat(store.get(StoredHead.key("http://h/v", "gzip"))).isNull();
    assertThat(store.get(StoredHead.key("http://h/v", "br"))).isNull();
    assertThat(store.varyOf("http://h/v")).isNull();
    assertThat(store.removeUrl("http://h/v")).isFalse();
    assertThat(store.get("http://h/plain")).isNotNull();
  }

  @Test
  void aWriterInProgressIsReadFromAnotherThread() throws Exception {
    byte[] body = Bodies.of("collapsed", 100_000);
    ObjectWriter writer = store.begin(Heads.ok("http://h/c"), body.length);
    CompletableFuture<byte[]> follower =
        CompletableFuture.supplyAsync(() -> follow(writer, body.length));

    Bodies.write(writer, body, 1000);

    assertThat(follower.get(10, TimeUnit.SECONDS)).isEqualTo(body);
    writer.commit().join();
  }

  /** A collapsed client: reads whatever the writer has so far until it has {@code length} bytes. */
  static byte[] follow(ObjectWriter writer, int length) {
    byte[] got = new byte[length];
    int have = 0;
    while (have < length) {
      if (writer.written() == have) {
        Thread.onSpinWait();
        continue;
      }
      ByteBuf piece = writer.read(have, 4096, ByteBufAllocator.DEFAULT);
      try {
        int n = piece.readableBytes();
        piece.readBytes(got, have, n);
        have += n;
      } finally {
        piece.release();
      }
    }
    return got;
  }

  private boolean put(String url, byte[] body) {
    return put(Heads.ok(url), body);
  }

  private boolean put(StoredHead head, byte[] body) {
    ObjectWriter writer = store.begin(head, body.length);
    Bodies.write(writer, body, 16 * 1024);
    return writer.commit().join();
  }
}
