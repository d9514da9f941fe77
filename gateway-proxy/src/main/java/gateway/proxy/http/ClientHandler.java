package gateway.proxy.http;

import gateway.core.log.CacheAction;
import gateway.core.metrics.Refusal;
import gateway.core.metrics.RuleCounters;
import gateway.proxy.ProxyContext;
import gateway.proxy.admission.Admission;
import gateway.proxy.admission.RequestCheck;
import gateway.proxy.answer.OwnAnswers;
import gateway.proxy.cache.policy.CacheKey;
import gateway.proxy.caching.CacheLeg;
import gateway.proxy.caching.OrphanedFill;
import gateway.proxy.exchange.CacheRole;
import gateway.proxy.exchange.ClientSide;
import gateway.proxy.exchange.Exchange;
import gateway.proxy.message.RequestTarget;
import gateway.proxy.origin.OriginLeg;
import gateway.proxy.tunnel.ConnectTunnel;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client connection: reads request heads and bodies (AUTO_READ off), queues what the client
 * pipelines and serves it in order, runs each exchange from its head to its log line, and hands the
 * connection over to {@link ConnectTunnel} for a CONNECT. The steps of a request are others' jobs:
 * {@link Admission} decides whether it is let in, {@link OwnAnswers} answers what the gateway
 * answers itself, the {@link CacheLeg} carries out the cache's part and sends the rest through the
 * {@link OriginLeg}.
 *
 * <p>Everything runs on the client's event loop; upstream connections are opened on the same loop.
 * The client is read only while the current request's body can be sent on, and not at all while a
 * response is streaming back.
 */
public final class ClientHandler extends ChannelInboundHandlerAdapter implements ClientSide {
  private static final Logger log = LoggerFactory.getLogger(ClientHandler.class);

  private final ProxyContext proxy;
  private final RequestHeadTimer headTimer;
  private final int overLimit;
  private final PipelinedRequests pipelined = new PipelinedRequests();

  /**
   * Bytes the client sent after its CONNECT head, before the tunnel is up: passed on to the relay.
   */
  private final ArrayDeque<ByteBuf> earlyTunnelData = new ArrayDeque<>(1);

  private final OwnAnswers answers;
  private final CacheLeg cache;
  private final OriginLeg origin;
  private ChannelHandlerContext client;
  private String clientAddress;
  private boolean clientAllowed;
  private Exchange exchange;

  /**
   * After a rejected request whose body cannot be found, everything the client sends is dropped.
   */
  private boolean closing;

  /** A CONNECT is being set up: the connection is no longer HTTP. */
  private boolean tunnelling;

  private boolean inputShut;

  /**
   * @param overLimit the per-client connection limit this connection exceeds (its requests get
   *     429), or 0 when it is within it
   */
  public ClientHandler(ProxyContext proxy, RequestHeadTimer headTimer, int overLimit) {
    this.proxy = proxy;
    this.headTimer = headTimer;
    this.overLimit = overLimit;
    this.answers = new OwnAnswers(proxy, this);
    this.cache = new CacheLeg(proxy, this, answers);
    this.origin = cache.origin();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    client = ctx;
    InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
    clientAddress = remote.getAddress().getHostAddress();
    clientAllowed = proxy.clients().allows(remote.getAddress());
    ctx.read();
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (tunnelling && !closing && msg instanceof ByteBuf early) {
      earlyTunnelData.add(early);
      return;
    }
    if (closing || tunnelling) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (!pipelined.isEmpty() || pipelined.full() || (exchange != null && exchange.requestDone)) {
      pipelined.add(msg);
      return;
    }
    handle(msg);
  }

  private void handle(Object msg) {
    if (msg instanceof HttpRequest req) {
      if (msg instanceof HttpContent content) {
        // Only an invalid request comes whole; its (empty) content is of no use.
        content.release();
      }
      requestHead(req);
    } else if (msg instanceof HttpContent content) {
      requestContent(content);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    origin.flush(exchange);
  }

  // ---- the request ------------------------------------------------------------------------

  private void requestHead(HttpRequest req) {
    headTimer.headReceived();
    long now = proxy.clock().getAsLong();
    InetSocketAddress remote = remote();
    Admission.Outcome outcome =
        Admission.decide(
            req,
            new Admission.Client(
                remote.getAddress(),
                clientAddress,
                clientAllowed,
                overLimit,
                req.method().name().equals("PURGE") && proxy.admins().allows(remote.getAddress()),
                !proxy.isDraining() && !pipelined.lastTaken()),
            new Admission.Rules(
                proxy.config().limits().headers(),
                proxy.loopGuard()::viaNamesSelf,
                proxy.access(),
                proxy.localTime(now),
                proxy.config().connectPorts()));
    if (outcome.rules() != null) {
      proxy.policies().count(outcome.rules());
    }
    Admission.Verdict verdict = outcome.verdict();
    if (verdict instanceof Admission.Pac) {
      answers.pac(req, now);
    } else if (verdict instanceof Admission.Answer a) {
      if (a.refusal() == Refusal.CLIENT_CONNECTIONS) {
        proxy.policies().counters().denied(RuleCounters.CLIENT_CONNECTIONS);
      }
      answers.refuse(
          req,
          a.target(),
          now,
          a.status(),
          a.reason(),
          a.action(),
          a.keepAlive(),
          a.rule(),
          a.location(),
          a.refusal());
    } else if (verdict instanceof Admission.Tunnel t) {
      tunnelling = true;
      // What the client sends after this head (a TLS ClientHello, say) is tunnel data, not HTTP:
      // stop decoding now, before the decoder parses or skips those bytes. It hands what it holds
      // to us. No request head comes on this connection any more: its timer goes too.
      client.pipeline().get(HttpServerCodec.class).removeInboundHandler();
      client.pipeline().remove(headTimer);
      new ConnectTunnel(proxy, client, req, t.target(), now, this::connectFailed).start();
    } else if (verdict instanceof Admission.Purge p) {
      // Answered at once: the exchange is never the one in progress.
      Exchange ex = new Exchange(req, p.target(), now, p.keepAlive());
      ex.requestHasBody = OwnAnswers.hasBody(req);
      answers.purge(ex);
    } else if (verdict instanceof Admission.Admitted a) {
      exchange = new Exchange(req, a.target(), now, a.keepAlive());
      exchange.requestHasBody = OwnAnswers.hasBody(req);
      cache.request(exchange);
    }
  }

  private void requestContent(HttpContent content) {
    if (content.decoderResult().isFailure()) {
      Throwable cause = content.decoderResult().cause();
      content.release();
      requestBodyBroken(cause);
      return;
    }
    Exchange ex = exchange;
    if (ex == null || ex.requestDone) {
      content.release();
      return;
    }
    if (content instanceof LastHttpContent) {
      ex.requestDone = true;
    }
    origin.requestContent(ex, content);
  }

  /**
   * The request body's framing broke (RFC 9112 7.1): its end cannot be found, so the origin must
   * not get it as whole. The upstream connection is closed, not ended; the client gets 400 and the
   * connection closes, or, when the response had started, only the close.
   */
  private void requestBodyBroken(Throwable cause) {
    Exchange ex = exchange;
    if (ex == null) {
      closing = true;
      client.close();
      return;
    }
    OriginLeg.dropUpstream(ex);
    ex.requestDone = false;
    if (ex.responseStarted) {
      origin.upstreamGone(null);
      return;
    }
    RequestCheck.Reject reject = RequestCheck.bodyFailure(cause);
    answers.error(
        ex, reject.status(), reject.reason(), CacheAction.TAG_NONE, Refusal.INVALID_REQUEST);
  }

  /** The CONNECT could not be set up: the answer ends the connection (the decoder is gone). */
  private void connectFailed(
      HttpRequest req,
      RequestTarget target,
      long start,
      HttpResponseStatus status,
      String why,
      String uplink,
      String rule) {
    tunnelling = false;
    Exchange ex = new Exchange(req, target, start, false);
    ex.requestDone = true;
    ex.uplink = uplink;
    ex.rule = rule;
    boolean refused = status.code() == 403;
    // The request decoder is gone (and early tunnel data may have come): the connection ends here.
    answers.reply(
        ex,
        status,
        why,
        refused ? CacheAction.TCP_DENIED : CacheAction.TCP_TUNNEL,
        false,
        null,
        !refused ? null : rule != null ? Refusal.ACCESS_RULE : Refusal.FORWARDING_LOOP);
  }

  // ---- the exchange's end (ClientSide) -------------------------------------------------------

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
      handle(pipelined.poll());
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

  // ---- connection events --------------------------------------------------------------------

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    Exchange ex = exchange;
    if (ex != null && ex.role instanceof CacheRole.Following f && ctx.channel().isWritable()) {
      f.feed().clientWritable();
    }
    // Interim responses wait for the client too: the origin may have been held before the final
    // head.
    if (ctx.channel().isWritable()) {
      origin.clientWritable(ex);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      ctx.close();
      return;
    }
    if (evt instanceof ChannelInputShutdownEvent) {
      // The client sent all it will send: answer what is in flight, then close.
      inputShut = true;
      if (tunnelling) {
        // The end of the client's data belongs to the tunnel: handlerRemoved passes it on.
        return;
      }
      if (exchange == null && pipelined.isEmpty()) {
        ctx.close();
      }
      return;
    }
    if (evt == DrainEvent.INSTANCE) {
      if (exchange == null && pipelined.isEmpty() && !tunnelling) {
        ctx.close();
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    origin.close();
    Exchange ex = exchange;
    exchange = null;
    if (ex != null) {
      ex.cancelResponseTimer();
      ex.releaseEarlyBody();
      // Others fed from this client's download keep it going: it carries on without this client.
      OrphanedFill.takeOver(ex);
      ex.abandonFill();
      if (ex.role instanceof CacheRole.Following f) {
        f.feed().stop();
      }
      OriginLeg.dropUpstream(ex);
      log(ex, ex.action);
    }
    pipelined.releaseAll();
    Object o;
    while ((o = earlyTunnelData.poll()) != null) {
      ReferenceCountUtil.release(o);
    }
    ctx.fireChannelInactive();
  }

  /**
   * Replaced by the tunnel relay: hand it the bytes, and the end of input, that came before it was
   * there (after a replace, the pipeline links this handler's context to the relay).
   */
  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    ByteBuf b;
    if (!tunnelling || !ctx.channel().isActive()) {
      while ((b = earlyTunnelData.poll()) != null) {
        b.release();
      }
      return;
    }
    while ((b = earlyTunnelData.poll()) != null) {
      ctx.fireChannelRead(b);
    }
    ctx.fireChannelReadComplete();
    if (inputShut) {
      ctx.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("client {}: {}", clientAddress, cause.toString());
    ctx.close();
  }
}
