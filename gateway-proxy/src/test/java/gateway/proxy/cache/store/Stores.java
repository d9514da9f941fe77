package gateway.proxy.cache.store;

import gateway.proxy.cache.policy.StoredHead;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * Stores over a real directory for tests. Caffeine's maintenance and the disk tier's I/O and body
 * reads run on the calling thread, so that evictions, deletes, commits and body checks have
 * happened when a call returns.
 */
final class Stores {
  private Stores() {}

  static TieredStore onDisk(Path dir, long memory, long disk, long largest) throws IOException {
    return onDisk(dir, memory, disk, largest, NioStoreFiles.INSTANCE);
  }

  static TieredStore onDisk(Path dir, long memory, long disk, long largest, StoreFiles files)
      throws IOException {
    return onDisk(dir, memory, disk, largest, files, Runnable::run);
  }

  /** A store whose whole-body reads (checks, copies into memory) run on {@code reads}. */
  static TieredStore onDisk(
      Path dir, long memory, long disk, long largest, StoreFiles files, Executor reads)
      throws IOException {
    return onDisk(dir, memory, disk, largest, files, reads, System::nanoTime);
  }

  /** A store whose disk tier measures durations by {@code ticker} (nanoseconds). */
  static TieredStore onDisk(
      Path dir,
      long memory,
      long disk,
      long largest,
      StoreFiles files,
      Executor reads,
      LongSupplier ticker)
      throws IOException {
    return new TieredStore(
        memory,
        largest,
        UnpooledByteBufAllocator.DEFAULT,
        Runnable::run,
        listener ->
            DiskTier.open(
                dir,
                disk,
                Runnable::run,
                reads,
                files,
                UnpooledByteBufAllocator.DEFAULT,
                listener,
                ticker),
        () -> {});
  }

  /** Stores {@code body} under {@code head} as a response of declared length would arrive. */
  static boolean put(CacheStore store, StoredHead head, byte[] body) {
    ObjectWriter writer = store.begin(head, body.length);
    if (writer == null) {
      return false;
    }
    if (!Bodies.write(writer, body, 16 * 1024)) {
      writer.abort();
      return false;
    }
    return writer.commit().join();
  }
}
