package gateway.proxy.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/**
 * Bodies in direct buffers, bounded by their bytes (cache.memory), evicted by Caffeine's W-TinyLFU so
 * that popular objects stay. Dropping an entry, for whatever reason, releases its buffer once.
 */
final class MemoryTier {
  private final Cache<String, MemoryEntry> entries;
  private final long largestObject;

  /**
   * @param maintenance where Caffeine runs eviction and removal listeners (tests pass the caller)
   * @param onRemoved told of every key dropped, after its buffer was released
   */
  MemoryTier(
      long maxBytes,
      long largestObject,
      Executor maintenance,
      BiConsumer<String, StoredHead> onRemoved) {
    this.largestObject = largestObject;
    this.entries =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .weigher((String key, MemoryEntry entry) -> entry.weight())
            .executor(maintenance)
            .removalListener(
                (String key, MemoryEntry entry, RemovalCause cause) -> {
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

  MemoryObject get(String key) {
    MemoryEntry entry = entries.getIfPresent(key);
    return entry == null ? null : new MemoryObject(entry.head(), entry);
  }

  boolean contains(String key) {
    return entries.asMap().containsKey(key);
  }

  /** Stores {@code body} (taking over the caller's reference) and returns the new entry. */
  MemoryEntry put(StoredHead head, ByteBuf body) {
    MemoryEntry entry = new MemoryEntry(head, body);
    entries.put(head.key(), entry);
    return entry;
  }

  /**
   * Stores {@code body} unless {@code head}'s key has an entry already (a newer version, say);
   * takes over the caller's reference either way.
   */
  void putIfAbsent(StoredHead head, ByteBuf body) {
    MemoryEntry entry = new MemoryEntry(head, body);
    if (entries.asMap().putIfAbsent(head.key(), entry) != null) {
      entry.release();
    }
  }

  void updateHead(StoredHead head) {
    MemoryEntry entry = entries.getIfPresent(head.key());
    if (entry != null) {
      entry.replaceHead(head);
    }
  }

  boolean remove(String key) {
    return entries.asMap().remove(key) != null;
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
