package gateway.proxy.cache.store;

import gateway.proxy.cache.policy.StoredHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.zip.CRC32C;

/**
 * Streams a body into a temporary file as it arrives: never held whole in memory. The body goes
 * after room left for the header; the header, with the body's length and CRC, is written on commit,
 * then the file is synced and renamed into place by the disk tier.
 *
 * <p>{@link #write}, {@link #commit} and {@link #abort} come from the leader's thread; {@link
 * #read} from any: positional reads of bytes below {@link #written()}, which the leader no longer
 * touches. When {@linkplain #keepReadable kept readable}, the file stays open for them after the
 * commit until {@link #readersDone}: the object installed may be evicted at once (a full tier
 * admits by frequency), or fail to install, and the open file still has every byte a client behind
 * the download has yet to read.
 */
final class DiskWriter implements ObjectWriter {
  private enum State {
    WRITING,
    /** Grown past the limit: takes nothing more, stores nothing, still readable until aborted. */
    FULL,
    COMMITTING,
    ABANDONED
  }

  private final DiskTier tier;
  private final StoredHead head;
  private final long seq;
  private final Path temp;
  private final FileChannel file;
  private final int headerLength;
  private final long limit;
  private final CRC32C crc = new CRC32C();
  private State state = State.WRITING; // leader's thread only
  private volatile long written;
  private volatile boolean readable = true;

  /** Guarded by this: readers may be behind at the commit; they are done; the commit is. */
  private boolean keepReadable;

  private boolean readersDone;
  private boolean durable;

  DiskWriter(DiskTier tier, StoredHead head, long seq, Path temp, FileChannel file, long limit) {
    this.tier = tier;
    this.head = head;
    this.seq = seq;
    this.temp = temp;
    this.file = file;
    this.headerLength = EntryFormat.encodedLength(head);
    this.limit = limit;
  }

  @Override
  public boolean write(ByteBuf data) {
    if (state != State.WRITING) {
      return false;
    }
    int n = data.readableBytes();
    if (written + n > limit) {
      // What it holds stays readable, for a client still reading it, until aborted.
      state = State.FULL;
      return false;
    }
    try {
      long position = headerLength + written;
      for (ByteBuffer piece : data.nioBuffers(data.readerIndex(), n)) {
        crc.update(piece.duplicate());
        while (piece.hasRemaining()) {
          position += file.write(piece, position);
        }
      }
    } catch (ClosedChannelException e) {
      // Closed under us (an interrupted thread): this object is lost, the disk is fine.
      abort();
      return false;
    } catch (IOException e) {
      tier.writeFailed(e);
      abort();
      return false;
    }
    written += n;
    return true;
  }

  @Override
  public long written() {
    return written;
  }

  @Override
  public ByteBuf read(long offset, int max, ByteBufAllocator alloc) {
    long have = written;
    if (offset < 0 || offset > have) {
      throw new IndexOutOfBoundsException("offset " + offset + " of " + have);
    }
    if (!readable) {
      throw new IllegalStateException("writer finished: read the stored object instead");
    }
    int n = (int) Math.min(max, have - offset);
    ByteBuf out = alloc.directBuffer(n);
    try {
      while (out.writerIndex() < n) {
        long at = headerLength + offset + out.writerIndex();
        if (out.writeBytes(file, at, n - out.writerIndex()) < 0) {
          throw new IOException("temporary file shorter than written");
        }
      }
      return out;
    } catch (ClosedChannelException e) {
      out.release();
      throw new IllegalStateException("writer finished: read the stored object instead", e);
    } catch (IOException e) {
      out.release();
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public CompletableFuture<Boolean> commit() {
    if (state != State.WRITING) {
      abort();
      return CompletableFuture.completedFuture(false);
    }
    state = State.COMMITTING;
    try {
      return CompletableFuture.supplyAsync(this::makeDurable, tier.io());
    } catch (RejectedExecutionException e) {
      state = State.ABANDONED;
      finishReads();
      tier.delete(temp);
      return CompletableFuture.completedFuture(false);
    }
  }

  @Override
  public synchronized void keepReadable() {
    keepReadable = true;
  }

  @Override
  public void readersDone() {
    synchronized (this) {
      readersDone = true;
      if (!durable) {
        return; // the commit closes the file once it is done with it
      }
    }
    finishReads();
  }

  @Override
  public void abort() {
    if (state == State.WRITING || state == State.FULL) {
      state = State.ABANDONED;
      finishReads();
      tier.deleteLater(temp);
    }
  }

  /**
   * On the disk executor: header, fsync, rename into place, then visible. Reads through this writer
   * go on until the object is visible (the open file follows the rename), and when {@linkplain
   * #keepReadable kept readable}, until {@link #readersDone} (the open file outlives a delete): a
   * client behind the download reads every byte from it, whatever became of the object.
   */
  private boolean makeDurable() {
    boolean stored;
    try {
      EntryReader.writeFully(file, EntryFormat.encode(head, written, (int) crc.getValue()), 0);
      tier.files().sync(file, temp);
      Path installed = tier.install(temp, seq);
      tier.publish(head, seq, installed, headerLength + written);
      stored = true;
    } catch (IOException e) {
      tier.writeFailed(e);
      tier.delete(temp);
      stored = false;
    }
    synchronized (this) {
      durable = true;
      if (keepReadable && !readersDone) {
        return stored;
      }
    }
    finishReads();
    return stored;
  }

  private void finishReads() {
    readable = false;
    try {
      file.close();
    } catch (IOException ignored) {
      // Nothing more is read or written through it.
    }
  }
}
