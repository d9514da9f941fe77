package gateway.proxy.cache.store;

import gateway.proxy.cache.policy.StoredHead;
import java.util.List;

/**
 * Where responses are kept: a memory tier and, when configured, a disk tier behind it. Thread-safe:
 * every client event loop uses the one store.
 *
 * <p>Keys are {@link StoredHead#key()}: the URL, and for responses with {@code Vary} the variant.
 */
public interface CacheStore extends AutoCloseable {

  /**
   * The complete object stored under {@code key}, or null. Called on event loops: reads no whole
   * body. A disk object's header and length are checked before it is returned; its body's checksum
   * is checked once per file in this process, off the caller's thread: a disk object found before
   * that comes with the check running ({@link CachedObject#bodyCheck()}), and gives its body only
   * once it has passed. A damaged one is deleted, counted, and gives null (or is not returned).
   */
  CachedObject get(String key);

  /**
   * The header names the stored responses for {@code url} vary on (empty list: no Vary), or null.
   */
  List<String> varyOf(String url);

  /**
   * Starts storing a response whose body is about to stream in. Returns null when the store will
   * not take it now (larger than the largest object, writes disabled). Nothing is visible to {@link
   * #get} until {@link ObjectWriter#commit()} has completed.
   *
   * @param expectedLength the body's length when the response declares it, else -1
   */
  ObjectWriter begin(StoredHead head, long expectedLength);

  /** Replaces the stored head of {@code head.key()} (after a 304), keeping its body. */
  void updateHead(StoredHead head);

  /** Removes every variant stored for {@code url}; true if there was one. */
  boolean removeUrl(String url);

  CacheStats stats();

  @Override
  void close();
}
