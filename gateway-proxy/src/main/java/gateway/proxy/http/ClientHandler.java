package gateway.proxy.http;

import gateway.core.log.CacheAction;
import gateway.core.metrics.Refusal;
import gateway.core.metrics.RuleCounters;
import gateway.proxy.ProxyContext;
import gateway.proxy.admission.Admission;
import gateway.proxy.admission.RequestCheck;
import gateway.proxy.answer.OwnAnswers;
import gateway.proxy.caching.CacheLeg;
import gateway.proxy.caching.OrphanedFill;
import gateway.proxy.exchange.CacheRole;
import gateway.proxy.exchange.Exchange;
import gateway.proxy.message.RequestTarget;
import gateway.proxy.origin.OriginLeg;
import gateway.proxy.tunnel.ConnectTunnel;
import io.netty.buffer.ByteBuf;
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
 * The client connection's handler: reads request heads and bodies (AUTO_READ off), queues what the
 * client pipelines, starts each exchange from its head, and hands the connection over to {@link
 * ConnectTunnel} for a CONNECT. How an exchange ends, and the next request after it, is the {@link
 * ClientConnection}'s job, the client as the legs see it. The steps of a request are others' jobs:
 * {@link Admission} decides whether it is let in, {@link OwnAnswers} answers what the gateway
 * answers itself, the {@link CacheLeg} carries out the cache's part and sends the rest through the
 * {@link OriginLeg}.
 *
 * <p>Everything runs on the client's event loop; upstream connections are opened on the same loop.
 * The client is read only while the current request's body can be sent on, and not at all while a
 * response is streaming back.
 */
public final class ClientHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ClientHandler.class);

  private final ProxyContext proxy;
  private final RequestHeadTimer headTimer;
  private final int overLimit;

  /**
   * Bytes the client sent after its CONNECT head, before the tunnel is up: passed on to the relay.
   */
  private final ArrayDeque<ByteBuf> earlyTunnelData = new ArrayDeque<>(1);

  private final OwnAnswers answers;
  private final CacheLeg cache;
  private final OriginLeg origin;
  private final ClientConnection connection;
  private boolean clientAllowed;

  /**
   * @param overLimit the per-client connection limit this connection exceeds (its requests get
   *     429), or 0 when it is within it
   * @param interceptedTo the address an intercepted connection was made to (see {@link
   *     InterceptedHttp}), or null on the proxy port
   */
  ClientHandler(
      ProxyContext proxy,
      RequestHeadTimer headTimer,
      int overLimit,
      InetSocketAddress interceptedTo) {
    this.proxy = proxy;
    this.headTimer = headTimer;
    this.overLimit = overLimit;
    this.connection = new ClientConnection(proxy, headTimer, this::handle, interceptedTo);
    this.answers = new OwnAnswers(proxy, connection);
    this.cache = new CacheLeg(proxy, connection, answers);
    this.origin = cache.origin();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    connection.client = ctx;
    InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
    connection.clientAddress = remote.getAddress().getHostAddress();
    clientAllowed = proxy.clients().allows(remote.getAddress());
    ctx.read();
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (connection.tunnelling && !connection.closing && msg instanceof ByteBuf early) {
      earlyTunnelData.add(early);
      return;
    }
    if (connection.closing || connection.tunnelling) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (!connection.pipelined.isEmpty()
        || connection.verifying
        || connection.pipelined.full()
        || (connection.exchange != null && connection.exchange.requestDone)) {
      connection.pipelined.add(msg);
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
    origin.flush(connection.exchange);
  }

  // ---- the request ------------------------------------------------------------------------

  private void requestHead(HttpRequest req) {
    headTimer.headReceived();
    long now = proxy.clock().getAsLong();
    InetSocketAddress remote = connection.remote();
    Admission.Outcome outcome =
        Admission.decide(
            req,
            new Admission.Client(
                remote.getAddress(),
                connection.clientAddress,
                clientAllowed,
                overLimit,
                req.method().name().equals("PURGE") && proxy.admins().allows(remote.getAddress()),
                !proxy.isDraining() && !connection.pipelined.lastTaken(),
                connection.interceptedTo()),
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
      connection.tunnelling = true;
      // What the client sends after this head (a TLS ClientHello, say) is tunnel data, not HTTP:
      // stop decoding now, before the decoder parses or skips those bytes. It hands what it holds
      // to us. No request head comes on this connection any more: its timer goes too.
      connection.client.pipeline().get(HttpServerCodec.class).removeInboundHandler();
      connection.client.pipeline().remove(headTimer);
      new ConnectTunnel(proxy, connection.client, req, t.target(), now, this::connectFailed)
          .start();
    } else if (verdict instanceof Admission.Purge p) {
      // Answered at once: the exchange is never the one in progress.
      Exchange ex = new Exchange(req, p.target(), now, p.keepAlive());
      ex.requestHasBody = OwnAnswers.hasBody(req);
      answers.purge(ex);
    } else if (verdict instanceof Admission.Admitted a) {
      connection.exchange = new Exchange(req, a.target(), now, a.keepAlive());
      connection.exchange.requestHasBody = OwnAnswers.hasBody(req);
      cache.request(connection.exchange);
    } else if (verdict instanceof Admission.Intercepted i) {
      connection.exchange = new Exchange(req, i.target(), now, i.keepAlive());
      connection.exchange.requestHasBody = OwnAnswers.hasBody(req);
      InterceptedExchange.start(proxy, connection, cache, connection.exchange, i.hostCheck());
    }
  }

  private void requestContent(HttpContent content) {
    if (content.decoderResult().isFailure()) {
      Throwable cause = content.decoderResult().cause();
      content.release();
      requestBodyBroken(cause);
      return;
    }
    Exchange ex = connection.exchange;
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
    Exchange ex = connection.exchange;
    if (ex == null) {
      connection.closing = true;
      connection.client.close();
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
    connection.tunnelling = false;
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

  // ---- connection events --------------------------------------------------------------------

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    Exchange ex = connection.exchange;
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
      connection.inputShut = true;
      if (connection.tunnelling) {
        // The end of the client's data belongs to the tunnel: handlerRemoved passes it on.
        return;
      }
      if (connection.exchange == null && connection.pipelined.isEmpty()) {
        ctx.close();
      }
      return;
    }
    if (evt == DrainEvent.INSTANCE) {
      if (connection.exchange == null && connection.pipelined.isEmpty() && !connection.tunnelling) {
        ctx.close();
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    origin.close();
    Exchange ex = connection.exchange;
    connection.exchange = null;
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
      connection.log(ex, ex.action);
    }
    connection.pipelined.releaseAll();
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
    if (!connection.tunnelling || !ctx.channel().isActive()) {
      while ((b = earlyTunnelData.poll()) != null) {
        b.release();
      }
      return;
    }
    while ((b = earlyTunnelData.poll()) != null) {
      ctx.fireChannelRead(b);
    }
    ctx.fireChannelReadComplete();
    if (connection.inputShut) {
      ctx.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("client {}: {}", connection.clientAddress, cause.toString());
    ctx.close();
  }
}
