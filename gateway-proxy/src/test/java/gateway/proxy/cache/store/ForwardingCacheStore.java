package gateway.proxy.cache.store;

import gateway.proxy.cache.policy.StoredHead;
import java.util.List;

/**
 * A store that passes everything to another: tests extend it and override only the call whose
 * behaviour they change (bodies that vanish, writers that give up).
 */
abstract class ForwardingCacheStore implements CacheStore {
  final CacheStore store;

  ForwardingCacheStore(CacheStore store) {
    this.store = store;
  }

  @Override
  public CachedObject get(String key) {
    return store.get(key);
  }

  @Override
  public List<String> varyOf(String url) {
    return store.varyOf(url);
  }

  @Override
  public ObjectWriter begin(StoredHead head, long expectedLength) {
    return store.begin(head, expectedLength);
  }

  @Override
  public void updateHead(StoredHead head) {
    store.updateHead(head);
  }

  @Override
  public boolean removeUrl(String url) {
    return store.removeUrl(url);
  }

  @Override
  public CacheStats stats() {
    return store.stats();
  }

  @Override
  public void close() {
    store.close();
  }
}
