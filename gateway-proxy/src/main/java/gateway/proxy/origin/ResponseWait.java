package gateway.proxy.origin;

import gateway.core.log.CacheAction;
import gateway.proxy.ProxyContext;
import gateway.proxy.answer.OwnAnswers;
import gateway.proxy.exchange.ClientSide;
import gateway.proxy.exchange.Exchange;
import gateway.proxy.upstream.AllUplinksDown;
import gateway.proxy.upstream.UpstreamFailure;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The wait for an origin's response on one client connection, and its ends other than a response:
 * the deadline the origin must start its answer within, one more try (through the next uplink) for
 * a request that can be repeated, else a stale copy the rules allow or the error page.
 *
 * <p>Runs on the client's event loop, as {@link OriginLeg} does; nothing here needs a lock.
 */
final class ResponseWait {
  private final ProxyContext proxy;
  private final ClientSide client;
  private final OwnAnswers answers;
  private final CacheSide cache;
  private final OriginLeg origin;
  private ScheduledFuture<?> responseCheck;

  ResponseWait(
      ProxyContext proxy,
      ClientSide client,
      OwnAnswers answers,
      CacheSide cache,
      OriginLeg origin) {
    this.proxy = proxy;
    this.client = client;
    this.answers = answers;
    this.cache = cache;
    this.origin = origin;
  }

  private ChannelHandlerContext ctx() {
    return client.context();
  }

  // ---- the response deadline --------------------------------------------------------------

  /**
   * The origin must start its answer within {@code timeouts.response} of the request's end. One
   * timer per client connection, re-armed for the time left, checks the current exchange's
   * deadline; nothing is scheduled or cancelled per request. Time is the event loop's ticker.
   */
  void armResponseTimer(Exchange ex) {
    long timeout = proxy.config().timeouts().response().toNanos();
    ex.responseDeadline = ctx().executor().ticker().nanoTime() + timeout;
    if (responseCheck == null) {
      responseCheck =
          ctx().executor().schedule(this::checkResponseDeadline, timeout, TimeUnit.NANOSECONDS);
    }
  }

  private void checkResponseDeadline() {
    responseCheck = null;
    Exchange ex = client.current();
    if (ex == null
        || ex.responseStarted
        || ex.responseDeadline == 0
        || !ctx().channel().isActive()) {
      return;
    }
    long left = ex.responseDeadline - ctx().executor().ticker().nanoTime();
    if (left > 0) {
      responseCheck =
          ctx().executor().schedule(this::checkResponseDeadline, left, TimeUnit.NANOSECONDS);
      return;
    }
    OriginLeg.dropUpstream(ex);
    if (cache.servedStaleOnError(ex, false)) {
      return;
    }
    answers.error(
        ex,
        HttpResponseStatus.GATEWAY_TIMEOUT,
        ex.target.hostHeader(80)
            + " did not answer within "
            + proxy.config().timeouts().response().toSeconds()
            + " s",
        CacheAction.TCP_MISS,
        null);
  }

  /** The client connection closed: no deadline is watched any more. */
  void close() {
    if (responseCheck != null) {
      responseCheck.cancel(false);
      responseCheck = null;
    }
  }

  // ---- no response: once more, or the failure answered -------------------------------------

  /** The upstream connection of {@code ex} ended or failed before any of its response went out. */
  void upstreamGone(Exchange ex, Throwable cause) {
    if (!ex.retried
        && !ex.requestHasBody
        && isIdempotent(ex.request.method())
        && !(cause instanceof InvalidResponse)) {
      // Nothing reached the client yet and the request can be repeated: try once more. A kept-alive
      // connection the origin closed as we reused it is retried on a fresh one; a fresh connection
      // that failed is retried through another uplink, if there is one.
      ex.retried = true;
      if (ex.upstreamReused) {
        ex.uplinkUsed = null;
      }
      origin.send(ex);
      return;
    }
    failBeforeResponse(ex, cause);
  }

  void failBeforeResponse(Exchange ex, Throwable cause) {
    OriginLeg.dropUpstream(ex);
    if (cache.servedStaleOnError(ex, cause instanceof AllUplinksDown)) {
      return;
    }
    UpstreamFailure f =
        cause instanceof InvalidResponse
            ? new UpstreamFailure(
                HttpResponseStatus.BAD_GATEWAY,
                ex.target.hostHeader(80) + " sent " + cause.getMessage())
            : UpstreamFailure.of(cause, ex.target.host(), ex.target.hostHeader(80));
    answers.error(ex, f.status(), f.reason(), CacheAction.TCP_MISS, null);
  }

  private static boolean isIdempotent(HttpMethod m) {
    return m.equals(HttpMethod.GET)
        || m.equals(HttpMethod.HEAD)
        || m.equals(HttpMethod.OPTIONS)
        || m.equals(HttpMethod.TRACE)
        || m.equals(HttpMethod.PUT)
        || m.equals(HttpMethod.DELETE);
  }
}
