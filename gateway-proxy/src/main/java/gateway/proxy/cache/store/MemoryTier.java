package gateway.proxy.cache.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import gateway.proxy.cache.policy.StoredHead;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/**
 * Bodies in direct buffers, bounded by their bytes (cache.memory), evicted by Caffeine's W-TinyLFU
 * so that popular objects stay. Dropping an entry, for whatever reason, releases its buffer once.
 *
 * <p>Entries are found by their key's {@link KeyDigest}; the full key lives once, in the entry's
 * head (weighed with it), and a lookup compares it with the key asked for.
 */
final class MemoryTier {
  private final Cache<KeyDigest, MemoryEntry> entries;
  private final long largestObject;

  /**
   * @param maintenance where Caffeine runs eviction and removal listeners (tests pass the caller)
   * @param onRemoved told of every key dropped, after its buffer was released
   */
  MemoryTier(
      long maxBytes,
      long largestObject,
      Executor maintenance,
      BiConsumer<KeyDigest, StoredHead> onRemoved) {
    this.largestObject = largestObject;
    this.entries =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .weigher((KeyDigest key, MemoryEntry entry) -> entry.weight())
            .executor(maintenance)
            .removalListener(
                (KeyDigest key, MemoryEntry entry, RemovalCause cause) -> {
                  if (entry != null) {
                    entry.release();
                    onRemoved.accept(key, entry.head());
                  }
                })
            .build();
  }

  /** The largest body kept in memory; larger ones go to disk only. */
  long largestObject() {
    return largestObject;
  }

  /** The entry stored under {@code key}, whose digest is {@code digest}, or null. */
  MemoryObject get(String key, KeyDigest digest) {
    MemoryEntry entry = entries.getIfPresent(digest);
    if (entry == null) {
      return null;
    }
    StoredHead head = entry.head();
    // Another key with the same digest is a miss, never the other's response.
    return head.key().equals(key) ? new MemoryObject(head, entry) : null;
  }

  boolean contains(KeyDigest digest) {
    return entries.asMap().containsKey(digest);
  }

  /** Stores {@code body} (taking over the caller's reference) and returns the new entry. */
  MemoryEntry put(StoredHead head, ByteBuf body) {
    MemoryEntry entry = new MemoryEntry(head, body);
    entries.put(KeyDigest.of(head.key()), entry);
    return entry;
  }

  /**
   * Stores {@code body} unless {@code head}'s key has an entry already (a newer version, say);
   * takes over the caller's reference either way.
   */
  void putIfAbsent(StoredHead head, ByteBuf body) {
    MemoryEntry entry = new MemoryEntry(head, body);
    if (entries.asMap().putIfAbsent(KeyDigest.of(head.key()), entry) != null) {
      entry.release();
    }
  }

  void updateHead(StoredHead head) {
    MemoryEntry entry = entries.getIfPresent(KeyDigest.of(head.key()));
    if (entry != null && entry.head().key().equals(head.key())) {
      entry.replaceHead(head);
    }
  }

  boolean remove(KeyDigest digest) {
    return entries.asMap().remove(digest) != null;
  }

  long bytes() {
    return entries.policy().eviction().orElseThrow().weightedSize().orElse(0);
  }

  long objects() {
    return entries.estimatedSize();
  }

  /** Runs pending evictions and removal listeners now (tests, close). */
  void cleanUp() {
    entries.cleanUp();
  }

  void clear() {
    entries.invalidateAll();
    entries.cleanUp();
  }
}
