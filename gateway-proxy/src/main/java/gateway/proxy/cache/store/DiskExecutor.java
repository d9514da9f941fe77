package gateway.proxy.cache.store;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The disk tier's own threads, so that nothing waits on the disk on an event loop: {@link #io()}
 * for syncs, renames, deletes and index maintenance, {@link #reads()} for whole-body reads (checks,
 * copies into memory), which clients wait for. Two each: one long sync does not hold up every
 * delete, nor one large read every other check.
 */
final class DiskExecutor {
  private DiskExecutor() {}

  static ExecutorService io() {
    return create("cache-disk-");
  }

  static ExecutorService reads() {
    return create("cache-read-");
  }

  private static ExecutorService create(String name) {
    AtomicInteger count = new AtomicInteger();
    return Executors.newFixedThreadPool(
        2,
        task -> {
          Thread thread = new Thread(task, name + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }

  /** Lets queued commits finish (bounded), so that a clean stop loses nothing it acknowledged. */
  static void stop(ExecutorService executor) {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
