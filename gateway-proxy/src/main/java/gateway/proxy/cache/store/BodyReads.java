package gateway.proxy.cache.store;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;

/**
 * The reads of whole disk bodies, which an event loop must not wait for: a file's first read in
 * this process, which checks the body's CRC, and the copy of a small body into memory. They run on
 * their own executor, so that a client waiting for one does not queue behind syncs on {@link
 * DiskTier#io()}, nor a long read hold up commits. Requests for one file while its read runs share
 * that read. Remembers the files whose body passed, so that later hits do not read them again.
 *
 * <p>Files are named by their sequence number, never reused for other bytes (see {@link
 * DiskLayout}).
 */
final class BodyReads {
  private final Executor executor;
  private final Set<Long> passed = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<Long, CompletableFuture<Boolean>> running =
      new ConcurrentHashMap<>();

  BodyReads(Executor executor) {
    this.executor = executor;
  }

  /** Whether the body of file {@code seq} passed its check in this process. */
  boolean passed(long seq) {
    return passed.contains(seq);
  }

  /**
   * Records that the body of file {@code seq} passed its check: called by a read that checked it.
   */
  void pass(long seq) {
    passed.add(seq);
  }

  /** Forgets file {@code seq}, dropped from the index. */
  void forget(long seq) {
    passed.remove(seq);
  }

  /**
   * The read of file {@code seq}: the one running, or {@code read} started now on the executor.
   * Completes, on the executor's thread, with what {@code read} returned (whether the body passed),
   * or false when the executor is stopping.
   */
  CompletableFuture<Boolean> read(long seq, BooleanSupplier read) {
    CompletableFuture<Boolean> current = running.get(seq);
    if (current != null) {
      return current;
    }
    CompletableFuture<Boolean> mine = new CompletableFuture<>();
    current = running.putIfAbsent(seq, mine);
    if (current != null) {
      return current;
    }
    try {
      executor.execute(() -> run(seq, mine, read));
    } catch (RejectedExecutionException stopping) {
      running.remove(seq, mine);
      mine.complete(false);
    }
    return mine;
  }

  private void run(long seq, CompletableFuture<Boolean> result, BooleanSupplier read) {
    boolean ok = false;
    try {
      ok = read.getAsBoolean();
    } finally {
      // Gone from the map before it completes: whoever comes after it finds the file passed, or
      // (failed, dropped from the index) does not find the file at all.
      running.remove(seq, result);
      result.complete(ok);
    }
  }
}
