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
  public Body open() {
    ByteBuf body = entry.retainedBody();
    return body == null ? null : new InMemory(body);
  }
}
