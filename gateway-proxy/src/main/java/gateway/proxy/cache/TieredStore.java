package gateway.proxy.cache;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The {@link CacheStore}: a memory tier, and optionally a disk tier behind it. Decides where an
 * object goes (small ones to memory and, for restarts, to disk too; large ones to disk only) and
 * keeps the URL index both tiers answer {@link #varyOf} and {@link #removeUrl} from.
 */
final class TieredStore implements CacheStore {
  /** Opens the disk tier once the store can listen to it. */
  interface DiskOpener {
    DiskTier open(DiskTier.Listener listener) throws IOException;
  }

  private final UrlIndex urls = new UrlIndex();
  private final MemoryTier memory;
  private final DiskTier disk;
  private final long largestObject;
  private final ByteBufAllocator alloc;
  private final Runnable stopIo;
  /** Small bodies read from disk are kept in memory too; Caffeine's admission decides if they stay. */
  private final DiskTier.Promotion promotion =
      new DiskTier.Promotion() {
        @Override
        public long largest() {
          return memory.largestObject();
        }

        @Override
        public void promote(StoredHead head, ByteBuf body) {
          memory.putIfAbsent(head, body);
        }
      };

  /**
   * @param largestObject cache.max-object-size: larger objects are not stored
   * @param alloc where memory bodies come from
   * @param maintenance where the memory tier evicts and runs its removal listener
   * @param disk null for a memory-only store
   * @param stopIo stops the disk tier's executors (waiting for commits in progress)
   */
  TieredStore(
      long memoryBytes,
      long largestObject,
      ByteBufAllocator alloc,
      Executor maintenance,
      DiskOpener disk,
      Runnable stopIo)
      throws IOException {
    this.largestObject = largestObject;
    this.alloc = alloc;
    this.stopIo = stopIo;
    this.memory =
        new MemoryTier(
            memoryBytes,
            Math.min(largestObject, memoryBytes / 8),
            maintenance,
            (key, head) -> urls.removeIfGone(head.url(), key, this::stored));
    this.disk =
        disk == null
            ? null
            : disk.open(
                new DiskTier.Listener() {
                  @Override
                  public void stored(DiskEntry entry) {
                    urls.add(entry.url(), entry.key(), entry.vary());
                  }

                  @Override
                  public void removed(DiskEntry entry) {
                    urls.removeIfGone(entry.url(), entry.key(), TieredStore.this::stored);
                  }
                });
  }

  static TieredStore memoryOnly(
      long memoryBytes, long largestObject, ByteBufAllocator alloc, Executor maintenance) {
    try {
      return new TieredStore(memoryBytes, largestObject, alloc, maintenance, null, () -> {});
    } catch (IOException e) {
      throw new AssertionError("no disk, no I/O", e);
    }
  }

  @Override
  public CachedObject get(String key) {
    CachedObject hit = memory.get(key);
    if (hit != null || disk == null) {
      return hit;
    }
    // The caller is an event loop: the disk tier reads a whole body (its first check, a copy of a
    // small one into memory) on its own threads, never here.
    return disk.get(key, promotion);
  }

  @Override
  public List<String> varyOf(String url) {
    return urls.varyOf(url);
  }

  @Override
  public ObjectWriter begin(StoredHead head, long expectedLength) {
    if (expectedLength > largestObject) {
      return null;
    }
    MemoryWriter toMemory =
        expectedLength <= memory.largestObject()
            ? new MemoryWriter(head, expectedLength, memory.largestObject(), alloc, this::toMemory)
            : null;
    DiskWriter toDisk =
        disk == null || expectedLength > disk.largestObject()
            ? null
            : disk.begin(head, largestObject);
    if (toMemory != null && toDisk != null) {
      return new TeeWriter(toMemory, toDisk);
    }
    return toMemory != null ? toMemory : toDisk;
  }

  @Override
  public void updateHead(StoredHead head) {
    memory.updateHead(head);
    if (disk != null) {
      disk.updateHead(head);
    }
  }

  @Override
  public boolean removeUrl(String url) {
    boolean removed = false;
    for (String key : urls.keysOf(url)) {
      removed |= memory.remove(key);
      if (disk != null) {
        removed |= disk.remove(key);
      }
    }
    return removed;
  }

  @Override
  public CacheStats stats() {
    return disk == null
        ? new CacheStats(memory.bytes(), memory.objects(), 0, 0, 0, false)
        : new CacheStats(
            memory.bytes(),
            memory.objects(),
            disk.bytes(),
            disk.objects(),
            disk.damaged(),
            disk.writesDisabled());
  }

  /** Runs pending evictions and removal listeners of both tiers now (tests). */
  void cleanUp() {
    memory.cleanUp();
    if (disk != null) {
      disk.cleanUp();
    }
  }

  @Override
  public void close() {
    stopIo.run(); // first: a body read still running may copy into memory
    memory.clear();
    if (disk != null) {
      disk.close();
    }
  }

  private void toMemory(StoredHead head, ByteBuf body) {
    memory.put(head, body);
    urls.add(head);
  }

  private boolean stored(String key) {
    return memory.contains(key) || (disk != null && disk.contains(key));
  }
}
