package gateway.proxy.message;

import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;

/** The trailer fields of a message, which the gateway does not pass on. */
public final class Trailers {
  private Trailers() {}

  /** Trailer fields are dropped (RFC 9110 6.5.1 lets a recipient discard them). */
  public static HttpContent strip(HttpContent c) {
    if (c instanceof LastHttpContent last && !last.trailingHeaders().isEmpty()) {
      return new DefaultLastHttpContent(last.content());
    }
    return c;
  }
}
