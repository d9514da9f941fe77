package gateway.proxy.cache.store;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.CompletableFuture;

/**
 * Stores one response body as it streams in from the origin. Written by one thread (the leader's
 * event loop); {@link #read} and {@link #written} may be called from any thread, so that clients
 * collapsed onto this fill are fed from it while it downloads, and, when they are still behind at
 * the end ({@link #keepReadable}), after it: whatever becomes of the stored object meanwhile (a
 * full tier may drop a new object as soon as it is stored), they read every byte from the writer.
 */
public interface ObjectWriter {

  /**
   * Appends a copy of {@code data}'s readable bytes (its reader index and reference count are left
   * alone). Returns false once the writer has given up (the object grew past the largest object,
   * the disk failed): the response still goes to the client, it is just not stored. A writer that
   * gave up because the body grew too large keeps what it holds readable until {@link #abort}.
   */
  boolean write(ByteBuf data);

  /** Bytes appended so far. */
  long written();

  /** Up to {@code max} bytes from {@code offset} (below {@link #written()}), in a new buffer. */
  ByteBuf read(long offset, int max, ByteBufAllocator alloc);

  /**
   * The body is complete: makes it durable (disk: synced and renamed into place, off the caller's
   * thread) and then visible to {@link CacheStore#get}. Completes with false when it could not be
   * stored. Data already appended stays readable through {@link #read} until the future completes,
   * or, when asked to {@linkplain #keepReadable keep it readable}, until {@link #readersDone}.
   */
  CompletableFuture<Boolean> commit();

  /** Drops what was written, readable no longer; nothing becomes visible. */
  void abort();

  /**
   * Clients read through this writer and may be behind when it is committed: what was appended
   * stays readable after {@link #commit} until {@link #readersDone}. Call before the commit, from
   * the writer's thread.
   */
  void keepReadable();

  /**
   * Nobody reads through this writer any more: a writer {@linkplain #keepReadable kept readable}
   * lets go of what kept its body readable (its own reference to the memory copy, the open file),
   * at once, or at the end of its commit when it comes before. Call once, from any thread.
   */
  void readersDone();
}
