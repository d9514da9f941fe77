package gateway.proxy.cache.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How much of the JVM's direct memory the memory tier may take, leaving the connections theirs. */
class CacheStoresTest {
  static final long MIB = 1 << 20;

  @ParameterizedTest(name = "cache.memory {0} MiB, direct memory {1} MiB: {2} MiB")
  @CsvSource({
    // configured, max direct, memory tier (MiB)
    "64,   1024, 64", // fits: as configured
    "256,  1024, 256",
    "256,  256,  192", // the README's -Xmx256m with the default cache.memory: a quarter kept
    "256,  342,  256", // what the warning asks for
    "64,   64,   32", // a small JVM keeps at least 32 MiB
    "64,   16,   0", // no room at all: no memory tier
  })
  void theMemoryTierLeavesAQuarterOfDirectMemoryAndAtLeast32MiBToTheConnections(
      long configured, long maxDirect, long expected) {
    assertThat(CacheStores.memoryTierBytes(configured * MIB, maxDirect * MIB))
        .isEqualTo(expected * MIB);
  }

  @Test
  void theDirectMemoryTheWarningAsksForFitsTheWholeTier() {
    for (long memory : new long[] {1, 8 * MIB, 100 * MIB + 1, 256 * MIB, 3L << 30}) {
      long needed = CacheStores.neededDirectMemory(memory);
      long roundedUpToMiB = (needed + MIB - 1) / MIB * MIB;
      assertThat(CacheStores.memoryTierBytes(memory, needed))
          .as("%d bytes", memory)
          .isEqualTo(memory);
      assertThat(CacheStores.memoryTierBytes(memory, roundedUpToMiB)).isEqualTo(memory);
    }
  }
}
