package gateway.proxy.cache.policy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Secondary cache keys (RFC 9111 4.1): a response with {@code Vary} is stored under the values its
 * request had for the fields Vary names, and is selected only by requests with the same values.
 */
public final class Vary {

  /** {@code Vary: *}: the response varies on something outside the request and never matches. */
  public static final String ANY = "*";

  private Vary() {}

  /**
   * The field names the response varies on: lower case, sorted, without repeats, from all its
   * {@code Vary} lines; empty when it has none; exactly {@code ["*"]} when any of them is {@code
   * *}.
   */
  public static List<String> names(HttpHeaders response) {
    TreeSet<String> names = new TreeSet<>();
    for (String line : response.getAll(HttpHeaderNames.VARY)) {
      for (String part : line.split(",")) {
        String name = part.trim().toLowerCase(Locale.ROOT);
        if (name.equals(ANY)) {
          return List.of(ANY);
        }
        if (!name.isEmpty()) {
          names.add(name);
        }
      }
    }
    return List.copyOf(names);
  }

  /**
   * The secondary key of {@code request} for a response that varies on {@code names}: {@code ""}
   * when it varies on nothing, else one {@code name=value} line per name, in sorted order, with the
   * request's value normalised as RFC 9111 4.1 allows: all lines of the field combined with commas,
   * whitespace around commas and at the ends removed, runs of whitespace made one space. A field
   * the request lacks is written as its name alone, so that an absent field and an empty one differ
   * (an empty Accept-Encoding means "identity only", an absent one "anything").
   *
   * <p>Values are not lower-cased: only some fields are case-insensitive, and a miss costs less
   * than a wrong hit.
   *
   * @throws IllegalArgumentException for {@code *}, which no request matches (such responses are
   *     not stored: {@link Storability})
   */
  public static String secondaryKey(List<String> names, HttpHeaders request) {
    if (names.isEmpty()) {
      return "";
    }
    StringBuilder key = new StringBuilder();
    for (String name : new TreeSet<>(lowerCase(names))) {
      if (name.equals(ANY)) {
        throw new IllegalArgumentException("Vary: * never matches a request");
      }
      if (key.length() > 0) {
        key.append('\n');
      }
      key.append(name);
      List<String> lines = request.getAll(name);
      if (!lines.isEmpty()) {
        key.append('=').append(normalise(lines));
      }
    }
    return key.toString();
  }

  private static List<String> lowerCase(List<String> names) {
    return names.stream().map(n -> n.trim().toLowerCase(Locale.ROOT)).toList();
  }

  private static String normalise(List<String> lines) {
    StringBuilder value = new StringBuilder();
    for (String line : lines) {
      for (String member : line.split(",", -1)) {
        String m = member.trim().replaceAll("[ \\t]+", " ");
        if (m.isEmpty()) {
          continue; // RFC 9110 5.6.1: empty list elements do not count
        }
        if (value.length() > 0) {
          value.append(',');
        }
        value.append(m);
      }
    }
    return value.toString();
  }
}
