package gateway.proxy.http;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * The requests a client pipelined (RFC 9112 9.3.2) while an earlier one is served: decoded heads
 * and body parts in the order they came. At most {@link #MAX_WAITING} requests wait; the request
 * past that, and everything the client sends after it, is released unread, and the connection is to
 * end once the requests taken are answered (the client retries the rest on a new connection). This
 * bounds what one pipelining client can make the gateway hold, whatever it sends in one write.
 */
final class PipelinedRequests {
  /** Requests waiting behind the one being served, at most; Netty's own default depth. */
  static final int MAX_WAITING = 128;

  private final ArrayDeque<Object> parts = new ArrayDeque<>(2);
  private final int maxWaiting;
  private int heads;
  private boolean full;

  PipelinedRequests() {
    this(MAX_WAITING);
  }

  PipelinedRequests(int maxWaiting) {
    this.maxWaiting = maxWaiting;
  }

  /** Takes {@code part} to serve later, or releases it (true when taken). */
  boolean add(Object part) {
    if (!full && part instanceof HttpRequest && heads == maxWaiting) {
      full = true;
    }
    if (full) {
      ReferenceCountUtil.release(part);
      return false;
    }
    if (part instanceof HttpRequest) {
      heads++;
    }
    parts.add(part);
    return true;
  }

  /** The next part to serve, or null. */
  Object poll() {
    Object part = parts.poll();
    if (part instanceof HttpRequest) {
      heads--;
    }
    return part;
  }

  boolean isEmpty() {
    return parts.isEmpty();
  }

  /** Requests waiting (their heads taken). */
  int waiting() {
    return heads;
  }

  /**
   * True once a request was turned away: the connection ends after the requests taken, the last of
   * which is answered with {@code Connection: close}.
   */
  boolean full() {
    return full;
  }

  /** True when {@code full()} and no request waits: the one being served now is the last. */
  boolean lastTaken() {
    return full && heads == 0;
  }

  /** Releases every part still waiting (the connection ended). */
  void releaseAll() {
    Object part;
    while ((part = parts.poll()) != null) {
      ReferenceCountUtil.release(part);
    }
    heads = 0;
  }
}
