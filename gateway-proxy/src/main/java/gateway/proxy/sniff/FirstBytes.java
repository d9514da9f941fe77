package gateway.proxy.sniff;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What protocol a client speaks, from the first bytes it sent, decided as soon as the bytes allow.
 *
 * <ul>
 *   <li>{@link Kind#TLS}: a TLS handshake record header, {@code 0x16 0x03 0x00..0x04} (RFC 8446
 *       5.1: content type handshake(22), legacy_record_version SSL 3.0 to TLS 1.3).
 *   <li>{@link Kind#HTTP}: an HTTP/1.x request line's start, a known method token followed by SP
 *       (RFC 9112 3: {@code method SP request-target SP HTTP-version}). Methods are case-sensitive
 *       (RFC 9110 9.1): {@code get /} is not HTTP. The target is not looked at: {@code GET
 *       http://...} is HTTP here and the HTTP path answers it.
 *   <li>{@link Kind#NEED_MORE}: the bytes so far are a proper prefix of one of the above (nothing
 *       sent yet, {@code 0x16 0x03}, {@code GE}, {@code OPTIONS}).
 *   <li>{@link Kind#OTHER}: everything else, e.g. an SSH banner, an SSLv2-style hello, HTTP/2's
 *       prior-knowledge preface ({@code PRI * HTTP/2.0}: not HTTP/1.x, so relayed as it is).
 * </ul>
 */
public final class FirstBytes {
  /** The verdict on a prefix of the client's stream. */
  public enum Kind {
    HTTP,
    TLS,
    OTHER,
    NEED_MORE
  }

  /**
   * The methods of RFC 9110 9.3, PATCH (RFC 5789), the WebDAV methods (RFC 4918 9) and PURGE (the
   * caches' own), each with the SP that ends it in a request line.
   */
  private static final List<String> METHODS =
      Arrays.stream(
              ("GET HEAD POST PUT DELETE CONNECT OPTIONS TRACE PATCH PURGE"
                      + " PROPFIND PROPPATCH MKCOL COPY MOVE LOCK UNLOCK")
                  .split(" "))
          .map(m -> m + " ")
          .toList();

  /** The longest method plus its SP: an HTTP verdict never needs more bytes than this. */
  static final int LONGEST = METHODS.stream().mapToInt(String::length).max().orElseThrow();

  private static final int HANDSHAKE = 0x16;

  private FirstBytes() {}

  /**
   * What protocol a client speaks, from the first {@code length} bytes of {@code prefix} (a prefix
   * of its stream; bytes beyond {@code length} are not looked at).
   */
  public static Kind classify(byte[] prefix, int length) {
    Objects.checkFromIndexSize(0, length, prefix.length);
    if (length == 0) {
      return Kind.NEED_MORE;
    }
    if ((prefix[0] & 0xff) == HANDSHAKE) {
      return tls(prefix, length);
    }
    return http(prefix, length);
  }

  private static Kind tls(byte[] prefix, int length) {
    if (length < 2) {
      return Kind.NEED_MORE;
    }
    if (prefix[1] != 0x03) {
      return Kind.OTHER;
    }
    if (length < 3) {
      return Kind.NEED_MORE;
    }
    return (prefix[2] & 0xff) <= 0x04 ? Kind.TLS : Kind.OTHER;
  }

  private static Kind http(byte[] prefix, int length) {
    boolean couldBe = false;
    for (String method : METHODS) {
      int n = Math.min(length, method.length());
      if (startsWith(prefix, method, n)) {
        if (n == method.length()) {
          return Kind.HTTP;
        }
        couldBe = true;
      }
    }
    return couldBe ? Kind.NEED_MORE : Kind.OTHER;
  }

  private static boolean startsWith(byte[] prefix, String method, int n) {
    for (int i = 0; i < n; i++) {
      if (prefix[i] != method.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
