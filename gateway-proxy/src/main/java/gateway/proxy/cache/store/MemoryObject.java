package gateway.proxy.cache.store;

import gateway.proxy.cache.policy.StoredHead;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletionStage;

/**
 * A hit whose body is a buffer in memory. A disk hit copied into memory is served from its file
 * that time (see {@link DiskTier#get}): this is always a memory hit.
 */
record MemoryObject(StoredHead head, MemoryEntry entry) implements CachedObject {

  @Override
  public long length() {
    return entry.length();
  }

  @Override
  public boolean inMemory() {
    return true;
  }

  @Override
  public CompletionStage<Boolean> bodyCheck() {
    return null; // a buffer in memory: checked before it was kept
  }

  @Override
  public Body open() {
    ByteBuf body = entry.retainedBody();
    return body == null ? null : new InMemory(body);
  }
}
