package gateway.proxy.cache;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The {@link CacheStore}: a memory tier, and (later in this file's history) a disk tier behind it.
 * Decides which tier an object goes to; each tier keeps its own bounds.
 */
final class TieredStore implements CacheStore {
  private final MemoryTier memory;
  private final UrlIndex urls = new UrlIndex();
  private final long largestObject;
  private final ByteBufAllocator alloc;

  /**
   * @param alloc where memory bodies come from
   * @param maintenance where Caffeine evicts and runs removal listeners
   */
  static TieredStore memoryOnly(
      long memoryBytes, long largestObject, ByteBufAllocator alloc, Executor maintenance) {
    return new TieredStore(memoryBytes, largestObject, alloc, maintenance);
  }

  private TieredStore(
      long memoryBytes,
      long largestObject,
      ByteBufAllocator alloc,
      Executor maintenance) {
    this.largestObject = largestObject;
    this.alloc = alloc;
    this.memory =
        new MemoryTier(
            memoryBytes,
            Math.min(largestObject, memoryBytes / 8),
            maintenance,
            (key, head) -> urls.removeIfGone(head.url(), key, this::stored));
  }

  @Override
  public CachedObject get(String key) {
    return memory.get(key);
  }

  @Override
  public List<String> varyOf(String url) {
    return urls.varyOf(url);
  }

  @Override
  public ObjectWriter begin(StoredHead head, long expectedLength) {
    if (expectedLength > memory.largestObject()) {
      return null;
    }
    return new MemoryWriter(head, expectedLength, memory.largestObject(), alloc, this::toMemory);
  }

  @Override
  public void updateHead(StoredHead head) {
    memory.updateHead(head);
  }

  @Override
  public boolean removeUrl(String url) {
    boolean removed = false;
    for (String key : urls.keysOf(url)) {
      removed |= memory.remove(key);
    }
    return removed;
  }

  @Override
  public CacheStats stats() {
    return new CacheStats(memory.bytes(), memory.objects(), 0, 0, 0, false);
  }

  @Override
  public void close() {
    memory.clear();
  }

  private void toMemory(StoredHead head, ByteBuf body) {
    memory.put(head, body);
    urls.add(head);
  }

  private boolean stored(String key) {
    return memory.contains(key);
  }
}
