package gateway.proxy.origin;

import gateway.proxy.ProxyContext;
import gateway.proxy.access.AccessRules;
import gateway.proxy.exchange.Exchange;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Access rules on the response (content types, a largest size), checked when a plain HTTP response
 * head comes: what is knowable then is its Content-Type and its Content-Length (a response without
 * a length is never too large). The decision is {@link AccessRules#decideAtResponse}'s; this only
 * asks.
 */
final class ResponseRules {
  private ResponseRules() {}

  /**
   * Whether a response rule denies {@code response} to the exchange's request; if so the exchange
   * is named after the rule.
   */
  static boolean refuse(
      ProxyContext proxy, Exchange ex, InetAddress client, HttpResponse response) {
    if (!proxy.access().hasResponseRules()) {
      return false;
    }
    AccessRules.Request request =
        new AccessRules.Request(
            client,
            ex.request.method().name(),
            ex.target.host(),
            ex.target.port(),
            false,
            ex.target.logUrl(false));
    Optional<AccessRules.Deny> deny =
        proxy
            .policies()
            .decideAtResponse(
                request,
                new AccessRules.Response(
                    response.headers().get(HttpHeaderNames.CONTENT_TYPE),
                    HttpUtil.getContentLength(response, -1L)),
                proxy.localTime(ex.startMillis));
    deny.ifPresent(d -> ex.rule = d.rule());
    return deny.isPresent();
  }

  /** The response in a few words, for the page: its type and size as far as known. */
  static String what(HttpResponse response) {
    String type = response.headers().get(HttpHeaderNames.CONTENT_TYPE);
    long length = HttpUtil.getContentLength(response, -1L);
    return (type == null ? "a response" : type) + (length >= 0 ? " of " + length + " bytes" : "");
  }
}
