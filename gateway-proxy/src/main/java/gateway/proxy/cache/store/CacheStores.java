package gateway.proxy.cache.store;

import gateway.core.config.CacheConfig;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens the configured {@link CacheStore}. */
public final class CacheStores {
  private static final Logger log = LoggerFactory.getLogger(CacheStores.class);

  /** Direct memory always left to the connections' buffers, at the least. */
  static final long NETWORK_RESERVE = 32L << 20;

  private CacheStores() {}

  /**
   * A store with a memory tier of {@code cache.memory} bytes and, when {@code cache.disk.path} is
   * set, a disk tier there of {@code cache.disk.size} bytes, loaded from what a previous run left.
   * The memory tier is made smaller, with a warning, where {@code cache.memory} would leave the
   * connections too little of the JVM's direct memory (see {@link #memoryTierBytes}).
   *
   * @throws UncheckedIOException when the disk tier's directory cannot be created, read or locked
   */
  public static CacheStore open(CacheConfig config) {
    long maxDirect = PlatformDependent.maxDirectMemory();
    long memory = memoryTierBytes(config.memoryBytes(), maxDirect);
    if (memory < config.memoryBytes()) {
      log.warn(
          "cache.memory {} MiB does not fit this JVM's direct memory ({} MiB) with room for the"
              + " connections' buffers: the memory cache gets {} MiB. Give the JVM"
              + " -XX:MaxDirectMemorySize={}m (or a larger -Xmx) for all of it",
          config.memoryBytes() >> 20,
          maxDirect >> 20,
          memory >> 20,
          (neededDirectMemory(config.memoryBytes()) + (1 << 20) - 1) >> 20);
    }
    // Unpooled: cached bodies live for minutes or hours, and would pin whole chunks of a pool.
    UnpooledByteBufAllocator alloc = UnpooledByteBufAllocator.DEFAULT;
    if (config.diskPath().isEmpty()) {
      return TieredStore.memoryOnly(
          memory, config.maxObjectBytes(), alloc, ForkJoinPool.commonPool());
    }
    Path root = config.diskPath().get();
    ExecutorService io = DiskExecutor.io();
    ExecutorService reads = DiskExecutor.reads();
    Runnable stop =
        () -> {
          DiskExecutor.stop(reads);
          DiskExecutor.stop(io);
        };
    try {
      return new TieredStore(
          memory,
          config.maxObjectBytes(),
          alloc,
          ForkJoinPool.commonPool(),
          listener ->
              DiskTier.open(
                  root,
                  config.diskBytes(),
                  io,
                  reads,
                  NioStoreFiles.INSTANCE,
                  alloc,
                  listener,
                  System::nanoTime),
          stop);
    } catch (IOException e) {
      stop.run();
      throw new UncheckedIOException("cache disk " + root, e);
    }
  }

  /**
   * The memory tier's bodies are direct buffers, and so are the connections' I/O buffers: both come
   * out of the JVM's direct memory ({@code -XX:MaxDirectMemorySize}, by default the heap's
   * maximum). A full memory tier that took all of it would leave no buffer to serve with, and
   * transfers would break off. The tier gets at most what is left after a quarter of the direct
   * memory, and at least {@link #NETWORK_RESERVE}, are kept for the connections.
   */
  static long memoryTierBytes(long configured, long maxDirectMemory) {
    long reserve = Math.max(NETWORK_RESERVE, maxDirectMemory / 4);
    return Math.max(0, Math.min(configured, maxDirectMemory - reserve));
  }

  /** The direct memory a JVM needs for a memory tier of {@code memory} bytes to fit whole. */
  static long neededDirectMemory(long memory) {
    return Math.max(memory + NETWORK_RESERVE, (memory * 4 + 2) / 3);
  }
}
