package gateway.proxy.log;

import gateway.core.log.AccessRecord;
import gateway.core.log.CacheAction;
import gateway.core.log.SquidLine;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes Squid-format access-log lines from a thread of its own, so an event loop never waits for a
 * disk.
 *
 * <p>The queue is bounded: when the disk cannot keep up, new records are dropped and counted (see
 * {@link #dropped()}) rather than blocking an event loop or growing the heap without bound. Lines
 * are written whole and flushed whenever the queue runs empty; {@link #close()} writes everything
 * queued before it returns, so a stopped gateway leaves no half-written line.
 *
 * <p>Records are written in batches: after each batch the writer pauses for {@link #LINGER_MILLIS}
 * before it looks again. An event loop's {@code offer} wakes the writer only when it waits on an
 * empty queue; without the pause, a busy proxy would wake it (a context switch, often on the event
 * loop's own core) and flush the file once per request. A line so reaches the file at most a few
 * milliseconds late.
 */
public final class AccessLogWriter implements AccessLog, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AccessLogWriter.class);

  /** How long the writer lets records gather after writing a batch. */
  static final long LINGER_MILLIS = 5;

  private static final AccessRecord POISON =
      new AccessRecord(0, 0, "", CacheAction.TAG_NONE, 0, 0, "", "", null, null);

  private final BlockingQueue<AccessRecord> queue;
  private final Path path;
  private final OutputStream stdout;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final Thread thread;
  private volatile boolean reopenRequested;
  private volatile boolean closed;
  private Writer out;

  private AccessLogWriter(Path path, OutputStream stdout, int capacity) throws IOException {
    this.path = path;
    this.stdout = stdout;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.out = open();
    this.thread = new Thread(this::run, "access-log");
    thread.setDaemon(true);
    thread.start();
  }

  /** Appends to {@code path}, creating it (and its folder) if needed. */
  public static AccessLogWriter toFile(Path path, int capacity) throws IOException {
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    return new AccessLogWriter(path, null, capacity);
  }

  public static AccessLogWriter toStream(OutputStream stream, int capacity) throws IOException {
    return new AccessLogWriter(null, stream, capacity);
  }

  @Override
  public void record(AccessRecord record) {
    if (closed || !queue.offer(record)) {
      dropped.incrementAndGet();
    }
  }

  /** Records dropped because the queue was full (or the writer closed). */
  public long dropped() {
    return dropped.get();
  }

  public long written() {
    return written.get();
  }

  /** Reopens the file at its path on the writer thread, e.g. after log rotation moved it away. */
  public void reopen() {
    reopenRequested = true;
  }

  private Writer open() throws IOException {
    OutputStream os =
        path == null
            ? stdout
            : Files.newOutputStream(
                path,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
    return new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), 64 * 1024);
  }

  private void run() {
    List<AccessRecord> batch = new ArrayList<>(1024);
    boolean stop = false;
    while (!stop) {
      try {
        AccessRecord first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (reopenRequested && path != null) {
          reopenRequested = false;
          out.close();
          out = open();
        }
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch);
        for (AccessRecord r : batch) {
          if (r == POISON) {
            stop = true;
            break;
          }
          out.write(SquidLine.format(r));
          out.write('\n');
          written.incrementAndGet();
        }
        batch.clear();
        if (queue.isEmpty()) {
          out.flush();
        }
        if (!stop) {
          Thread.sleep(LINGER_MILLIS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stop = true;
      } catch (IOException e) {
        log.error("access log {}: {}", path == null ? "stdout" : path, e.toString());
        batch.clear();
      }
    }
    try {
      out.flush();
      if (path != null) {
        out.close();
      }
    } catch (IOException e) {
      log.error("access log {}: {}", path, e.toString());
    }
  }

  /** Writes every queued record, then closes the file. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      queue.put(POISON);
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
