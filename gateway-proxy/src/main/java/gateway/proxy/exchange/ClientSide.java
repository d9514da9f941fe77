package gateway.proxy.exchange;

import gateway.core.log.CacheAction;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The client connection as the legs of the request path see it (the own answers, the cache leg, the
 * origin leg): where to write, whether an exchange is still the one in progress, and how it ends.
 * Implemented by {@code http.ClientConnection}; every call comes on the client's event loop.
 */
public interface ClientSide {
  /** The client's channel context: the legs write the response here. */
  ChannelHandlerContext context();

  default InetSocketAddress remote() {
    return (InetSocketAddress) context().channel().remoteAddress();
  }

  default InetAddress address() {
    return remote().getAddress();
  }

  /**
   * The address the client connected to when its connection was intercepted (transparent mode):
   * every request on it goes there and nowhere else. Null on the proxy port.
   */
  default InetSocketAddress interceptedTo() {
    return null;
  }

  /** The client's address as the log writes it. */
  String addressText();

  /** The exchange in progress, or null. */
  Exchange current();

  /**
   * Whether {@code ex} is still the exchange in progress (the client may have left, or moved on).
   */
  default boolean isCurrent(Exchange ex) {
    return ex == current();
  }

  /** {@code ex} is no longer in progress: what comes for it from now on is dropped. */
  void ended(Exchange ex);

  /** The whole response to {@code ex} is written: log it, then serve the next request or close. */
  void complete(Exchange ex);

  /**
   * The response to {@code ex} broke off after its head went out: the client can only learn of it
   * by the connection closing. Logs {@code ex} with {@code action} and closes once the rest is
   * flushed.
   */
  void broken(Exchange ex, CacheAction action);

  /** Logs {@code ex} once, under {@code url}. */
  void log(Exchange ex, CacheAction action, String url);

  default void log(Exchange ex, CacheAction action) {
    log(ex, action, ex.target.logUrl(false));
  }

  /** Whether the request being answered is the last the connection takes (the queue overflowed). */
  boolean lastTaken();

  /**
   * After the answer {@code written}: closes with {@code how} once it is flushed, reads nothing
   * more.
   */
  void closeAfter(ChannelFuture written, ChannelFutureListener how);

  /**
   * How the connection ends after an answer: at once, or, when the client may still be sending
   * (pipelined requests were turned away), by a lingering close that does not reset it.
   */
  ChannelFutureListener closer();

  /** Serves what the client pipelined, or reads for the next request. */
  void nextRequest();
}
