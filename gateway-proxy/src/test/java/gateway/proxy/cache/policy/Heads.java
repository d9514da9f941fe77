package gateway.proxy.cache.policy;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Date;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Heads for tests. Store tests take {@link #ok}, a 200 with a few ordinary headers; policy tables
 * build headers from a line: {@code "Date: @T+0 // Cache-Control: max-age=60"}. Field lines are
 * separated by {@code " // "}; {@code @T+n} / {@code @T-n} is the HTTP-date n seconds from {@link
 * #T0}.
 */
public final class Heads {
  /** Thu, 01 Jan 2026 00:00:00 GMT: the tables' time zero. */
  public static final long T0 = 1_767_225_600_000L;

  private static final Pattern RELATIVE_DATE = Pattern.compile("@T([+-]\\d+)");

  private Heads() {}

  public static HttpHeaders headers(String spec) {
    HttpHeaders headers = new DefaultHttpHeaders();
    if (spec == null || spec.isBlank()) {
      return headers;
    }
    for (String line : spec.split(" // ")) {
      int colon = line.indexOf(':');
      headers.add(line.substring(0, colon).trim(), dates(line.substring(colon + 1).trim()));
    }
    return headers;
  }

  /** Epoch milliseconds {@code seconds} from {@link #T0}. */
  public static long at(long seconds) {
    return T0 + seconds * 1000;
  }

  public static String date(long seconds) {
    return DateFormatter.format(new Date(at(seconds)));
  }

  /** A stored GET response for http://example.org/ fetched between the two times (seconds). */
  public static StoredHead stored(int status, String headers, long requestTime, long responseTime) {
    return new StoredHead(
        "http://example.org/", "", status, headers(headers), at(requestTime), at(responseTime));
  }

  private static String dates(String value) {
    Matcher m = RELATIVE_DATE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, date(Long.parseLong(m.group(1))));
    }
    return m.appendTail(out).toString();
  }

  public static StoredHead ok(String url) {
    return ok(url, "");
  }

  public static StoredHead ok(String url, String variant) {
    HttpHeaders headers = new DefaultHttpHeaders();
    headers.add("Content-Type", "application/octet-stream");
    headers.add("Cache-Control", "max-age=60");
    return new StoredHead(url, variant, 200, headers, 1_700_000_000_000L, 1_700_000_000_250L);
  }

  public static StoredHead varying(String url, String variant, String vary) {
    StoredHead head = ok(url, variant);
    head.headers().add("Vary", vary);
    return head;
  }

  public static StoredHead withHeader(StoredHead head, String name, String value) {
    HttpHeaders headers = head.headers().copy();
    headers.set(name, value);
    return new StoredHead(
        head.url(),
        head.variant(),
        head.status(),
        headers,
        head.requestTime(),
        head.responseTime());
  }
}
