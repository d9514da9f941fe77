package gateway.proxy.cache.store;

import gateway.proxy.cache.policy.StoredHead;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The disk tier's writes: a new object goes to a temporary file ({@link DiskWriter}), is synced,
 * renamed into place and its folder synced, and only then added to the index; a 304 writes the new
 * head and the old body to a new file the same way. The first write or sync that fails stops all
 * writes to the disk until restart (what is stored keeps serving); so does running out of sequence
 * numbers.
 */
final class DiskCommits {
  // The disk tier's lines keep one logger, whichever of its parts writes them.
  private static final Logger log = LoggerFactory.getLogger(DiskTier.class);

  private final DiskTier tier;
  private final DiskLayout layout;
  private final DiskIndex index;
  private final Executor io;
  private final long maxBytes;
  private final AtomicLong nextSeq = new AtomicLong();
  private final AtomicBoolean writesDisabled = new AtomicBoolean();

  /**
   * @param tier what the writers begun here report to
   */
  DiskCommits(DiskTier tier, DiskLayout layout, DiskIndex index, Executor io, long maxBytes) {
    this.tier = tier;
    this.layout = layout;
    this.index = index;
    this.io = io;
    this.maxBytes = maxBytes;
  }

  /** The next sequence number, after what the store holds ({@link DiskLayout#NO_SEQ}: none). */
  void continueAt(long seq) {
    nextSeq.set(seq);
  }

  Executor io() {
    return io;
  }

  /**
   * A writer into a new temporary file, or null when disk writes are disabled or the file cannot be
   * created.
   */
  DiskWriter begin(StoredHead head, long limit) {
    if (writesDisabled.get()) {
      return null;
    }
    long seq = takeSeq();
    if (seq == DiskLayout.NO_SEQ) {
      return null;
    }
    Path temp = layout.temp(seq);
    try {
      FileChannel file = layout.files().createNew(temp);
      return new DiskWriter(tier, head, seq, temp, file, Math.min(limit, maxBytes));
    } catch (IOException e) {
      writeFailed(e);
      return null;
    } catch (IllegalArgumentException headTooLarge) {
      return null;
    }
  }

  /**
   * The next file's sequence number, or {@link DiskLayout#NO_SEQ} once {@link Long#MAX_VALUE} was
   * given: names then stop, rather than wrap to numbers that sort before every stored one.
   */
  private long takeSeq() {
    long seq =
        nextSeq.getAndUpdate(
            s -> s == DiskLayout.NO_SEQ || s == Long.MAX_VALUE ? DiskLayout.NO_SEQ : s + 1);
    if (seq == DiskLayout.NO_SEQ) {
      seqsUsedUp();
    }
    return seq;
  }

  void seqsUsedUp() {
    if (writesDisabled.compareAndSet(false, true)) {
      log.warn(
          "cache disk {}: sequence numbers used up (an entry is named 7fffffffffffffff), disk"
              + " writes disabled (stored objects keep serving); empty the directory to write again",
          layout.root());
    }
  }

  /** Renames a complete, synced temporary file into place and syncs its folder; on {@code io}. */
  Path install(Path temp, long seq) throws IOException {
    Path target = layout.object(seq);
    layout.createFolderOf(target);
    layout.files().moveAtomically(temp, target);
    layout.syncDirectory(target.getParent());
    return target;
  }

  /** Makes an installed file visible; on {@code io}. */
  void publish(StoredHead head, long seq, Path file, long size) {
    index.add(DiskEntry.of(head, seq, file, size));
  }

  /**
   * After a 304: writes a new file with the new head and the old body, off the caller's thread. The
   * new file replaces the old one in the index only if the old one is still the current version.
   */
  void updateHead(StoredHead head) {
    DiskEntry old = index.current(KeyDigest.of(head.key()));
    if (old != null && !writesDisabled.get()) {
      io.execute(() -> rewriteHead(old, head));
    }
  }

  private void rewriteHead(DiskEntry old, StoredHead head) {
    long seq = takeSeq();
    if (seq == DiskLayout.NO_SEQ) {
      return;
    }
    Path temp = layout.temp(seq);
    try {
      long size;
      try (FileChannel from = layout.openRegular(old.file());
          FileChannel to = layout.files().createNew(temp)) {
        EntryFormat.Header header = EntryReader.readHeader(from);
        if (!header.head().key().equals(head.key())) {
          delete(temp); // another key with the same digest: not the object this 304 was about
          return;
        }
        ByteBuffer newHeader = EntryFormat.encode(head, header.bodyLength(), header.bodyCrc());
        size = newHeader.remaining() + header.bodyLength();
        EntryReader.writeFully(to, newHeader, 0);
        to.position(size - header.bodyLength());
        for (long copied = 0; copied < header.bodyLength(); ) {
          long n = from.transferTo(header.length() + copied, header.bodyLength() - copied, to);
          if (n <= 0) {
            throw new IOException("copy of " + old.file() + " stopped short");
          }
          copied += n;
        }
        layout.files().sync(to, temp);
      }
      Path installed = install(temp, seq);
      DiskEntry fresh = DiskEntry.of(head, seq, installed, size);
      if (!index.replace(old, fresh)) {
        layout.files().deleteIfExists(installed); // a newer body arrived meanwhile
      }
    } catch (NoSuchFileException e) {
      delete(temp); // the old version went meanwhile
    } catch (DamagedEntryException e) {
      index.dropDamaged(old, e.toString());
      delete(temp);
    } catch (IOException e) {
      writeFailed(e);
      delete(temp);
    }
  }

  /** A failed write or sync: stop writing to this disk, saying so once. */
  void writeFailed(IOException e) {
    if (writesDisabled.compareAndSet(false, true)) {
      log.warn(
          "cache disk {} failed, disk writes disabled until restart (memory tier and stored"
              + " objects keep serving): {}",
          layout.root(),
          e.toString());
    }
  }

  boolean writesDisabled() {
    return writesDisabled.get();
  }

  void deleteLater(Path file) {
    try {
      io.execute(() -> delete(file));
    } catch (RejectedExecutionException e) {
      delete(file);
    }
  }

  void delete(Path file) {
    try {
      layout.deleteIfRegular(file);
    } catch (IOException e) {
      log.debug("could not delete {}: {}", file, e.toString());
    }
  }
}
