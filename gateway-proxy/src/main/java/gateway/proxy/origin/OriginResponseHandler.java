package gateway.proxy.origin;

import gateway.proxy.ProxyContext;
import gateway.proxy.channel.IdleTimeout;
import gateway.proxy.limit.Bandwidth;
import gateway.proxy.limit.ReadGate;
import gateway.proxy.upstream.OriginPool;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * The origin side of a plain HTTP exchange: one per upstream connection, bound to the client's
 * {@link OriginLeg} while a request is in flight and unbound while the connection waits in the
 * pool. It passes the decoded response to its {@link ResponseReceiver} and reads the origin only as
 * fast as the receiver takes the data: the client, or the cache alone once the client has left a
 * download other clients are fed from ({@link #handOver}).
 */
public final class OriginResponseHandler extends ChannelInboundHandlerAdapter {
  /**
   * The origin's response head may not be larger than this: a hostile origin cannot grow the heap.
   */
  public static final int MAX_RESPONSE_HEADER = 64 * 1024;

  /**
   * Interim (1xx) responses one exchange may get before the origin counts as broken. A sound origin
   * sends one 100 Continue, a few 103 Early Hints, or (obsolete, RFC 4918 dropped it) a 102 now and
   * then; 32 leaves room for all of those, and stops an endless run of them from holding the
   * exchange and the client's bandwidth.
   */
  public static final int MAX_INTERIM_RESPONSES = 32;

  private final ProxyContext proxy;
  private final OriginPool.Key poolKey;
  private ResponseReceiver owner;

  /**
   * The bound client connection, whose reads (the request body) go up through this uplink, and
   * whose writability paces the interim responses relayed to it.
   */
  private Channel client;

  /** The decoder ends an interim (1xx) response with an empty last content that is not the end. */
  private boolean inInterim;

  /** Interim responses the bound exchange got so far. */
  private int interims;

  private boolean clientWritable = true;

  OriginResponseHandler(ProxyContext proxy, OriginPool.Key poolKey) {
    this.proxy = proxy;
    this.poolKey = poolKey;
  }

  ChannelInitializer<Channel> initializer() {
    long idle = proxy.config().timeouts().idle().toMillis();
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        ch.pipeline()
            .addLast(
                new ReadGate(),
                new IdleTimeout(idle),
                new HttpClientCodec(
                    new HttpDecoderConfig()
                        .setMaxInitialLineLength(16 * 1024)
                        .setMaxHeaderSize(MAX_RESPONSE_HEADER)
                        .setMaxChunkSize(64 * 1024),
                    false,
                    false),
                OriginResponseHandler.this);
      }
    };
  }

  public static OriginResponseHandler of(Channel upstream) {
    return upstream.pipeline().get(OriginResponseHandler.class);
  }

  OriginPool.Key poolKey() {
    return poolKey;
  }

  /**
   * Serves {@code handler}'s client now: reads of the origin go at the client's download rate (and
   * the uplink's share of it), reads of the client (its request body) at its upload rate and the
   * uplink's share of that; while pooled, the origin's reads are not limited.
   */
  void bind(ResponseReceiver handler, Channel upstream, Channel client) {
    owner = handler;
    this.client = client;
    inInterim = false;
    interims = 0;
    clientWritable = true;
    Bandwidth.Share share = Bandwidth.of(client);
    ReadGate gate = ReadGate.of(upstream);
    if (share != null && gate != null) {
      gate.use(share.download(upstream.eventLoop(), poolKey.uplink()));
    }
    ReadGate clientGate = ReadGate.of(client);
    if (share != null && clientGate != null) {
      clientGate.use(share.upload(client.eventLoop(), poolKey.uplink()));
    }
  }

  /**
   * The rest of the response goes to {@code next} instead of the client that was bound: reads go on
   * as fast as {@code next} takes them, no longer waiting for that client's socket. The read limit
   * the client's share set stays (the uplink's max-rate among it): a download without a client is
   * no reason to take more of the uplink than it had.
   */
  public void handOver(ResponseReceiver next) {
    owner = next;
    clientWritable = true;
    releaseClient();
  }

  void unbind() {
    letGo();
    ReadGate gate = gateOf();
    if (gate != null) {
      gate.use(null);
    }
  }

  /**
   * The exchange lets go of this connection (done, failed, or this connection failed). Returns the
   * owner it had, or null.
   */
  private ResponseReceiver letGo() {
    ResponseReceiver o = owner;
    owner = null;
    releaseClient();
    return o;
  }

  /**
   * What the bound client sends next goes through no uplink yet: its reads are back under its own
   * upload limits.
   */
  private void releaseClient() {
    Channel c = client;
    client = null;
    Bandwidth.Share share = c == null ? null : Bandwidth.of(c);
    ReadGate clientGate = c == null ? null : ReadGate.of(c);
    if (share != null && clientGate != null) {
      clientGate.use(share.upload(c.eventLoop()));
    }
  }

  private ChannelHandlerContext self;

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    self = ctx;
  }

  private ReadGate gateOf() {
    return self == null ? null : ReadGate.of(self.channel());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ResponseReceiver o = owner;
    if (o == null) {
      // Nothing was asked: an idle pooled connection must not talk. Drop it.
      ReferenceCountUtil.release(msg);
      ctx.close();
      return;
    }
    if (msg instanceof HttpResponse r) {
      if (r.decoderResult().isFailure()) {
        ReferenceCountUtil.release(msg);
        letGo();
        ctx.close();
        o.upstreamGone(new InvalidResponse("an invalid response: " + r.decoderResult().cause()));
        return;
      }
      int code = r.status().code();
      inInterim = code >= 100 && code < 200;
      if (inInterim && ++interims > MAX_INTERIM_RESPONSES) {
        // A broken response: never pooled, and the client learns of it as of any other (502).
        ReferenceCountUtil.release(msg);
        letGo();
        ctx.close();
        o.upstreamGone(
            new InvalidResponse("more than " + MAX_INTERIM_RESPONSES + " interim (1xx) responses"));
        return;
      }
      o.responseHead(r);
      if (msg instanceof HttpContent c) {
        if (owner != o) {
          // The response was refused at its head (an access rule): its body goes nowhere.
          c.release();
          return;
        }
        handleContent(o, c);
      }
      return;
    }
    if (msg instanceof HttpContent c) {
      if (c.decoderResult().isFailure()) {
        c.release();
        letGo();
        ctx.close();
        o.upstreamGone(
            new InvalidResponse("an invalid response body: " + c.decoderResult().cause()));
        return;
      }
      handleContent(o, c);
      return;
    }
    ReferenceCountUtil.release(msg);
  }

  private void handleContent(ResponseReceiver o, HttpContent c) {
    if (inInterim) {
      if (c instanceof LastHttpContent) {
        inInterim = false;
        // What was relayed of it waits for the client like any other bytes: read on once it can
        // take
        // more (the receiver reads this connection again when the client becomes writable).
        clientWritable = client == null || client.isWritable();
      }
      c.release();
      return;
    }
    clientWritable = o.responseContent(c);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ResponseReceiver o = owner;
    if (o == null) {
      ctx.read();
      return;
    }
    o.flushToClient();
    if (clientWritable) {
      ctx.read();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    ResponseReceiver o = owner;
    if (o != null && ctx.channel().isWritable()) {
      o.upstreamWritable();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      ctx.close();
      return;
    }
    if (evt instanceof ChannelInputShutdownEvent) {
      // The origin sent all it will (the decoder before us has already ended a close-delimited
      // body).
      // Upstream connections allow half-closure, so without this close channelInactive never comes
      // and
      // an exchange waiting for a response would hang until the response timeout.
      ctx.close();
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    ResponseReceiver o = letGo();
    if (o != null) {
      o.upstreamGone(null);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ResponseReceiver o = letGo();
    ctx.close();
    if (o != null) {
      o.upstreamGone(cause);
    }
  }
}
