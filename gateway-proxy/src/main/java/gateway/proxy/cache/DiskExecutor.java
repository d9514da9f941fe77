package gateway.proxy.cache;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The disk tier's own threads: syncs, renames, deletes and index maintenance wait on the disk there
 * instead of on an event loop. Two, so that one long sync does not hold up every delete.
 */
final class DiskExecutor {
  private DiskExecutor() {}

  static ExecutorService create() {
    AtomicInteger count = new AtomicInteger();
    return Executors.newFixedThreadPool(
        2,
        task -> {
          Thread thread = new Thread(task, "cache-disk-" + count.incrementAndGet());
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
