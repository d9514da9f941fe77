package gateway.proxy.cache;

import io.netty.buffer.ByteBuf;

/** A hit whose body is a buffer in memory; {@code foundInMemory} is false for a promoted disk hit. */
record MemoryObject(StoredHead head, MemoryEntry entry, boolean foundInMemory)
    implements CachedObject {

  @Override
  public long length() {
    return entry.length();
  }

  @Override
  public boolean inMemory() {
    return foundInMemory;
  }

  @Override
  public java.util.concurrent.CompletionStage<Boolean> bodyCheck() {
    return null; // a buffer in memory: checked before it was kept
  }

  @Override
  public Body open() {
    ByteBuf body = entry.retainedBody();
    return body == null ? null : new InMemory(body);
  }
}
