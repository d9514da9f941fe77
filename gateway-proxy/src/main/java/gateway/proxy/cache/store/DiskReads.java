package gateway.proxy.cache.store;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * The disk tier's lookups: a hit's header and length are checked on the caller's thread; its body
 * is checked, once per file in this process, by {@link BodyReads} on their own executor, before any
 * byte of it is served. A file that fails a check is dropped as damaged; a read that fails (an I/O
 * error) is counted, and costs a miss.
 */
final class DiskReads {
  private final DiskLayout layout;
  private final DiskIndex index;
  private final BodyReads bodies;
  private final ByteBufAllocator alloc;
  private final LongAdder failures = new LongAdder();

  DiskReads(DiskLayout layout, DiskIndex index, BodyReads bodies, ByteBufAllocator alloc) {
    this.layout = layout;
    this.index = index;
    this.bodies = bodies;
    this.alloc = alloc;
  }

  DiskLayout layout() {
    return layout;
  }

  /**
   * The stored object for {@code key}, or null (a damaged one is dropped first). Reads and checks
   * the header and the file's length only; the whole body is read on {@code reads}, never here:
   * when it has not passed its check in this process yet (the object returned then carries that
   * check, unless it is already over; null if it failed), and when it is small enough for {@code
   * promotion} (this hit is served from the file, later ones from memory).
   *
   * <p>The index finds the entry by the key's digest; the full key in the file must match {@code
   * key}. A file that holds another key with the same digest is a miss for this one (and stays); a
   * file that holds a key of another digest is damaged.
   *
   * @param promotion where small bodies go to be kept in memory as well; null for none
   */
  DiskObject get(String key, KeyDigest digest, DiskTier.Promotion promotion) {
    for (int attempt = 0; attempt < 2; attempt++) {
      DiskEntry entry = index.find(digest);
      if (entry == null) {
        return null;
      }
      EntryFormat.Header header;
      try (FileChannel file = layout.openRegular(entry.file())) {
        header = EntryReader.readHeader(file);
        String held = header.head().key();
        if (!held.equals(key)) {
          if (KeyDigest.of(held).equals(entry.digest())) {
            return null; // another key with the same digest: a miss, never the other's response
          }
          throw new DamagedEntryException("holds another key");
        }
      } catch (NoSuchFileException e) {
        if (index.isCurrent(entry)) {
          index.dropDamaged(entry, "file is missing");
          return null;
        }
        continue; // Replaced or evicted since we looked it up: look again.
      } catch (DamagedEntryException e) {
        index.dropDamaged(entry, e.toString());
        return null;
      } catch (IOException e) {
        readFailed(entry, e);
        return null;
      }
      return found(entry, header, promotion);
    }
    return null;
  }

  private DiskObject found(
      DiskEntry entry, EntryFormat.Header header, DiskTier.Promotion promotion) {
    boolean checked = bodies.passed(entry.seq());
    boolean copy = promotion != null && header.bodyLength() <= promotion.largest();
    if (checked && !copy) {
      return new DiskObject(this, entry, header, null);
    }
    CompletableFuture<Boolean> read =
        bodies.read(entry.seq(), () -> readBody(entry, header, copy ? promotion : null));
    if (checked) {
      return new DiskObject(this, entry, header, null); // the read only copies it into memory
    }
    if (read.isDone()) {
      return read.join() ? new DiskObject(this, entry, header, null) : null;
    }
    return new DiskObject(this, entry, header, read);
  }

  /**
   * On {@code reads}: reads the body of {@code entry} whole and checks its CRC, giving it to {@code
   * promotion} when there is one. True when it passed; a body that fails is dropped.
   */
  private boolean readBody(
      DiskEntry entry, EntryFormat.Header header, DiskTier.Promotion promotion) {
    try (FileChannel file = layout.openRegular(entry.file())) {
      if (file.size() != header.fileSize()) {
        throw new DamagedEntryException("size changed to " + file.size());
      }
      if (promotion == null) {
        EntryReader.checkBody(file, header, alloc);
      } else {
        ByteBuf body = EntryReader.loadBody(file, header, alloc);
        if (index.isCurrent(entry)) {
          promotion.promote(header.head(), body);
        } else {
          body.release(); // a newer version, or none, is stored now: keep no old copy
        }
      }
    } catch (NoSuchFileException e) {
      if (index.isCurrent(entry)) {
        index.dropDamaged(entry, "file is missing");
      }
      return false;
    } catch (ClosedChannelException stopping) {
      return false; // interrupted as the store stops: nothing is known about the file
    } catch (DamagedEntryException e) {
      index.dropDamaged(entry, e.toString());
      return false;
    } catch (IOException e) {
      readFailed(entry, e);
      return false;
    }
    bodies.pass(entry.seq());
    if (!index.isCurrent(entry)) {
      bodies.forget(entry.seq()); // dropped meanwhile, perhaps before the pass was recorded
    }
    return true;
  }

  /**
   * The body of {@code gone}, whose file was deleted since it was found, from the file that now
   * holds its key if that file has the same body (a 304 rewrote the head) and that body has passed
   * its check. Null when the key is gone, holds another body, or one whose check is still to come
   * (it starts now: the caller fetches from the origin rather than wait here).
   */
  CachedObject.Body openSameBody(DiskObject gone) {
    DiskEntry now = index.find(gone.entry().digest());
    if (now == null || now.seq() == gone.entry().seq()) {
      return null;
    }
    DiskObject current = get(gone.head().key(), gone.entry().digest(), null);
    if (current == null
        || current.bodyCheck() != null
        || current.header().bodyLength() != gone.header().bodyLength()
        || current.header().bodyCrc() != gone.header().bodyCrc()) {
      return null;
    }
    try {
      return current.openFile();
    } catch (NoSuchFileException replacedAgain) {
      return null;
    }
  }

  /** A read of {@code entry}'s file failed: counted, and the entry dropped as damaged (a miss). */
  void readFailed(DiskEntry entry, IOException e) {
    failures.increment();
    index.dropDamaged(entry, e.toString());
  }

  /** Opening a found object's body failed: counted; the client gets no body from it (a miss). */
  void openFailed() {
    failures.increment();
  }

  /** Drops {@code entry} as damaged, if it is still current. */
  void dropDamaged(DiskEntry entry, String why) {
    index.dropDamaged(entry, why);
  }

  long failures() {
    return failures.sum();
  }
}
