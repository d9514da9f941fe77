package gateway.proxy.cache.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import gateway.proxy.cache.policy.StoredHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Objects in files under {@code cache.disk.path} (see {@link DiskLayout}, {@link EntryFormat}),
 * bounded by {@code cache.disk.size}. The index is a Caffeine cache weighed by file size, so W-TinyLFU
 * keeps the popular objects; dropping an entry deletes its file.
 *
 * <p>Crash safety: an object is written to a temporary file, synced, renamed into place and its
 * folder synced before the index shows it; start-up deletes temporary files and anything whose
 * header or size does not check out. Every hit checks the header and the file's length; the body
 * is checked (read whole, its CRC compared with the header's) once per file in this process,
 * before any byte of it is served: {@link #get} returns an object whose body has not passed yet
 * with that check running (see {@link DiskObject#bodyCheck()}), which the caller waits for before
 * it opens the body; a body that fails is never served, its file is dropped and counted as
 * damaged. Files are never changed in place (a new version gets a new name), so a file whose body
 * checked out once is not read again on later hits: a 64 MiB hit would otherwise cost a full read
 * (11 ms from the page cache here, far longer from the disk) on every hit. What this gives up: a
 * body corrupted in place, at the same length, after its first check in this process is served
 * until the next start.
 *
 * <p>Threads: lookups run on the caller's thread, an event loop, and read headers only; whole
 * bodies (the first check of a file, a copy into memory) are read on {@code reads} (see {@link
 * BodyReads}); syncs, renames, deletes and Caffeine's maintenance run on {@code io}.
 */
final class DiskTier implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DiskTier.class);

  /** The index weighs files in blocks: ints, and closer to what a file takes on disk. */
  static final long BLOCK = 4096;

  /** Told when an object becomes visible and when it is dropped, for the URL index. */
  interface Listener {
    void stored(DiskEntry entry);

    void removed(DiskEntry entry);
  }

  /** Where a small body read from its file goes to be kept in memory as well. */
  interface Promotion {
    /** The largest body worth a copy in memory. */
    long largest();

    /** Takes over {@code body}, read whole from its file and checked. */
    void promote(StoredHead head, ByteBuf body);
  }

  private final DiskLayout layout;
  private final long maxBytes;
  private final Executor io;
  private final ByteBufAllocator alloc;
  private final Listener listener;
  private final Cache<KeyDigest, DiskEntry> index;
  private final AtomicLong nextSeq = new AtomicLong();
  private final LongAdder bytes = new LongAdder();
  private final LongAdder damaged = new LongAdder();
  private final LongAdder readFailures = new LongAdder();
  private final BodyReads reads;
  private final AtomicBoolean writesDisabled = new AtomicBoolean();
  private final FileChannel lockFile;
  private final FileLock lock;
  private final LongSupplier ticker;

  private DiskTier(
      DiskLayout layout,
      long maxBytes,
      Executor io,
      Executor reads,
      ByteBufAllocator alloc,
      Listener listener,
      LongSupplier ticker)
      throws IOException {
    this.layout = layout;
    this.ticker = ticker;
    this.maxBytes = maxBytes;
    this.io = io;
    this.reads = new BodyReads(reads);
    this.alloc = alloc;
    this.listener = listener;
    layout.createDirectories();
    this.lockFile = layout.files().openLock(layout.lockFile());
    FileLock locked;
    try {
      locked = lockFile.tryLock();
    } catch (OverlappingFileLockException sameProcess) {
      locked = null;
    }
    if (locked == null) {
      lockFile.close();
      throw new IOException(layout.root() + " is in use by another cache store");
    }
    this.lock = locked;
    this.index =
        Caffeine.newBuilder()
            .maximumWeight(Math.max(1, maxBytes / BLOCK))
            .weigher((KeyDigest key, DiskEntry entry) -> blocks(entry.size()))
            .executor(io)
            .removalListener((KeyDigest key, DiskEntry entry, RemovalCause cause) -> dropped(entry))
            .build();
  }

  /**
   * Opens the disk tier in {@code root}, creating it if needed, and loads what a previous run left:
   * only the headers are read.
   *
   * @param io runs syncs, renames, deletes and index maintenance; the caller owns it
   * @param reads reads whole bodies (checks, copies into memory); the caller owns it, and stops it
   *     before it clears the memory tier the copies go to
   * @param files every file operation goes through it ({@link NioStoreFiles} but in tests)
   * @param ticker nanoseconds for durations, such as {@code System::nanoTime}; tests move their own
   */
  static DiskTier open(
      Path root,
      long maxBytes,
      Executor io,
      Executor reads,
      StoreFiles files,
      ByteBufAllocator alloc,
      Listener listener,
      LongSupplier ticker)
      throws IOException {
    DiskTier tier =
        new DiskTier(new DiskLayout(root, files), maxBytes, io, reads, alloc, listener, ticker);
    try {
      tier.load();
    } catch (IOException | RuntimeException e) {
      tier.close();
      throw e;
    }
    return tier;
  }

  private void load() throws IOException {
    long started = ticker.getAsLong();
    DiskScan.Found found = DiskScan.run(layout);
    nextSeq.set(found.nextSeq());
    damaged.add(found.damaged());
    for (DiskEntry entry : found.entries()) {
      index.put(entry.digest(), entry);
      bytes.add(entry.size());
      listener.stored(entry);
    }
    log.info(
        "cache disk {}: {} objects, {} bytes, {} damaged files deleted, {} entries not the store's"
            + " skipped, in {} ms",
        layout.root(),
        found.entries().size(),
        bytes.sum(),
        found.damaged(),
        found.skipped(),
        (ticker.getAsLong() - started) / 1_000_000);
    if (found.nextSeq() == DiskLayout.NO_SEQ) {
      seqsUsedUp();
    }
  }

  Executor io() {
    return io;
  }

  DiskLayout layout() {
    return layout;
  }

  StoreFiles files() {
    return layout.files();
  }

  /**
   * The stored object for {@code key}, or null (a damaged one is dropped first). Reads and checks
   * the header and the file's length only; the whole body is read on {@code reads}, never here: when
   * it has not passed its check in this process yet (the object returned then carries that check,
   * unless it is already over; null if it failed), and when it is small enough for {@code
   * promotion} (this hit is served from the file, later ones from memory).
   *
   * <p>The index finds the entry by the key's digest; the full key in the file must match {@code
   * key}. A file that holds another key with the same digest is a miss for this one (and stays); a
   * file that holds a key of another digest is damaged.
   *
   * @param promotion where small bodies go to be kept in memory as well; null for none
   */
  DiskObject get(String key, KeyDigest digest, Promotion promotion) {
    for (int attempt = 0; attempt < 2; attempt++) {
      DiskEntry entry = index.getIfPresent(digest);
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
        if (isCurrent(entry)) {
          dropDamaged(entry, "file is missing");
          return null;
        }
        continue; // Replaced or evicted since we looked it up: look again.
      } catch (DamagedEntryException e) {
        dropDamaged(entry, e.toString());
        return null;
      } catch (IOException e) {
        readFailed(entry, e);
        return null;
      }
      return found(entry, header, promotion);
    }
    return null;
  }

  private DiskObject found(DiskEntry entry, EntryFormat.Header header, Promotion promotion) {
    boolean checked = reads.passed(entry.seq());
    boolean copy = promotion != null && header.bodyLength() <= promotion.largest();
    if (checked && !copy) {
      return new DiskObject(this, entry, header, null);
    }
    CompletableFuture<Boolean> read =
        reads.read(entry.seq(), () -> readBody(entry, header, copy ? promotion : null));
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
  private boolean readBody(DiskEntry entry, EntryFormat.Header header, Promotion promotion) {
    try (FileChannel file = layout.openRegular(entry.file())) {
      if (file.size() != header.fileSize()) {
        throw new DamagedEntryException("size changed to " + file.size());
      }
      if (promotion == null) {
        EntryReader.checkBody(file, header, alloc);
      } else {
        ByteBuf body = EntryReader.loadBody(file, header, alloc);
        if (isCurrent(entry)) {
          promotion.promote(header.head(), body);
        } else {
          body.release(); // a newer version, or none, is stored now: keep no old copy
        }
      }
    } catch (NoSuchFileException e) {
      if (isCurrent(entry)) {
        dropDamaged(entry, "file is missing");
      }
      return false;
    } catch (java.nio.channels.ClosedChannelException stopping) {
      return false; // interrupted as the store stops: nothing is known about the file
    } catch (DamagedEntryException e) {
      dropDamaged(entry, e.toString());
      return false;
    } catch (IOException e) {
      readFailed(entry, e);
      return false;
    }
    reads.pass(entry.seq());
    if (!isCurrent(entry)) {
      reads.forget(entry.seq()); // dropped meanwhile, perhaps before the pass was recorded
    }
    return true;
  }

  private boolean isCurrent(DiskEntry entry) {
    return index.asMap().get(entry.digest()) == entry;
  }

  /**
   * The body of {@code gone}, whose file was deleted since it was found, from the file that now holds
   * its key if that file has the same body (a 304 rewrote the head) and that body has passed its
   * check. Null when the key is gone, holds another body, or one whose check is still to come (it
   * starts now: the caller fetches from the origin rather than wait here).
   */
  CachedObject.Body openSameBody(DiskObject gone) {
    DiskEntry now = index.getIfPresent(gone.entry().digest());
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

  boolean contains(KeyDigest digest) {
    return index.asMap().containsKey(digest);
  }

  /** The largest object this tier takes. */
  long largestObject() {
    return maxBytes;
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
      return new DiskWriter(this, head, seq, temp, file, Math.min(limit, maxBytes));
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

  private void seqsUsedUp() {
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
    DiskEntry entry = DiskEntry.of(head, seq, file, size);
    bytes.add(size);
    index.put(entry.digest(), entry);
    listener.stored(entry);
  }

  /**
   * After a 304: writes a new file with the new head and the old body, off the caller's thread. The
   * new file replaces the old one in the index only if the old one is still the current version.
   */
  void updateHead(StoredHead head) {
    DiskEntry old = index.asMap().get(KeyDigest.of(head.key()));
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
      bytes.add(size);
      if (index.asMap().replace(old.digest(), old, fresh)) {
        listener.stored(fresh);
      } else {
        bytes.add(-size);
        layout.files().deleteIfExists(installed); // a newer body arrived meanwhile
      }
    } catch (NoSuchFileException e) {
      delete(temp); // the old version went meanwhile
    } catch (DamagedEntryException e) {
      dropDamaged(old, e.toString());
      delete(temp);
    } catch (IOException e) {
      writeFailed(e);
      delete(temp);
    }
  }

  boolean remove(KeyDigest digest) {
    return index.asMap().remove(digest) != null;
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

  void dropDamaged(DiskEntry entry, String why) {
    if (index.asMap().remove(entry.digest(), entry)) {
      damaged.increment();
      log.warn("cache disk: dropping damaged entry {}: {}", entry.file(), why);
    }
  }

  long bytes() {
    return bytes.sum();
  }

  long objects() {
    return index.estimatedSize();
  }

  long damaged() {
    return damaged.sum();
  }

  /** A read of {@code entry}'s file failed: counted, and the entry dropped as damaged (a miss). */
  void readFailed(DiskEntry entry, IOException e) {
    readFailures.increment();
    dropDamaged(entry, e.toString());
  }

  /** Opening a found object's body failed: counted; the client gets no body from it (a miss). */
  void openFailed() {
    readFailures.increment();
  }

  long readFailures() {
    return readFailures.sum();
  }

  /** Runs pending evictions and removal listeners now (tests). */
  void cleanUp() {
    index.cleanUp();
  }

  void deleteLater(Path file) {
    try {
      io.execute(() -> delete(file));
    } catch (java.util.concurrent.RejectedExecutionException e) {
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

  /** Releases the directory; files stay for the next start. The caller stops {@code io} first. */
  @Override
  public void close() {
    try {
      lock.release();
      lockFile.close();
    } catch (IOException e) {
      log.debug("releasing {}: {}", layout.lockFile(), e.toString());
    }
  }

  private void dropped(DiskEntry entry) {
    if (entry != null) {
      reads.forget(entry.seq());
      delete(entry.file());
      bytes.add(-entry.size());
      listener.removed(entry);
    }
  }

  private static int blocks(long size) {
    return (int) Math.min(Integer.MAX_VALUE, (size + BLOCK - 1) / BLOCK);
  }
}
