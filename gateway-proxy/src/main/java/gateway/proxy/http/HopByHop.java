package gateway.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes the fields that belong to one connection only (RFC 9110 7.6.1): Connection and every field it
 * names, and the fields that are hop-by-hop whether named or not.
 */
public final class HopByHop {
  private static final List<CharSequence> ALWAYS = List.of(
      HttpHeaderNames.CONNECTION,
      HttpHeaderNames.KEEP_ALIVE,
      HttpHeaderNames.PROXY_CONNECTION,
      HttpHeaderNames.PROXY_AUTHORIZATION,
      HttpHeaderNames.TE,
      HttpHeaderNames.TRAILER,
      HttpHeaderNames.TRANSFER_ENCODING,
      HttpHeaderNames.UPGRADE);

  private HopByHop() {}

  public static void strip(HttpHeaders headers) {
    List<String> named = new ArrayList<>();
    for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
      for (String token : value.split(",")) {
        String t = token.trim();
        if (!t.isEmpty()) {
          named.add(t);
        }
      }
    }
    for (String name : named) {
      headers.remove(name);
    }
    for (CharSequence name : ALWAYS) {
      headers.remove(name);
    }
  }
}
