package gateway.proxy.cache;

import gateway.core.config.CacheConfig;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.concurrent.ForkJoinPool;

/** Opens the configured {@link CacheStore}. */
public final class CacheStores {
  private CacheStores() {}

  /**
   * A store with a memory tier of {@code cache.memory} bytes and, when {@code cache.disk.path} is
   * set, a disk tier there.
   */
  public static CacheStore open(CacheConfig config) {
    // Unpooled: cached bodies live for minutes or hours, and would pin whole chunks of a pool.
    return TieredStore.memoryOnly(
        config.memoryBytes(),
        config.maxObjectBytes(),
        UnpooledByteBufAllocator.DEFAULT,
        ForkJoinPool.commonPool());
  }
}
