package gateway.proxy.cache.store;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.proxy.cache.policy.Heads;
import gateway.proxy.cache.policy.StoredHead;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What requests choose cannot grow the store's indexes without bound: the secondary key (request
 * header values, RFC 9111 4.1) has a largest length, and one URL a largest number of variants.
 */
class StoreBoundsTest {
  private static final long MEMORY = 4 << 20;
  private static final long DISK = 16 << 20;
  private static final long LARGEST = 2 << 20;

  @TempDir Path dir;
  private TieredStore store;

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  @Test
  void aVariantWhoseSecondaryKeyIsOverTheBoundIsNotStoredInEitherTier() throws IOException {
    store = Stores.onDisk(dir, MEMORY, DISK, LARGEST);
    String atBound = "accept=" + "a".repeat(TieredStore.LARGEST_SECONDARY_KEY - 7);
    String over = atBound + "a";

    assertThat(Stores.put(store, Heads.varying("http://h/v", over, "Accept"), Bodies.of("o", 100)))
        .as("small: memory and disk")
        .isFalse();
    assertThat(
            Stores.put(store, Heads.varying("http://h/v", over, "Accept"), Bodies.of("o", 500_000)))
        .as("large: disk only")
        .isFalse();
    assertThat(store.get(StoredHead.key("http://h/v", over))).isNull();
    assertThat(store.stats().diskObjects()).isZero();

    assertThat(
            Stores.put(store, Heads.varying("http://h/v", atBound, "Accept"), Bodies.of("b", 100)))
        .isTrue();
    assertThat(Bodies.read(store.get(StoredHead.key("http://h/v", atBound))))
        .isEqualTo(Bodies.of("b", 100));
  }

  @Test
  void theMemoryTierAloneKeepsTheSameBound() {
    store =
        TieredStore.memoryOnly(MEMORY, LARGEST, UnpooledByteBufAllocator.DEFAULT, Runnable::run);
    String over = "accept=" + "a".repeat(TieredStore.LARGEST_SECONDARY_KEY);

    assertThat(Stores.put(store, Heads.varying("http://h/v", over, "Accept"), Bodies.of("o", 100)))
        .isFalse();
    assertThat(store.stats().memoryObjects()).isZero();
  }

  /**
   * One more variant than a URL keeps removes the oldest from both tiers, so an invalidation of the
   * URL (RFC 9111 4.4) still reaches every variant that is stored.
   */
  @Test
  void aUrlKeepsAtMostTheBoundOfVariantsAndTheOldestGoesFromBothTiers() throws Exception {
    store = Stores.onDisk(dir, MEMORY, DISK, LARGEST);
    int bound = UrlIndex.MAX_VARIANTS;
    for (int i = 0; i <= bound; i++) {
      assertThat(Stores.put(store, variant(i), Bodies.of("v" + i, 1000))).isTrue();
    }
    store.cleanUp();

    assertThat(store.get(variant(0).key())).as("the oldest").isNull();
    assertThat(Bodies.read(store.get(variant(bound).key())))
        .isEqualTo(Bodies.of("v" + bound, 1000));
    assertThat(store.stats().memoryObjects()).isEqualTo(bound);
    assertThat(store.stats().diskObjects()).isEqualTo(bound);

    assertThat(store.removeUrl("http://h/v")).isTrue();
    store.cleanUp();
    assertThat(store.stats().memoryObjects()).isZero();
    assertThat(store.stats().diskObjects()).as("none left behind the index").isZero();
  }

  @Test
  void theBoundHoldsForWhatAStartFindsOnDisk() throws Exception {
    int bound = UrlIndex.MAX_VARIANTS;
    for (int i = 0; i < bound + 10; i++) {
      EntryFiles.write(dir, i + 1, variant(i), Bodies.of("v" + i, 1000));
    }

    store = Stores.onDisk(dir, MEMORY, DISK, LARGEST);
    store.cleanUp();

    assertThat(store.stats().diskObjects()).isEqualTo(bound);
    assertThat(store.get(variant(9).key())).as("among the oldest").isNull();
    assertThat(store.get(variant(10).key())).isNotNull();
  }

  /**
   * Storing a variant again makes it the newest: the one that goes is the one stored longest ago.
   */
  @Test
  void aVariantStoredAgainIsNoLongerTheOldest() throws Exception {
    store =
        TieredStore.memoryOnly(MEMORY, LARGEST, UnpooledByteBufAllocator.DEFAULT, Runnable::run);
    int bound = UrlIndex.MAX_VARIANTS;
    for (int i = 0; i < bound; i++) {
      Stores.put(store, variant(i), Bodies.of("v" + i, 100));
    }
    Stores.put(store, variant(0), Bodies.of("again", 100));

    Stores.put(store, variant(bound), Bodies.of("v" + bound, 100));

    assertThat(store.get(variant(0).key())).isNotNull();
    assertThat(store.get(variant(1).key())).isNull();
  }

  private static StoredHead variant(int i) {
    return Heads.varying("http://h/v", "user-agent=agent/" + i, "User-Agent");
  }
}
