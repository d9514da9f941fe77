package gateway.proxy.sniff;

import gateway.proxy.sniff.Cursor.Malformed;

/**
 * A server_name's host_name as a DNS host name (RFC 6066 3, RFC 1123 2.1): 1..255 bytes, labels of
 * 1..63 letters, digits and hyphens joined by dots, one trailing dot allowed; lower-cased, the
 * trailing dot dropped.
 */
final class HostName {
  private static final int MAX_NAME = 255;
  private static final int MAX_LABEL = 63;

  private HostName() {}

  static String of(Cursor name) throws Malformed {
    int n = name.remaining();
    if (n == 0 || n > MAX_NAME) {
      throw new Malformed("host_name of " + n + " bytes (1..255)");
    }
    if (name.peek(n - 1) == '.') {
      n--;
    }
    StringBuilder host = new StringBuilder(n);
    int label = 0;
    for (int i = 0; i < n; i++) {
      char c = (char) (name.peek(i) & 0xff);
      if (c == '.') {
        if (label == 0) {
          throw new Malformed("host_name with an empty label");
        }
        label = 0;
        host.append(c);
        continue;
      }
      if (!letterDigitHyphen(c)) {
        throw new Malformed("host_name with the byte 0x" + Integer.toHexString(c));
      }
      if (++label > MAX_LABEL) {
        throw new Malformed("host_name with a label over 63 bytes");
      }
      host.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
    }
    if (label == 0) {
      throw new Malformed("host_name with an empty label");
    }
    return host.toString();
  }

  private static boolean letterDigitHyphen(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  }
}
