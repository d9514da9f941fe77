package gateway.proxy.cache.store;

import gateway.proxy.cache.policy.StoredHead;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.CompletionStage;

/** One complete stored response, found by {@link CacheStore#get}. */
public interface CachedObject {

  StoredHead head();

  /** The body's length in bytes. */
  long length();

  /** Whether it was found in the memory tier (TCP_MEM_HIT) rather than on disk (TCP_HIT). */
  boolean inMemory();

  /**
   * The check of the body still running, or null when {@link #open()} can be called now. A disk
   * object whose body had not been checked in this process when it was found comes with that check,
   * which reads the whole file off the caller's thread: wait for it (it completes on another
   * thread, true when the body passed) before opening, or the body is not given.
   */
  CompletionStage<Boolean> bodyCheck();

  /**
   * The body, for one reader: the caller releases or closes what it gets. Null when the object has
   * gone meanwhile, or its body has not passed its check (a disk object found damaged is deleted
   * and gives null).
   */
  Body open();

  /** A body's bytes: either a buffer in memory or a region of an open file. */
  sealed interface Body extends AutoCloseable {
    @Override
    void close();
  }

  /** The whole body in memory; a retained duplicate: {@link #close()} releases it. */
  record InMemory(ByteBuf content) implements Body {
    @Override
    public void close() {
      content.release();
    }
  }

  /**
   * The body as {@code length} bytes of {@code file} from {@code offset}, already checked: it can
   * be sent with {@code sendfile} as is. {@link #close()} closes the channel.
   */
  record OnDisk(FileChannel file, long offset, long length) implements Body {
    @Override
    public void close() {
      try {
        file.close();
      } catch (IOException ignored) {
        // Read-only: nothing is lost by a failed close.
      }
    }
  }
}
