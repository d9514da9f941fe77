package gateway.proxy.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 9110 7.6.1: a proxy removes the fields that belong to one connection only. */
class HopByHopTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      # the fields that are hop-by-hop whether or not Connection names them (RFC 9110 7.6.1)
      Connection: keep-alive                          | Connection
      Keep-Alive: timeout=5                           | Keep-Alive
      Proxy-Connection: keep-alive                    | Proxy-Connection
      Proxy-Authorization: Basic dXNlcjpwYXNz         | Proxy-Authorization
      TE: trailers                                    | TE
      Trailer: Expires                                | Trailer
      Transfer-Encoding: chunked                      | Transfer-Encoding
      Upgrade: websocket                              | Upgrade
      # every field Connection names goes too, in any case and with spaces around the commas
      Connection: close , X-Private;X-Private: 1      | X-Private
      Connection: x-a,X-B;X-A: 1;x-b: 2               | X-A,X-B
      # several Connection fields are one list (RFC 9110 5.3)
      Connection: X-A;Connection: X-B;X-A: 1;X-B: 2   | X-A,X-B
      """)
  void connectionSpecificFieldsAreRemoved(String fields, String removed) {
    HttpHeaders h = headers(fields + ";X-End-To-End: kept");

    HopByHop.strip(h);

    for (String name : removed.split(",")) {
      assertThat(h.contains(name)).as(name).isFalse();
    }
    assertThat(h.contains("Connection")).isFalse();
    assertThat(h.get("X-End-To-End")).isEqualTo("kept");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      Content-Type: text/plain
      Content-Length: 3
      Cache-Control: no-cache
      Authorization: Bearer x
      Via: 1.1 other
      """)
  void endToEndFieldsStay(String field) {
    HttpHeaders h = headers(field);

    HopByHop.strip(h);

    assertThat(h.names()).containsExactly(field.substring(0, field.indexOf(':')));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      # framing (RFC 9112 6): without it a body is read as the next message
      Connection: keep-alive, Content-Length;Content-Length: 5      | Content-Length
      Connection: content-length;Content-Length: 5                  | Content-Length
      # the target (RFC 9112 3.2) and the chain of proxies (RFC 9110 7.6.3)
      Connection: Host;Host: example.org                            | Host
      Connection: Via;Via: 1.1 other                                | Via
      # what the cache decides by: never a connection option (RFC 9110 7.6.1)
      Connection: Cache-Control, Age, Date;Cache-Control: no-store;Age: 3;Date: Mon, 07 Dec 2026 10:00:00 GMT | Cache-Control,Age,Date
      Connection: Vary, ETag, Last-Modified, Expires, Pragma;Vary: Cookie;ETag: "x";Last-Modified: y;Expires: 0;Pragma: no-cache | Vary,ETag,Last-Modified,Expires,Pragma
      """)
  void connectionCannotRemoveAProtectedField(String fields, String kept) {
    HttpHeaders h = headers(fields);

    HopByHop.strip(h);

    for (String name : kept.split(",")) {
      assertThat(h.contains(name)).as(name).isTrue();
    }
    assertThat(h.contains("Connection")).isFalse();
  }

  private static HttpHeaders headers(String semicolonSeparated) {
    HttpHeaders h = new DefaultHttpHeaders();
    List<String> fields = Arrays.asList(semicolonSeparated.split(";"));
    for (String f : fields) {
      int colon = f.indexOf(':');
      h.add(f.substring(0, colon).trim(), f.substring(colon + 1).trim());
    }
    return h;
  }
}
