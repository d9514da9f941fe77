package gateway.proxy.cache.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * An entity tag (RFC 9110 8.8.3) and its two comparisons (8.8.3.2). Lenient: an unquoted tag, which
 * some servers send, is read as its text.
 *
 * @param opaque the tag without quotes and without {@code W/}
 */
record EntityTag(boolean weak, String opaque) {

  /** The tag in {@code value} (a field such as ETag), or null when there is none. */
  static EntityTag parse(String value) {
    if (value == null) {
      return null;
    }
    List<EntityTag> tags = parseList(value);
    return tags.isEmpty() ? null : tags.get(0);
  }

  /**
   * The tags of a list such as If-None-Match; {@code *} is returned as a tag whose opaque part is
   * {@code *} and is not quoted. Commas inside quotes do not split (etagc allows them).
   */
  static List<EntityTag> parseList(String value) {
    List<EntityTag> tags = new ArrayList<>();
    int n = value.length();
    int i = 0;
    while (i < n) {
      char c = value.charAt(i);
      if (c == ',' || c == ' ' || c == '\t') {
        i++;
        continue;
      }
      boolean weak = value.startsWith("W/", i) || value.startsWith("w/", i);
      if (weak) {
        i += 2;
      }
      int start;
      int end;
      if (i < n && value.charAt(i) == '"') {
        start = i + 1;
        end = value.indexOf('"', start);
        end = end < 0 ? n : end;
        i = end + 1;
        while (i < n && value.charAt(i) != ',') {
          i++;
        }
      } else {
        start = i;
        while (i < n && value.charAt(i) != ',') {
          i++;
        }
        end = i;
      }
      String opaque = value.substring(start, end).trim();
      if (!opaque.isEmpty() || weak) {
        tags.add(new EntityTag(weak, opaque));
      }
    }
    return tags;
  }

  boolean isAny() {
    return !weak && opaque.equals("*");
  }

  /** RFC 9110 8.8.3.2: both strong and identical. */
  boolean strongMatch(EntityTag other) {
    return !weak && !other.weak && opaque.equals(other.opaque);
  }

  /** RFC 9110 8.8.3.2: identical ignoring weakness. */
  boolean weakMatch(EntityTag other) {
    return opaque.equals(other.opaque);
  }
}
