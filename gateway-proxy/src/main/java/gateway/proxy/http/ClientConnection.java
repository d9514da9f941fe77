package gateway.proxy.http;

import gateway.core.log.CacheAction;
import gateway.proxy.ProxyContext;
import gateway.proxy.cache.policy.CacheKey;
import gateway.proxy.exchange.ClientSide;
import gateway.proxy.exchange.Exchange;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * The client connection as the legs of the request path see it ({@link ClientSide}): the exchange
 * in progress, the requests pipelined behind it, and how each exchange ends: its log line, then the
 * next request, or the close. The {@link ClientHandler} feeds it what the client sends and keeps it
 * up to date with the connection's events; everything runs on the client's event loop.
 */
final class ClientConnection implements ClientSide {
  private final ProxyContext proxy;
  private final RequestHeadTimer headTimer;

  /** Serves a part the client pipelined, as if it had just been read. */
  private final Consumer<Object> serve;

  final PipelinedRequests pipelined = new PipelinedRequests();

  /** The address an intercepted connection was made to, or null on the proxy port. */
  private final InetSocketAddress interceptedTo;

  ChannelHandlerContext client;
  String clientAddress;
  Exchange exchange;

  /**
   * After a rejected request whose body cannot be found, everything the client sends is dropped.
   */
  boolean closing;

  /** A CONNECT is being set up: the connection is no longer HTTP. */
  boolean tunnelling;

  /**
   * The exchange in progress waits to learn whether its {@code Host} may be cached (an intercepted
   * request's name being resolved): what the client sends meanwhile waits in {@link #pipelined}.
   */
  boolean verifying;

  boolean inputShut;

  ClientConnection(
      ProxyContext proxy,
      RequestHeadTimer headTimer,
      Consumer<Object> serve,
      InetSocketAddress interceptedTo) {
    this.proxy = proxy;
    this.headTimer = headTimer;
    this.serve = serve;
    this.interceptedTo = interceptedTo;
  }

  @Override
  public InetSocketAddress interceptedTo() {
    return interceptedTo;
  }

  /**
   * Serves what the client sent of {@code ex}'s body while it waited ({@link #verifying}); the next
   * request waits for {@code ex} to end.
   */
  void serveWaitingBody(Exchange ex) {
    while (!pipelined.isEmpty() && exchange == ex && !ex.requestDone && !closing) {
      serve.accept(pipelined.poll());
    }
  }

  @Override
  public ChannelHandlerContext context() {
    return client;
  }

  @Override
  public String addressText() {
    return clientAddress;
  }

  @Override
  public Exchange current() {
    return exchange;
  }

  @Override
  public void ended(Exchange ex) {
    exchange = null;
  }

  @Override
  public void complete(Exchange ex) {
    // Draining may have begun after the response head went out: close once this response is
    // complete.
    boolean keep =
        ex.keepClient
            && ex.requestDone
            && !proxy.isDraining()
            && (!inputShut || !pipelined.isEmpty());
    log(ex, ex.action);
    exchange = null;
    if (!keep) {
      closeOnFlush(closer());
      return;
    }
    client.flush();
    nextRequest();
  }

  @Override
  public void broken(Exchange ex, CacheAction action) {
    log(ex, action);
    exchange = null;
    closeOnFlush(ChannelFutureListener.CLOSE);
  }

  @Override
  public void log(Exchange ex, CacheAction action, String url) {
    if (ex.logged) {
      return;
    }
    ex.logged = true;
    if (ex.cacheUrl != null && CacheKey.lookedUp(ex.request.method())) {
      proxy.cache().counters().count(action, ex.bytesSent);
    }
    proxy.accessLog().record(ex.record(clientAddress, proxy.clock().getAsLong(), action, url));
  }

  @Override
  public boolean lastTaken() {
    return pipelined.lastTaken();
  }

  @Override
  public void closeAfter(ChannelFuture written, ChannelFutureListener how) {
    closing = true;
    written.addListener(how);
  }

  /** Closes the connection once what is written is flushed; nothing more is read. */
  private void closeOnFlush(ChannelFutureListener how) {
    closeAfter(client.writeAndFlush(Unpooled.EMPTY_BUFFER), how);
  }

  @Override
  public ChannelFutureListener closer() {
    return pipelined.full() ? LingeringClose.AFTER_WRITE : ChannelFutureListener.CLOSE;
  }

  @Override
  public void nextRequest() {
    headTimer.awaitHead();
    while (!pipelined.isEmpty()
        && !closing
        && !tunnelling
        && (exchange == null || !exchange.requestDone)) {
      serve.accept(pipelined.poll());
    }
    if (closing || tunnelling) {
      return;
    }
    if (inputShut && exchange == null) {
      client.close();
      return;
    }
    if (pipelined.full() && exchange == null) {
      // Every request taken is answered: the ones turned away are the client's to send again.
      closeOnFlush(closer());
      return;
    }
    if (exchange == null || (!exchange.requestDone && exchange.upstream != null)) {
      client.read();
    }
  }
}
