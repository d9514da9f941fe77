package gateway.proxy.cache.store;

import gateway.proxy.cache.policy.StoredHead;
import io.netty.buffer.ByteBuf;

/**
 * One object in the memory tier: its head and its body buffer. The entry owns one reference to the
 * body and gives it up exactly once, when the memory tier drops the entry.
 *
 * <p>Caffeine calls the removal listener asynchronously, so a reader may look the entry up just
 * before it is dropped. Retaining and releasing under the entry's lock makes that safe: a reader
 * either gets its own reference before the drop (and the bytes live until it closes it), or gets
 * null after.
 */
final class MemoryEntry {
  private volatile StoredHead head;
  private final ByteBuf body;
  private final long length;
  private boolean released; // guarded by this

  MemoryEntry(StoredHead head, ByteBuf body) {
    this.head = head;
    this.body = body;
    this.length = body.readableBytes();
  }

  StoredHead head() {
    return head;
  }

  /** After a 304: the headers change, the body does not. */
  void replaceHead(StoredHead newHead) {
    head = newHead;
  }

  long length() {
    return length;
  }

  /** Bytes the entry keeps alive: what the memory tier weighs it by. */
  int weight() {
    return body.capacity() + HeadSize.estimate(head);
  }

  /** A reference of the reader's own to the body, or null once the tier has dropped the entry. */
  synchronized ByteBuf retainedBody() {
    return released ? null : body.retainedDuplicate();
  }

  /** Gives up the entry's reference; only the first call does anything. */
  synchronized void release() {
    if (!released) {
      released = true;
      body.release();
    }
  }
}
