package gateway.proxy.cache.store;

/**
 * Whether a header field read back from a file could have come from a parsed HTTP message: a stored
 * head is emitted to clients as it is read, so a tampered file must not get CR or LF into a
 * response head (a header injected, or a response split).
 */
final class FieldSyntax {
  private FieldSyntax() {}

  /** RFC 9110 5.1: a field name is a token (5.6.2), one or more tchar. */
  static boolean isName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (!isTchar(name.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * RFC 9110 5.5: a field value never holds CR, LF or NUL (a recipient must reject or replace
   * them).
   */
  static boolean isValue(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n' || c == '\0') {
        return false;
      }
    }
    return true;
  }

  /**
   * RFC 9110 5.6.2: "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" /
   * "|" / "~" / DIGIT / ALPHA.
   */
  private static boolean isTchar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }
}
