package gateway.proxy.message;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Removes the fields that belong to one connection only (RFC 9110 7.6.1): Connection and every
 * field it names, and the fields that are hop-by-hop whether named or not. Connection never takes
 * away a {@linkplain #PROTECTED protected} field.
 */
public final class HopByHop {
  private static final List<CharSequence> ALWAYS =
      List.of(
          HttpHeaderNames.CONNECTION,
          HttpHeaderNames.KEEP_ALIVE,
          HttpHeaderNames.PROXY_CONNECTION,
          HttpHeaderNames.PROXY_AUTHORIZATION,
          HttpHeaderNames.TE,
          HttpHeaderNames.TRAILER,
          HttpHeaderNames.TRANSFER_ENCODING,
          HttpHeaderNames.UPGRADE);

  /**
   * What Connection can name without effect on the message's framing or route. Content-Length and
   * Transfer-Encoding frame the message (RFC 9112 6): without them a body written on a kept-alive
   * connection is read as the next message (smuggling); the gateway frames each hop itself and
   * drops Transfer-Encoding by the list above, never by Connection. Host is the target (RFC 9112
   * 3.2), set by the gateway from the request line. Via records the chain of proxies (RFC 9110
   * 7.6.3) and is what the loop guard reads. The rest are the fields the cache stores and decides
   * by (RFC 9111 3-4: storing, freshness, age, validators, variants): RFC 9110 7.6.1 says a field
   * meant for all recipients is never a connection option (naming Cache-Control is its example),
   * and were one of them dropped after the cache decided on the message, the stored copy would say
   * something other than what was decided (a Vary dropped hands one user's variant to all).
   */
  static final Set<AsciiString> PROTECTED =
      Set.of(
          HttpHeaderNames.CONTENT_LENGTH,
          HttpHeaderNames.TRANSFER_ENCODING,
          HttpHeaderNames.HOST,
          HttpHeaderNames.VIA,
          HttpHeaderNames.CACHE_CONTROL,
          HttpHeaderNames.PRAGMA,
          HttpHeaderNames.EXPIRES,
          HttpHeaderNames.AGE,
          HttpHeaderNames.DATE,
          HttpHeaderNames.VARY,
          HttpHeaderNames.ETAG,
          HttpHeaderNames.LAST_MODIFIED,
          HttpHeaderNames.CONTENT_RANGE,
          HttpHeaderNames.CONTENT_LOCATION);

  /** Of those, the ones a request cannot name in Connection at all: its framing and its target. */
  private static final Set<AsciiString> FRAMING_OR_ROUTING =
      Set.of(
          HttpHeaderNames.CONTENT_LENGTH, HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.HOST);

  private HopByHop() {}

  public static void strip(HttpHeaders headers) {
    for (String name : connectionOptions(headers)) {
      if (!PROTECTED.contains(AsciiString.of(name).toLowerCase())) {
        headers.remove(name);
      }
    }
    for (CharSequence name : ALWAYS) {
      headers.remove(name);
    }
  }

  /**
   * The first field Connection names (as written) that frames the message or names its target
   * (Content-Length, Transfer-Encoding, Host), or null: a request naming one is an attempt to take
   * its body's framing or its route away on the next hop.
   */
  public static String namedFramingOrRouting(HttpHeaders headers) {
    for (String name : connectionOptions(headers)) {
      if (FRAMING_OR_ROUTING.contains(AsciiString.of(name).toLowerCase())) {
        return name;
      }
    }
    return null;
  }

  /** The options of every Connection field, one list (RFC 9110 5.3, 7.6.1). */
  private static List<String> connectionOptions(HttpHeaders headers) {
    List<String> named = new ArrayList<>();
    for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
      for (String token : value.split(",")) {
        String t = token.trim();
        if (!t.isEmpty()) {
          named.add(t);
        }
      }
    }
    return named;
  }
}
