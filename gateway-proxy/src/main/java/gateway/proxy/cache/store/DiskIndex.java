package gateway.proxy.cache.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the disk tier holds: one {@link DiskEntry} per key digest, in a Caffeine cache weighed by
 * file size, so W-TinyLFU keeps the popular objects within {@code cache.disk.size}. An entry is
 * visible once added; an entry dropped (evicted, replaced, removed, damaged) has its file deleted
 * and the {@link DiskTier.Listener} told.
 */
final class DiskIndex {
  // The disk tier's lines keep one logger, whichever of its parts writes them.
  private static final Logger log = LoggerFactory.getLogger(DiskTier.class);

  /** The index weighs files in blocks: ints, and closer to what a file takes on disk. */
  static final long BLOCK = 4096;

  private final Cache<KeyDigest, DiskEntry> index;
  private final DiskTier.Listener listener;
  private final Consumer<DiskEntry> forget;
  private final LongAdder bytes = new LongAdder();
  private final LongAdder damaged = new LongAdder();

  /**
   * @param io runs Caffeine's maintenance and removal listener
   * @param forget told of each entry dropped, before the listener: forgets its file and deletes it
   */
  DiskIndex(long maxBytes, Executor io, DiskTier.Listener listener, Consumer<DiskEntry> forget) {
    this.listener = listener;
    this.forget = forget;
    this.index =
        Caffeine.newBuilder()
            .maximumWeight(Math.max(1, maxBytes / BLOCK))
            .weigher((KeyDigest key, DiskEntry entry) -> blocks(entry.size()))
            .executor(io)
            .removalListener((KeyDigest key, DiskEntry entry, RemovalCause cause) -> dropped(entry))
            .build();
  }

  /** The entry for {@code digest}, as a lookup: it counts for the entry's popularity. */
  DiskEntry find(KeyDigest digest) {
    return index.getIfPresent(digest);
  }

  /** The entry for {@code digest} now, without counting as a lookup. */
  DiskEntry current(KeyDigest digest) {
    return index.asMap().get(digest);
  }

  boolean isCurrent(DiskEntry entry) {
    return current(entry.digest()) == entry;
  }

  boolean contains(KeyDigest digest) {
    return index.asMap().containsKey(digest);
  }

  /** Makes {@code entry}, whose file is in place, visible (replacing any entry of its digest). */
  void add(DiskEntry entry) {
    bytes.add(entry.size());
    index.put(entry.digest(), entry);
    listener.stored(entry);
  }

  /** Puts {@code fresh} in place of {@code old} if that is still current; false if not. */
  boolean replace(DiskEntry old, DiskEntry fresh) {
    bytes.add(fresh.size());
    if (index.asMap().replace(old.digest(), old, fresh)) {
      listener.stored(fresh);
      return true;
    }
    bytes.add(-fresh.size());
    return false;
  }

  boolean remove(KeyDigest digest) {
    return index.asMap().remove(digest) != null;
  }

  /** Drops {@code entry} if it is still current, counting it damaged, saying why. */
  void dropDamaged(DiskEntry entry, String why) {
    if (index.asMap().remove(entry.digest(), entry)) {
      damaged.increment();
      log.warn("cache disk: dropping damaged entry {}: {}", entry.file(), why);
    }
  }

  /** Counts damaged files found (and deleted) before they were indexed, as on start-up. */
  void countDamaged(long files) {
    damaged.add(files);
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

  /** Runs pending evictions and removal listeners now (tests). */
  void cleanUp() {
    index.cleanUp();
  }

  private void dropped(DiskEntry entry) {
    if (entry != null) {
      forget.accept(entry);
      bytes.add(-entry.size());
      listener.removed(entry);
    }
  }

  private static int blocks(long size) {
    return (int) Math.min(Integer.MAX_VALUE, (size + BLOCK - 1) / BLOCK);
  }
}
