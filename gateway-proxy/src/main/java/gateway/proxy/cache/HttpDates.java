package gateway.proxy.cache;

import io.netty.handler.codec.DateFormatter;
import java.util.Date;

/** HTTP-date fields (RFC 9110 5.6.7) as epoch milliseconds. */
final class HttpDates {
  private HttpDates() {}

  /**
   * The instant {@code text} names, or null when it is missing or not an HTTP-date (all three formats
   * of RFC 9110 5.6.7 are read, as recipients must).
   */
  static Long parse(String text) {
    if (text == null) {
      return null;
    }
    Date date = DateFormatter.parseHttpDate(text.trim());
    return date == null ? null : date.getTime();
  }

  static String format(long epochMillis) {
    return DateFormatter.format(new Date(epochMillis));
  }
}
