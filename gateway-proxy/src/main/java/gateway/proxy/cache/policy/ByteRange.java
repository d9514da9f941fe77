package gateway.proxy.cache.policy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Arrays;
import java.util.List;

/**
 * How to answer a {@code Range} request from a stored 200 of known length (RFC 9110 14): one
 * satisfiable byte range (206), an unsatisfiable one (416), or the whole response (200).
 *
 * <p>We serve single ranges only. The whole response is sent, as RFC 9110 14.2 allows a server to
 * ignore Range, for: several ranges, units other than bytes, syntax errors, a method other than
 * GET, a stored status other than 200, an If-Range that does not match, and a suffix range of an
 * empty representation (nothing to send in a 206).
 */
public sealed interface ByteRange {

  /** Send the whole stored response with its status (200). */
  record Whole() implements ByteRange {}

  /**
   * Send 206 with bytes {@code first..last} (inclusive) of a representation {@code length} long.
   */
  record Satisfiable(long first, long last, long length) implements ByteRange {
    /** RFC 9110 14.4: {@code bytes first-last/length}. */
    public String contentRange() {
      return "bytes " + first + "-" + last + "/" + length;
    }

    public long size() {
      return last - first + 1;
    }
  }

  /** Send 416 with {@link #contentRange()} (RFC 9110 15.5.17). */
  record Unsatisfiable(long length) implements ByteRange {
    /** RFC 9110 14.4: {@code bytes *}{@code /length}. */
    public String contentRange() {
      return "bytes */" + length;
    }
  }

  ByteRange WHOLE = new Whole();

  /**
   * The range to send for {@code request} from {@code stored}, whose body is {@code length} bytes.
   * If-Range (RFC 9110 13.1.5) must match for the range to be used: an entity tag by strong
   * comparison with the stored ETag, a date exactly equal to a strong stored Last-Modified (one at
   * least a second before the stored Date, RFC 9110 8.8.2.2).
   */
  public static ByteRange of(
      HttpMethod method, HttpHeaders request, StoredHead stored, long length) {
    List<String> range = request.getAll(HttpHeaderNames.RANGE);
    if (!HttpMethod.GET.equals(method) || stored.status() != 200 || range.size() != 1) {
      return WHOLE;
    }
    String ifRange = request.get(HttpHeaderNames.IF_RANGE);
    if (ifRange != null && !ifRangeMatches(ifRange.trim(), stored)) {
      return WHOLE;
    }
    return parse(range.get(0), length);
  }

  /** A single {@code bytes=} range against a representation {@code length} bytes long. */
  static ByteRange parse(String range, long length) {
    int equals = range.indexOf('=');
    if (equals < 0 || !range.substring(0, equals).trim().equalsIgnoreCase("bytes")) {
      return WHOLE;
    }
    List<String> specs =
        Arrays.stream(range.substring(equals + 1).split(",", -1))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .toList();
    if (specs.size() != 1) {
      return WHOLE;
    }
    String spec = specs.get(0);
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return WHOLE;
    }
    if (dash == 0) {
      long suffix = digits(spec.substring(1));
      if (suffix < 0) {
        return WHOLE;
      }
      if (suffix == 0) {
        return new Unsatisfiable(length); // RFC 9110 14.1.1: a zero suffix is never satisfiable
      }
      return length == 0
          ? WHOLE
          : new Satisfiable(Math.max(0, length - suffix), length - 1, length);
    }
    long first = digits(spec.substring(0, dash));
    String lastText = spec.substring(dash + 1);
    long last = lastText.isEmpty() ? Long.MAX_VALUE : digits(lastText);
    if (first < 0 || last < 0 || last < first) {
      return WHOLE; // RFC 9110 14.1.1: invalid; 14.2 lets us ignore it
    }
    if (first >= length) {
      return new Unsatisfiable(length);
    }
    return new Satisfiable(first, Math.min(last, length - 1), length);
  }

  /** {@code 1*DIGIT}, saturating at Long.MAX_VALUE; -1 if not digits. */
  private static long digits(String text) {
    String t = text.trim();
    if (t.isEmpty()) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : value * 10 + (c - '0');
    }
    return value;
  }

  private static boolean ifRangeMatches(String ifRange, StoredHead stored) {
    if (ifRange.startsWith("\"") || ifRange.startsWith("W/")) {
      EntityTag tag = EntityTag.parse(ifRange);
      EntityTag storedTag = EntityTag.parse(stored.headers().get(HttpHeaderNames.ETAG));
      return tag != null && storedTag != null && tag.strongMatch(storedTag);
    }
    Long date = HttpDates.parse(ifRange, stored.responseTime());
    Long lastModified =
        HttpDates.parse(stored.headers().get(HttpHeaderNames.LAST_MODIFIED), stored.responseTime());
    return date != null
        && date.equals(lastModified)
        && Freshness.dateValue(stored) - lastModified >= 1000;
  }
}
