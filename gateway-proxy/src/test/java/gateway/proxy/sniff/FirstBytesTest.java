package gateway.proxy.sniff;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.proxy.sniff.FirstBytes.Kind;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What protocol a client speaks, from its first bytes: one row per prefix ({@code \xNN} is one
 * byte), with the rule it comes from.
 */
class FirstBytesTest {

  @ParameterizedTest(name = "[{0}] -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      # nothing sent yet
      ''                         | NEED_MORE
      # RFC 8446 5.1: content type handshake(22), legacy_record_version 3.0 (SSL 3.0) .. 3.4
      '\\x16\\x03\\x00'          | TLS
      '\\x16\\x03\\x01'          | TLS
      '\\x16\\x03\\x03\\x02\\x00'| TLS
      '\\x16\\x03\\x04'          | TLS
      '\\x16'                    | NEED_MORE
      '\\x16\\x03'               | NEED_MORE
      '\\x16\\x03\\x05'          | OTHER
      '\\x16\\x02\\x00'          | OTHER
      '\\x16G'                   | OTHER
      # other record types first are not a hello: alert(21), application_data(23)
      '\\x15\\x03\\x03'          | OTHER
      '\\x17\\x03\\x03'          | OTHER
      # an SSLv2-style hello (two-byte length with the high bit set)
      '\\x80\\x2e\\x01\\x03\\x01'| OTHER
      # RFC 9112 3: method SP request-target SP HTTP-version, decided at the SP after the method
      'GET '                     | HTTP
      'GET / HTTP/1.1\\r\\n'     | HTTP
      'HEAD /'                   | HTTP
      'POST /form HTTP/1.0'      | HTTP
      'PUT /x'                   | HTTP
      'DELETE /x'                | HTTP
      'OPTIONS * HTTP/1.1'       | HTTP
      'TRACE /'                  | HTTP
      'CONNECT example.org:443 ' | HTTP
      # RFC 5789 PATCH, the caches' PURGE, RFC 4918 9 WebDAV
      'PATCH /x'                 | HTTP
      'PURGE /x'                 | HTTP
      'PROPFIND /dav/'           | HTTP
      'PROPPATCH /dav/'          | HTTP
      'MKCOL /dav/'              | HTTP
      'COPY /dav/'               | HTTP
      'MOVE /dav/'               | HTTP
      'LOCK /dav/'               | HTTP
      'UNLOCK /dav/'             | HTTP
      # the target is the HTTP path's business: absolute-form is HTTP here and a 400 later
      'GET http://example.org/ ' | HTTP
      # a proper prefix of a method plus SP is not decided yet
      'G'                        | NEED_MORE
      'GE'                       | NEED_MORE
      'GET'                      | NEED_MORE
      'P'                        | NEED_MORE
      'PRO'                      | NEED_MORE
      'PROPPATC'                 | NEED_MORE
      'OPTIONS'                  | NEED_MORE
      # decided at the first byte that no method allows
      'GET/'                     | OTHER
      'GETS '                    | OTHER
      'GX'                       | OTHER
      'X'                        | OTHER
      # RFC 9110 9.1: the method token is case-sensitive
      'get / HTTP/1.1'           | OTHER
      'Get '                     | OTHER
      # a leading empty line is not a request line here (RFC 9112 2.2 lets a server skip it)
      '\\r\\nGET /'              | OTHER
      # HTTP/2 with prior knowledge: not HTTP/1.x, relayed as it is
      'PRI * HTTP/2.0\\r\\n'     | OTHER
      'PRI'                      | OTHER
      # server-first and binary protocols a client may send first
      'SSH-2.0-OpenSSH_9.2\\r\\n'| OTHER
      'EHLO client.example\\r\\n'| OTHER
      '\\x00\\x00\\x00\\x08'     | OTHER
      """)
  void classifies(String prefix, Kind kind) {
    byte[] bytes = bytes(prefix);

    assertThat(FirstBytes.classify(bytes, bytes.length)).isEqualTo(kind);
  }

  @Test
  void looksOnlyAtTheFirstLengthBytes() {
    byte[] bytes = bytes("GET / HTTP/1.1");

    assertThat(FirstBytes.classify(bytes, 2)).isEqualTo(Kind.NEED_MORE);
    assertThat(FirstBytes.classify(bytes, 4)).isEqualTo(Kind.HTTP);
  }

  @Test
  void everyMethodIsDecidedWithinItsLengthPlusTheSpace() {
    byte[] longest = bytes("PROPPATCH ");

    assertThat(FirstBytes.LONGEST).isEqualTo(longest.length);
    for (int n = 1; n < longest.length; n++) {
      assertThat(FirstBytes.classify(longest, n)).as("%d bytes", n).isEqualTo(Kind.NEED_MORE);
    }
    assertThat(FirstBytes.classify(longest, longest.length)).isEqualTo(Kind.HTTP);
  }

  /** The row's text with each {@code \xNN}, {@code \r} and {@code \n} made one byte. */
  static byte[] bytes(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && text.charAt(i + 1) == 'x') {
        out.write(Integer.parseInt(text.substring(i + 2, i + 4), 16));
        i += 3;
      } else if (c == '\\') {
        out.write(text.charAt(i + 1) == 'r' ? '\r' : '\n');
        i++;
      } else {
        out.write(c);
      }
    }
    return out.toByteArray();
  }
}
