package gateway.proxy.cache;

import gateway.proxy.cache.policy.StoredHead;
import gateway.proxy.cache.store.CachedObject;
import java.util.concurrent.CompletionStage;

/** A stored response with the head a 304 revalidation gave it, and the same body. */
record RefreshedObject(CachedObject stored, StoredHead head) implements CachedObject {
  @Override
  public long length() {
    return stored.length();
  }

  @Override
  public boolean inMemory() {
    return stored.inMemory();
  }

  @Override
  public CompletionStage<Boolean> bodyCheck() {
    return stored.bodyCheck();
  }

  @Override
  public Body open() {
    return stored.open();
  }
}
