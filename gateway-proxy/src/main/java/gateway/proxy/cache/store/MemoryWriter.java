package gateway.proxy.cache.store;

import gateway.proxy.cache.policy.StoredHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Collects a body in memory, in direct chunks of at most {@link #CHUNK} bytes, and hands it to the
 * memory tier on commit. Gives up once the body grows past {@code limit}: what it holds then stays
 * readable until {@link #abort} (or a commit, which stores nothing), for a client still reading it.
 * A committed body {@linkplain #keepReadable kept readable} stays so through a reference of the
 * writer's own until {@link #readersDone}: the tier may drop it at once (a full tier admits a new
 * object only if it is asked for more often than what it would evict), and a client behind the
 * download still needs it.
 *
 * <p>The leader's event loop writes while collapsed clients on other event loops read, so every
 * method holds the writer's lock; it is held for one copy of at most a chunk's worth of bytes.
 */
final class MemoryWriter implements ObjectWriter {
  /** Big enough that a large body has few chunks, small enough that the last one wastes little. */
  static final int CHUNK = 64 * 1024;

  /** Receives the complete body and takes over its reference. */
  interface Publisher {
    void publish(StoredHead head, ByteBuf body);
  }

  private enum State {
    WRITING,
    /** Grown past the limit: takes nothing more, stores nothing, still readable until aborted. */
    FULL,
    ABANDONED,
    COMMITTED
  }

  private final StoredHead head;
  private final long limit;
  private final ByteBufAllocator alloc;
  private final Publisher publisher;
  private final List<ByteBuf> chunks = new ArrayList<>();

  /** The committed body, for the readers, until they are done; else null. */
  private ByteBuf committed;

  private boolean keepReadable;
  private boolean readersDone;
  private long written;
  private State state = State.WRITING;
  private final int firstChunk;

  /**
   * @param alloc where chunks come from; they live as long as the object is cached
   * @param expectedLength the declared body length, or -1: sizes the first chunk
   */
  MemoryWriter(
      StoredHead head,
      long expectedLength,
      long limit,
      ByteBufAllocator alloc,
      Publisher publisher) {
    this.head = head;
    this.limit = limit;
    this.alloc = alloc;
    this.publisher = publisher;
    this.firstChunk =
        expectedLength >= 0 ? (int) Math.min(CHUNK, Math.max(1, expectedLength)) : CHUNK;
  }

  @Override
  public synchronized boolean write(ByteBuf data) {
    if (state != State.WRITING) {
      return false;
    }
    int n = data.readableBytes();
    if (written + n > limit) {
      state = State.FULL;
      return false;
    }
    if (!makeRoom(n)) {
      // Direct memory ran out: given up like a body too large, what it holds stays readable.
      state = State.FULL;
      return false;
    }
    int from = data.readerIndex();
    int left = n;
    for (int i = firstWithRoom(); left > 0; i++) {
      ByteBuf chunk = chunks.get(i);
      int step = Math.min(left, chunk.writableBytes());
      chunk.writeBytes(data, from, step);
      from += step;
      left -= step;
    }
    written += n;
    return true;
  }

  /**
   * Adds the chunks {@code n} more bytes need, all or none: false when direct memory runs out, so
   * that a part is taken whole or not at all and {@link #written} counts every byte the chunks
   * hold.
   */
  private boolean makeRoom(int n) {
    long room = chunks.isEmpty() ? 0 : chunks.get(chunks.size() - 1).writableBytes();
    int had = chunks.size();
    try {
      while (room < n) {
        ByteBuf chunk = alloc.directBuffer(chunks.isEmpty() ? firstChunk : CHUNK);
        chunks.add(chunk);
        room += chunk.writableBytes();
      }
      return true;
    } catch (OutOfMemoryError directMemoryFull) {
      while (chunks.size() > had) {
        chunks.remove(chunks.size() - 1).release();
      }
      return false;
    }
  }

  /** The first chunk with room left; {@link #makeRoom} made sure there is one. */
  private int firstWithRoom() {
    int i = chunks.size() - 1;
    while (i > 0 && chunks.get(i - 1).isWritable()) {
      i--;
    }
    return i;
  }

  @Override
  public synchronized long written() {
    return written;
  }

  /** Whether it still takes bytes: false after it gave up or finished. */
  synchronized boolean isWriting() {
    return state == State.WRITING;
  }

  @Override
  public synchronized ByteBuf read(long offset, int max, ByteBufAllocator readerAlloc) {
    if (state != State.WRITING && state != State.FULL && committed == null) {
      throw new IllegalStateException("writer is " + state + ": read the stored object instead");
    }
    if (offset < 0 || offset > written) {
      throw new IndexOutOfBoundsException("offset " + offset + " of " + written);
    }
    int n = (int) Math.min(max, written - offset);
    ByteBuf out = readerAlloc.buffer(n);
    if (committed != null) {
      return out.writeBytes(committed, committed.readerIndex() + (int) offset, n);
    }
    long position = 0;
    for (ByteBuf chunk : chunks) {
      int size = chunk.readableBytes();
      if (offset < position + size && out.isWritable()) {
        int at = (int) Math.max(0, offset - position);
        int step = Math.min(size - at, out.writableBytes());
        out.writeBytes(chunk, at, step);
      }
      position += size;
    }
    return out;
  }

  @Override
  public synchronized CompletableFuture<Boolean> commit() {
    if (state != State.WRITING) {
      abort();
      return CompletableFuture.completedFuture(false);
    }
    state = State.COMMITTED;
    ByteBuf body = body();
    if (keepReadable && !readersDone) {
      committed = body.retainedDuplicate();
    }
    publisher.publish(head, body);
    chunks.clear();
    return CompletableFuture.completedFuture(true);
  }

  @Override
  public synchronized void keepReadable() {
    keepReadable = true;
  }

  @Override
  public synchronized void readersDone() {
    readersDone = true;
    if (committed != null) {
      committed.release();
      committed = null;
    }
  }

  @Override
  public synchronized void abort() {
    if (state == State.WRITING || state == State.FULL) {
      abandon();
    }
  }

  private void abandon() {
    state = State.ABANDONED;
    chunks.forEach(ByteBuf::release);
    chunks.clear();
  }

  /**
   * The chunks as one buffer, owning them; a body that fits one chunk is copied to its exact size.
   */
  private ByteBuf body() {
    if (chunks.isEmpty()) {
      return Unpooled.EMPTY_BUFFER;
    }
    if (chunks.size() == 1) {
      ByteBuf only = chunks.get(0);
      if (only.writableBytes() == 0) {
        return only;
      }
      ByteBuf exact = alloc.directBuffer(only.readableBytes());
      exact.writeBytes(only);
      only.release();
      return exact;
    }
    return Unpooled.wrappedBuffer(chunks.size(), chunks.toArray(new ByteBuf[0]));
  }
}
