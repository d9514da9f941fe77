package gateway.proxy.cache.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The disk tier's body reads (see {@link BodyReads}), held until the test releases them, and
 * counted: a test sees what waits for a read while it has not run, and how many reads were asked
 * for. Once released, reads run on a thread of their own, as they would on the disk tier's.
 */
final class HeldReads implements Executor, AutoCloseable {
  private final ExecutorService runner = Executors.newSingleThreadExecutor();
  private final List<Runnable> held = new ArrayList<>();
  private final AtomicInteger asked = new AtomicInteger();
  private boolean released;

  @Override
  public synchronized void execute(Runnable read) {
    asked.incrementAndGet();
    if (released) {
      runner.execute(read);
    } else {
      held.add(read);
    }
  }

  /** How many reads the disk tier asked for, run or held. */
  int asked() {
    return asked.get();
  }

  /** Runs the held reads, and any asked for from now on. */
  synchronized void release() {
    released = true;
    held.forEach(runner::execute);
    held.clear();
  }

  /** Lets the reads released finish; drops those still held (the store is closing). */
  @Override
  public void close() {
    runner.shutdown();
    try {
      runner.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
