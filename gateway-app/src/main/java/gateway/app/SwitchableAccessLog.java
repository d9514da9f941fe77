package gateway.app;

import gateway.core.log.AccessRecord;
import gateway.proxy.log.AccessLog;
import gateway.proxy.log.AccessLogWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The access log a reload can point elsewhere ({@code log.access}, {@code log.access-queue}):
 * records go to the writer in force; a replaced writer is closed a second later, once the records
 * handed to it just before the switch are queued, and closing writes all it holds, so no line is
 * lost or cut.
 */
final class SwitchableAccessLog implements AccessLog, AutoCloseable {
  private volatile AccessLogWriter writer;

  SwitchableAccessLog(AccessLogWriter writer) {
    this.writer = writer;
  }

  @Override
  public void record(AccessRecord record) {
    writer.record(record);
  }

  /** Writes to {@code next} from now on. */
  void switchTo(AccessLogWriter next) {
    AccessLogWriter before = writer;
    writer = next;
    CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(before::close);
  }

  /** Reopens the file at its path (after a rotation that moved it away). */
  void reopen() {
    writer.reopen();
  }

  @Override
  public void close() {
    writer.close();
  }
}
