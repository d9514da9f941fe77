package gateway.proxy.cache.store;

import gateway.proxy.cache.policy.StoredHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The {@link CacheStore}: a memory tier, and optionally a disk tier behind it. Decides where an
 * object goes (small ones to memory and, for restarts, to disk too; large ones to disk only) and
 * keeps the URL index both tiers answer {@link #varyOf} and {@link #removeUrl} from.
 *
 * <p>Bounds on what requests choose: a variant whose secondary key is longer than {@link
 * #LARGEST_SECONDARY_KEY} is not stored, and a URL keeps at most {@link UrlIndex#MAX_VARIANTS}
 * variants (storing one more removes the oldest from both tiers).
 */
final class TieredStore implements CacheStore {
  /** Opens the disk tier once the store can listen to it. */
  interface DiskOpener {
    DiskTier open(DiskTier.Listener listener) throws IOException;
  }

  /**
   * The longest secondary key stored, in characters. Secondary keys are request header values (RFC
   * 9111 4.1), as long as a request head may be; real negotiation fields take tens to hundreds of
   * bytes, and 4 KiB still holds a browser's largest single cookie (RFC 6265 6.1) for {@code Vary:
   * Cookie}. A longer one is not stored: a miss, forwarded, never an error.
   */
  static final int LARGEST_SECONDARY_KEY = 4096;

  private final UrlIndex urls = new UrlIndex();

  /** Variants over the bound found while the disk tier loads, before {@link #disk} is set. */
  private volatile List<KeyDigest> droppedWhileLoading = new ArrayList<>();

  private final MemoryTier memory;
  private final DiskTier disk;
  private final long largestObject;
  private final ByteBufAllocator alloc;
  private final Runnable stopIo;

  /**
   * Small bodies read from disk are kept in memory too; Caffeine's admission decides if they stay.
   */
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
            (digest, head) -> urls.removeIfGone(head.url(), digest, this::stored));
    this.disk =
        disk == null
            ? null
            : disk.open(
                new DiskTier.Listener() {
                  @Override
                  public void stored(DiskEntry entry) {
                    recorded(entry.url(), entry.digest(), entry.vary());
                  }

                  @Override
                  public void removed(DiskEntry entry) {
                    urls.removeIfGone(entry.url(), entry.digest(), TieredStore.this::stored);
                  }
                });
    List<KeyDigest> dropped = droppedWhileLoading;
    droppedWhileLoading = null;
    dropped.forEach(this::removeEverywhere);
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
    KeyDigest digest = KeyDigest.of(key);
    CachedObject hit = memory.get(key, digest);
    if (hit != null || disk == null) {
      return hit;
    }
    // The caller is an event loop: the disk tier reads a whole body (its first check, a copy of a
    // small one into memory) on its own threads, never here.
    return disk.get(key, digest, promotion);
  }

  @Override
  public List<String> varyOf(String url) {
    return urls.varyOf(url);
  }

  @Override
  public ObjectWriter begin(StoredHead head, long expectedLength) {
    if (expectedLength > largestObject || head.variant().length() > LARGEST_SECONDARY_KEY) {
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
    for (KeyDigest key : urls.keysOf(url)) {
      removed |= removeEverywhere(key);
    }
    return removed;
  }

  @Override
  public CacheStats stats() {
    return disk == null
        ? new CacheStats(memory.bytes(), memory.objects(), 0, 0, 0, 0, false)
        : new CacheStats(
            memory.bytes(),
            memory.objects(),
            disk.bytes(),
            disk.objects(),
            disk.damaged(),
            disk.readFailures(),
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
    recorded(head.url(), KeyDigest.of(head.key()), UrlIndex.varyNames(head.headers()));
  }

  /** Records a stored variant; the oldest variant of its URL goes when it has too many. */
  private void recorded(String url, KeyDigest key, List<String> vary) {
    KeyDigest dropped = urls.add(url, key, vary);
    if (dropped != null && droppedWhileLoading != null) {
      droppedWhileLoading.add(dropped); // the constructor's thread, as the disk tier loads
    } else if (dropped != null) {
      removeEverywhere(dropped);
    }
  }

  private boolean removeEverywhere(KeyDigest key) {
    boolean removed = memory.remove(key);
    if (disk != null) {
      removed |= disk.remove(key);
    }
    return removed;
  }

  private boolean stored(KeyDigest key) {
    return memory.contains(key) || (disk != null && disk.contains(key));
  }
}
