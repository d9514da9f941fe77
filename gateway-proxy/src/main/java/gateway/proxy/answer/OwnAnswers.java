package gateway.proxy.answer;

import gateway.core.log.CacheAction;
import gateway.core.metrics.Refusal;
import gateway.proxy.ProxyContext;
import gateway.proxy.cache.policy.CacheKey;
import gateway.proxy.exchange.ClientSide;
import gateway.proxy.exchange.Exchange;
import gateway.proxy.message.RequestTarget;
import gateway.proxy.message.ResponseHeads;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answers the gateway gives itself, one client connection's worth: error pages (a refusal, an
 * origin that failed), the PAC file and PURGE. Each is logged in one access-log line, a refusal is
 * counted by its {@link Refusal}, and the connection then goes on to the next request or closes.
 */
public final class OwnAnswers {
  private static final Logger log = LoggerFactory.getLogger(OwnAnswers.class);

  private final ProxyContext proxy;
  private final ClientSide client;

  public OwnAnswers(ProxyContext proxy, ClientSide client) {
    this.proxy = proxy;
    this.client = client;
  }

  /**
   * An answer of the gateway's own to a request no exchange was made for (refused at its head);
   * {@code target} may be null (not known), {@code rule} names the access rule or limit behind it,
   * {@code refusal} says why, null when it is no refusal.
   */
  public void refuse(
      HttpRequest req,
      RequestTarget target,
      long start,
      HttpResponseStatus status,
      String why,
      CacheAction action,
      boolean keepAlive,
      String rule,
      String location,
      Refusal refusal) {
    RequestTarget t = target != null ? target : new RequestTarget("-", 0, "");
    Exchange ex = new Exchange(req, t, start, keepAlive);
    ex.requestDone = !hasBody(req);
    ex.rule = rule;
    reply(ex, status, why, action, keepAlive && ex.requestDone, location, refusal);
  }

  /**
   * The exchange failed before its response started (the origin or the cache could not answer, or
   * the request broke): it ends with an error page, and the connection stays open only when the
   * request was read whole.
   */
  public void error(
      Exchange ex, HttpResponseStatus status, String why, CacheAction action, Refusal refusal) {
    ex.cancelResponseTimer();
    ex.releaseEarlyBody();
    ex.abandonFill();
    client.ended(ex);
    // The request body may be partly unread: only a complete request leaves the connection usable.
    boolean keep = ex.requestDone && ex.clientKeepAlive && !proxy.isDraining();
    reply(ex, status, why, action, keep, null, refusal);
  }

  /** Writes the error page for {@code ex}, logs it, then serves the next request or closes. */
  public void reply(
      Exchange ex,
      HttpResponseStatus status,
      String why,
      CacheAction action,
      boolean keepAlive,
      String location,
      Refusal refusal) {
    keepAlive = keepAlive && !client.lastTaken();
    ChannelHandlerContext ctx = client.context();
    HttpResponse page = ErrorPage.create(ctx.alloc(), status, why, keepAlive);
    if (location != null) {
      page.headers().set(HttpHeaderNames.LOCATION, location);
    }
    ex.status = status.code();
    ex.contentType = page.headers().get(HttpHeaderNames.CONTENT_TYPE);
    ex.bytesSent = ResponseHeads.size(page) + ((HttpContent) page).content().readableBytes();
    if (action == CacheAction.TAG_NONE
        || action == CacheAction.TCP_DENIED
        || action == CacheAction.TCP_REDIRECT) {
      ex.uplink = null;
    }
    if (refusal != null) {
      proxy.refusals().refused(refusal);
    }
    client.log(ex, action, logUrl(ex));
    log.debug(
        "{} {} {}: {} {}",
        client.addressText(),
        ex.request.method(),
        ex.request.uri(),
        status.code(),
        why);
    answered(ctx.writeAndFlush(page), keepAlive, client.closer());
  }

  /**
   * The PAC file, answered here (see {@link PacRequest}); logged TAG_NONE/200 without an uplink.
   */
  public void pac(HttpRequest req, long now) {
    ChannelHandlerContext ctx = client.context();
    InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
    boolean keep = HttpUtil.isKeepAlive(req) && !hasBody(req) && !proxy.isDraining();
    Exchange ex =
        new Exchange(
            req,
            new RequestTarget(local.getAddress().getHostAddress(), local.getPort(), req.uri()),
            now,
            keep);
    ex.requestDone = !hasBody(req);
    HttpResponse pac = PacRequest.response(req, proxy, local, ctx.alloc());
    HttpUtil.setKeepAlive(pac, keep);
    ex.status = 200;
    ex.contentType = pac.headers().get(HttpHeaderNames.CONTENT_TYPE);
    ex.bytesSent = ResponseHeads.size(pac) + ((HttpContent) pac).content().readableBytes();
    client.log(ex, CacheAction.TAG_NONE);
    answered(ctx.writeAndFlush(pac), keep, ChannelFutureListener.CLOSE);
  }

  /** {@code PURGE url} from an admin's address: removes the URL from the cache. */
  public void purge(Exchange ex) {
    ex.requestDone = !ex.requestHasBody;
    boolean keep = ex.clientKeepAlive && ex.requestDone;
    String url = CacheKey.of(ex.target.host(), ex.target.port(), ex.target.path());
    boolean removed = proxy.cache() != null && proxy.cache().purge(url);
    reply(
        ex,
        removed ? HttpResponseStatus.OK : HttpResponseStatus.NOT_FOUND,
        removed ? url + " was removed from the cache" : url + " is not in the cache",
        CacheAction.TAG_NONE,
        keep,
        null,
        null);
  }

  private void answered(ChannelFuture written, boolean keepAlive, ChannelFutureListener how) {
    if (!keepAlive) {
      client.closeAfter(written, how);
      return;
    }
    client.nextRequest();
  }

  private static String logUrl(Exchange ex) {
    if (ex.target.port() == 0) {
      return ex.request.uri();
    }
    return ex.target.logUrl(ex.request.method().equals(HttpMethod.CONNECT));
  }

  /** Whether the request has a body, by its framing. */
  public static boolean hasBody(HttpRequest req) {
    return HttpUtil.isTransferEncodingChunked(req) || HttpUtil.getContentLength(req, 0L) > 0;
  }
}
