package gateway.core.net;

import java.util.Locale;

/**
 * A domain in a {@code balance.pin} or an access rule: exact ({@code example.org}) or wildcard
 * ({@code *.example.org}).
 *
 * <p>Decision: a wildcard matches every subdomain at any depth <em>and the bare domain</em>, so
 * {@code *.bank.example} matches {@code bank.example}, {@code www.bank.example} and {@code
 * a.b.bank.example}. A pin exists to keep a site on one uplink; a login that starts on {@code
 * bank.example} and continues on {@code www.bank.example} must not straddle two; a rule that blocks
 * a site blocks all of it. (Squid's {@code .example.org} behaves the same way; nginx's {@code
 * *.example.org} would not match the bare domain.) An exact pattern matches only itself. Matching
 * ignores ASCII case and one trailing dot. IP literals are matched by networks, not here.
 */
public record DomainPattern(String suffix, boolean wildcard) {

  public static DomainPattern parse(String text) {
    String t = normalize(text.trim());
    boolean wildcard = t.startsWith("*.");
    String suffix = wildcard ? t.substring(2) : t;
    if (suffix.isEmpty()
        || suffix.contains("*")
        || suffix.startsWith(".")
        || suffix.contains("..")) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a domain: write example.org or *.example.org");
    }
    return new DomainPattern(suffix, wildcard);
  }

  public boolean matches(String host) {
    String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    int extra = h.length() - suffix.length();
    if (extra == 0) {
      return h.equalsIgnoreCase(suffix);
    }
    return wildcard
        && extra > 1
        && h.charAt(extra - 1) == '.'
        && h.regionMatches(true, extra, suffix, 0, suffix.length());
  }

  private static String normalize(String s) {
    String lower = s.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }

  @Override
  public String toString() {
    return wildcard ? "*." + suffix : suffix;
  }
}
