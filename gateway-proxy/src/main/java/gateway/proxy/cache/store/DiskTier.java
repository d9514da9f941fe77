package gateway.proxy.cache.store;

import gateway.proxy.cache.policy.StoredHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Objects in files under {@code cache.disk.path} (see {@link DiskLayout}, {@link EntryFormat}),
 * bounded by {@code cache.disk.size}: the tier the rest of the store sees, over its parts: the
 * {@link DirectoryLock}, the {@link DiskIndex} (a Caffeine cache weighed by file size, so W-TinyLFU
 * keeps the popular objects; dropping an entry deletes its file), the {@link DiskReads} of hits and
 * the {@link DiskCommits} of new objects and heads.
 *
 * <p>Crash safety: an object is written to a temporary file, synced, renamed into place and its
 * folder synced before the index shows it; start-up deletes temporary files and anything whose
 * header or size does not check out. Every hit checks the header and the file's length; the body is
 * checked (read whole, its CRC compared with the header's) once per file in this process, before
 * any byte of it is served: {@link #get} returns an object whose body has not passed yet with that
 * check running (see {@link DiskObject#bodyCheck()}), which the caller waits for before it opens
 * the body; a body that fails is never served, its file is dropped and counted as damaged. Files
 * are never changed in place (a new version gets a new name), so a file whose body checked out once
 * is not read again on later hits: a 64 MiB hit would otherwise cost a full read (11 ms from the
 * page cache here, far longer from the disk) on every hit. What this gives up: a body corrupted in
 * place, at the same length, after its first check in this process is served until the next start.
 *
 * <p>Threads: lookups run on the caller's thread, an event loop, and read headers only; whole
 * bodies (the first check of a file, a copy into memory) are read on {@code reads} (see {@link
 * BodyReads}); syncs, renames, deletes and Caffeine's maintenance run on {@code io}.
 */
final class DiskTier implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DiskTier.class);

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
  private final LongSupplier ticker;
  private final BodyReads bodies;
  private final DiskIndex index;
  private final DiskReads reads;
  private final DiskCommits commits;
  private final DirectoryLock lock;

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
    this.maxBytes = maxBytes;
    this.ticker = ticker;
    this.bodies = new BodyReads(reads);
    this.index = new DiskIndex(maxBytes, io, listener, this::forget);
    this.reads = new DiskReads(layout, index, bodies, alloc);
    this.commits = new DiskCommits(this, layout, index, io, maxBytes);
    layout.createDirectories();
    this.lock = DirectoryLock.take(layout);
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
    commits.continueAt(found.nextSeq());
    index.countDamaged(found.damaged());
    for (DiskEntry entry : found.entries()) {
      index.add(entry);
    }
    log.info(
        "cache disk {}: {} objects, {} bytes, {} damaged files deleted, {} entries not the store's"
            + " skipped, in {} ms",
        layout.root(),
        found.entries().size(),
        index.bytes(),
        found.damaged(),
        found.skipped(),
        (ticker.getAsLong() - started) / 1_000_000);
    if (found.nextSeq() == DiskLayout.NO_SEQ) {
      commits.seqsUsedUp();
    }
  }

  Executor io() {
    return commits.io();
  }

  StoreFiles files() {
    return layout.files();
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
  DiskObject get(String key, KeyDigest digest, Promotion promotion) {
    return reads.get(key, digest, promotion);
  }

  boolean contains(KeyDigest digest) {
    return index.contains(digest);
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
    return commits.begin(head, limit);
  }

  /** Renames a complete, synced temporary file into place and syncs its folder; on {@code io}. */
  Path install(Path temp, long seq) throws IOException {
    return commits.install(temp, seq);
  }

  /** Makes an installed file visible; on {@code io}. */
  void publish(StoredHead head, long seq, Path file, long size) {
    commits.publish(head, seq, file, size);
  }

  /**
   * After a 304: writes a new file with the new head and the old body, off the caller's thread. The
   * new file replaces the old one in the index only if the old one is still the current version.
   */
  void updateHead(StoredHead head) {
    commits.updateHead(head);
  }

  boolean remove(KeyDigest digest) {
    return index.remove(digest);
  }

  /** A failed write or sync: stop writing to this disk, saying so once. */
  void writeFailed(IOException e) {
    commits.writeFailed(e);
  }

  boolean writesDisabled() {
    return commits.writesDisabled();
  }

  long bytes() {
    return index.bytes();
  }

  long objects() {
    return index.objects();
  }

  long damaged() {
    return index.damaged();
  }

  long readFailures() {
    return reads.failures();
  }

  /** Runs pending evictions and removal listeners now (tests). */
  void cleanUp() {
    index.cleanUp();
  }

  void deleteLater(Path file) {
    commits.deleteLater(file);
  }

  void delete(Path file) {
    commits.delete(file);
  }

  /** Releases the directory; files stay for the next start. The caller stops {@code io} first. */
  @Override
  public void close() {
    lock.close();
  }

  /** An entry left the index: its body's check is forgotten and its file deleted. */
  private void forget(DiskEntry entry) {
    bodies.forget(entry.seq());
    commits.delete(entry.file());
  }
}
