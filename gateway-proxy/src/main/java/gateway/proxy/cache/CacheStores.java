package gateway.proxy.cache;

import gateway.core.config.CacheConfig;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;

/** Opens the configured {@link CacheStore}. */
public final class CacheStores {
  private CacheStores() {}

  /**
   * A store with a memory tier of {@code cache.memory} bytes and, when {@code cache.disk.path} is
   * set, a disk tier there of {@code cache.disk.size} bytes, loaded from what a previous run left.
   *
   * @throws UncheckedIOException when the disk tier's directory cannot be created, read or locked
   */
  public static CacheStore open(CacheConfig config) {
    // Unpooled: cached bodies live for minutes or hours, and would pin whole chunks of a pool.
    UnpooledByteBufAllocator alloc = UnpooledByteBufAllocator.DEFAULT;
    if (config.diskPath().isEmpty()) {
      return TieredStore.memoryOnly(
          config.memoryBytes(), config.maxObjectBytes(), alloc, ForkJoinPool.commonPool());
    }
    Path root = config.diskPath().get();
    ExecutorService io = DiskExecutor.create();
    try {
      return new TieredStore(
          config.memoryBytes(),
          config.maxObjectBytes(),
          alloc,
          ForkJoinPool.commonPool(),
          listener -> DiskTier.open(root, config.diskBytes(), io, TempFiles.CREATE_NEW, alloc, listener),
          () -> DiskExecutor.stop(io));
    } catch (IOException e) {
      DiskExecutor.stop(io);
      throw new UncheckedIOException("cache disk " + root, e);
    }
  }
}
