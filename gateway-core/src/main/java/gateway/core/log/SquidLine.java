package gateway.core.log;

/**
 * Formats an {@link AccessRecord} as one line of Squid's native access-log format, version 2:
 *
 * <pre>
 * %ts.%03tu %6tr %>a %Ss/%03>Hs %<st %rm %ru %[un %Sh/%<a %mt [rule]
 * 1764178488.123     12 192.168.88.10 TCP_MISS/200 5120 GET http://example.org/ - HIER_DIRECT/isp1 text/html
 * 1764178488.150      0 192.168.88.10 TCP_DENIED/403 1432 GET http://v.example/ - HIER_NONE/- text/html no-video
 * </pre>
 *
 * Version 2 adds one field after the content type on the lines of requests an access rule or a
 * limit denied or redirected: the rule's name ({@code limits.client-connections} for the connection
 * limit). Squid-format analysers read the first ten fields and ignore what follows; other lines are
 * as in version 1.
 *
 * <p>The peer after the hierarchy code is the uplink's name (DESIGN.md, "Access log"): {@code
 * HIER_DIRECT/isp1} when an uplink carried the request, {@code HIER_NONE/-} when none did (hits,
 * denials, error pages). Fields never contain spaces: any whitespace inside a URL or content type
 * is percent-encoded.
 */
public final class SquidLine {
  private SquidLine() {}

  public static String format(AccessRecord r) {
    StringBuilder b = new StringBuilder(160);
    long seconds = r.startMillis() / 1000;
    long millis = r.startMillis() % 1000;
    b.append(seconds).append('.');
    if (millis < 100) {
      b.append('0');
    }
    if (millis < 10) {
      b.append('0');
    }
    b.append(millis).append(' ');
    String elapsed = Long.toString(r.elapsedMillis());
    for (int i = elapsed.length(); i < 6; i++) {
      b.append(' ');
    }
    b.append(elapsed).append(' ');
    b.append(r.client()).append(' ');
    b.append(r.action().name()).append('/');
    int status = r.status();
    if (status < 100) {
      b.append('0');
    }
    if (status < 10) {
      b.append('0');
    }
    b.append(status).append(' ');
    b.append(r.bytes()).append(' ');
    b.append(field(r.method())).append(' ');
    b.append(field(r.url())).append(' ');
    b.append("- ");
    if (r.uplink() == null) {
      b.append("HIER_NONE/-");
    } else {
      b.append("HIER_DIRECT/").append(field(r.uplink()));
    }
    b.append(' ')
        .append(
            r.contentType() == null || r.contentType().isEmpty() ? "-" : field(r.contentType()));
    if (r.rule() != null) {
      b.append(' ').append(field(r.rule()));
    }
    return b.toString();
  }

  private static String field(String s) {
    if (s == null || s.isEmpty()) {
      return "-";
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= ' ' || c == 0x7f) {
        return escape(s);
      }
    }
    return s;
  }

  private static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= ' ' || c == 0x7f) {
        b.append('%')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
