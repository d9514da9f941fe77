package gateway.proxy.message;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The transfer codings a message lists in its Transfer-Encoding fields (RFC 9112 6.1), in the order
 * they were applied. The gateway implements chunked alone: it removes chunked on receipt and
 * applies it again for the next hop, which it can do only when nothing else was applied under it.
 */
public final class TransferCodings {
  private TransferCodings() {}

  /** The codings, lower case; empty list elements are skipped (RFC 9110 5.6.1). */
  public static List<String> of(HttpHeaders headers) {
    List<String> codings = new ArrayList<>();
    for (String value : headers.getAll(HttpHeaderNames.TRANSFER_ENCODING)) {
      for (String element : value.split(",")) {
        String coding = element.trim().toLowerCase(Locale.ROOT);
        if (!coding.isEmpty()) {
          codings.add(coding);
        }
      }
    }
    return codings;
  }

  /**
   * The codings other than chunked, joined by ", ", or null when there are none: what the gateway
   * would drop without a trace (or hand on as if it were the content) were it to forward the
   * message.
   */
  public static String unsupported(HttpHeaders headers) {
    List<String> others = new ArrayList<>();
    for (String coding : of(headers)) {
      if (!coding.equals("chunked")) {
        others.add(coding);
      }
    }
    return others.isEmpty() ? null : String.join(", ", others);
  }
}
