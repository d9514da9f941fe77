package gateway.proxy.origin;

import gateway.proxy.exchange.Exchange;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;

/**
 * What the cache leg does with an origin's response as it passes through the origin leg: the origin
 * leg calls it at each step, and the cache leg stores, refreshes or answers from the cache instead.
 * Every call comes on the client's event loop.
 */
public interface CacheSide {
  /**
   * The origin's final response head for {@code ex}: the cache learns of it (an unsafe method
   * invalidates), stores it or confirms a stored copy. False when the response is not for the
   * client (a 304 confirming the stored copy, which is served instead, or a stale copy served on
   * error).
   */
  boolean head(Exchange ex, HttpResponse r);

  /**
   * That head is out to the client: a body being stored may go on at the store's pace from here.
   */
  void headSent(Exchange ex, HttpResponse r);

  /**
   * A part of the response body. True when the cache leg took it (the end of a 304 it acted on);
   * false when it goes to the client, a copy of it stored on the way.
   */
  boolean content(Exchange ex, HttpContent c);

  /**
   * The upstream connection ended before the response was whole. True when the cache leg answered
   * instead (a 304 complete enough to serve the stored copy).
   */
  boolean upstreamGone(Exchange ex);

  /**
   * The origin gave no fresh response to a revalidation (the upstream connection is already let
   * go): true when a stale copy the rules allow was served instead ({@code disconnected}: every
   * uplink is down).
   */
  boolean servedStaleOnError(Exchange ex, boolean disconnected);
}
