package gateway.proxy.cache;

import gateway.core.log.CacheAction;
import java.util.concurrent.atomic.LongAdder;

/**
 * How well the cache serves: requests and bytes answered from it against all that could have been,
 * for the hit ratio and byte-hit ratio on the status page and in metrics. Counted once per logged
 * request, from any event loop.
 */
public final class CacheCounters {
  private final LongAdder requests = new LongAdder();
  private final LongAdder hits = new LongAdder();
  private final LongAdder bytes = new LongAdder();
  private final LongAdder hitBytes = new LongAdder();

  /** Counts one answered GET or HEAD request and the bytes it sent. */
  public void count(CacheAction action, long bytesSent) {
    requests.increment();
    bytes.add(bytesSent);
    if (servedFromCache(action)) {
      hits.increment();
      hitBytes.add(bytesSent);
    }
  }

  /**
   * Hits, and revalidations the origin answered with "not modified": the body came from the cache.
   */
  public static boolean servedFromCache(CacheAction action) {
    return switch (action) {
      case TCP_HIT, TCP_MEM_HIT, TCP_REFRESH_UNMODIFIED, TCP_REFRESH_FAIL_OLD, TCP_IMS_HIT -> true;
      default -> false;
    };
  }

  public long requests() {
    return requests.sum();
  }

  public long hits() {
    return hits.sum();
  }

  public long bytes() {
    return bytes.sum();
  }

  public long hitBytes() {
    return hitBytes.sum();
  }
}
