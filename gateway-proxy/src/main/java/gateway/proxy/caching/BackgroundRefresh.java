package gateway.proxy.caching;

import gateway.proxy.ProxyContext;
import gateway.proxy.admission.DestinationRules;
import gateway.proxy.cache.HttpCache;
import gateway.proxy.cache.policy.Validation;
import gateway.proxy.cache.store.CachedObject;
import gateway.proxy.cache.store.Fill;
import gateway.proxy.cache.store.ObjectWriter;
import gateway.proxy.message.HopByHop;
import gateway.proxy.message.RequestHeads;
import gateway.proxy.message.RequestTarget;
import gateway.proxy.message.TransferCodings;
import gateway.proxy.origin.OriginResponseHandler;
import gateway.proxy.upstream.Connection;
import gateway.proxy.upstream.Route;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Revalidates a stored response after a client was served it stale under {@code
 * stale-while-revalidate} (RFC 5861 3): a conditional GET of its own, whose 304 freshens the stored
 * copy and whose new response replaces it. No client waits on it; clients asking meanwhile follow
 * its {@link Fill}. It leaves no trace but in the cache (and a debug line when it fails).
 */
final class BackgroundRefresh extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(BackgroundRefresh.class);

  private final ProxyContext proxy;
  private final HttpRequest request;
  private final CachedObject stale;
  private final Fill fill;
  private final long startMillis;
  private ObjectWriter writer;
  private boolean over;

  private BackgroundRefresh(
      ProxyContext proxy, HttpRequest request, CachedObject stale, Fill fill) {
    this.proxy = proxy;
    this.request = request;
    this.stale = stale;
    this.fill = fill;
    this.startMillis = proxy.clock().getAsLong();
  }

  /**
   * Starts the revalidation of {@code stale} for the request {@code clientHeaders} came with,
   * routed like the client's own request would be: to {@code fixed} when that came on an
   * intercepted connection (else null).
   */
  static void start(
      ProxyContext proxy,
      EventLoop loop,
      InetSocketAddress client,
      InetSocketAddress fixed,
      RequestTarget target,
      HttpHeaders clientHeaders,
      CachedObject stale,
      Fill fill) {
    HttpRequest req =
        new DefaultHttpRequest(
            HttpVersion.HTTP_1_1,
            HttpMethod.GET,
            target.path(),
            Validation.conditionalRequest(clientHeaders, stale.head()));
    RequestHeads.rewrite(req, target, proxy.loopGuard().viaPseudonym());
    BackgroundRefresh refresh = new BackgroundRefresh(proxy, req, stale, fill);
    (fixed != null
            ? proxy.router().routeTo(loop, client, fixed, target.host())
            : proxy.router().route(loop, client, target.host(), target.port()))
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                refresh.fail(f.cause());
                return;
              }
              Route route = (Route) f.getNow();
              InetSocketAddress origin = route.origin();
              // Refreshed like the client's own request: never into the gateway itself or a denied
              // address.
              if (proxy.loopGuard().isSelf(origin.getAddress(), origin.getPort())
                  || DestinationRules.refusal(
                          proxy,
                          client.getAddress(),
                          req,
                          target,
                          false,
                          origin.getAddress(),
                          refresh.startMillis)
                      .isPresent()) {
                refresh.fail(new IllegalStateException(origin + " is refused as a destination"));
                return;
              }
              proxy
                  .connector()
                  .connect(loop, route, uplink -> refresh.initializer())
                  .addListener(
                      c -> {
                        if (!c.isSuccess()) {
                          refresh.fail(c.cause());
                          return;
                        }
                        Channel ch = ((Connection) c.getNow()).channel();
                        ch.write(req);
                        ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                        ch.read();
                      });
            });
  }

  private ChannelInitializer<Channel> initializer() {
    long timeout = proxy.config().timeouts().response().toMillis();
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        ch.pipeline()
            .addLast(
                new ReadTimeoutHandler(timeout, TimeUnit.MILLISECONDS),
                new HttpClientCodec(
                    new HttpDecoderConfig()
                        .setMaxHeaderSize(OriginResponseHandler.MAX_RESPONSE_HEADER)
                        .setMaxChunkSize(64 * 1024),
                    false,
                    false),
                BackgroundRefresh.this);
      }
    };
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (over) {
        return;
      }
      if (msg instanceof HttpResponse r) {
        head(ctx, r);
      }
      if (!over && msg instanceof HttpContent c && c.decoderResult().isFailure()) {
        // RFC 9112 7.1: a body whose framing broke has no known end: nothing of it is stored.
        fail(c.decoderResult().cause());
        ctx.close();
        return;
      }
      if (!over && msg instanceof HttpContent c && writer != null) {
        content(ctx, c);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void head(ChannelHandlerContext ctx, HttpResponse r) {
    int code = r.status().code();
    if (code >= 100 && code < 200) {
      return;
    }
    HttpCache cache = proxy.cache();
    long now = proxy.clock().getAsLong();
    if (code == 304 && cache.refreshed(stale, r.headers(), startMillis, now) != null) {
      finish(ctx);
      fill.refreshed();
      return;
    }
    // A transfer coding other than chunked would be stored as if it were the content.
    if (r.decoderResult().isSuccess()
        && TransferCodings.unsupported(r.headers()) == null
        && cache.mayStore(request, r)) {
      HttpHeaders endToEnd = r.headers().copy();
      HopByHop.strip(endToEnd);
      writer = cache.store(fill, request, r, endToEnd, startMillis, now);
    }
    if (writer == null) {
      // Not a response the cache takes: the stale copy, unless a 304 dropped it, stays until a
      // client revalidates it.
      finish(ctx);
      fill.notStored();
    }
  }

  private void content(ChannelHandlerContext ctx, HttpContent c) {
    if (!writer.write(c.content())) {
      fail(null);
      ctx.close();
      return;
    }
    if (c instanceof LastHttpContent) {
      writer = null;
      finish(ctx);
      fill.complete();
    } else {
      fill.advanced();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (!over) {
      ctx.read();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    fail(null);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(cause);
    ctx.close();
  }

  private void finish(ChannelHandlerContext ctx) {
    over = true;
    ctx.close();
  }

  private void fail(Throwable cause) {
    if (over) {
      return;
    }
    over = true;
    if (writer != null) {
      writer.abort();
      writer = null;
    }
    fill.failed();
    log.debug(
        "background revalidation of {} failed: {}",
        fill.url(),
        cause == null ? "connection closed" : cause.toString());
  }
}
