package gateway.proxy.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Whether a request head may be forwarded: one row per rule, with the RFC clause it comes from. */
class RequestCheckTest {
  static final int MAX_HEADERS = 10;

  @ParameterizedTest(name = "{0} {1} {2} [{3}]")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      # request-line version | method | target | header fields (;-separated) | status | reason | close after
      # RFC 9112 3.2: an HTTP/1.1 request without Host is answered with 400
      HTTP/1.1 | GET     | http://example.org/  |                                       | 400 | without a Host header   | false
      # RFC 9110 7.2 / RFC 9112 3.2: more than one Host field is a 400
      HTTP/1.1 | GET     | http://example.org/  | Host: a;Host: b                       | 400 | more than one Host      | false
      # RFC 9112 3.2.1: a proxy needs absolute-form
      HTTP/1.1 | GET     | /origin/form         | Host: example.org                     | 400 | not an absolute http:// | false
      HTTP/1.1 | GET     | https://example.org/ | Host: example.org                     | 400 | through CONNECT         | false
      # RFC 9112 3.2.3: CONNECT takes authority-form with a port
      HTTP/1.1 | CONNECT | example.org          | Host: example.org                     | 400 | a port is required      | false
      # RFC 9112 6.3: the final transfer coding of a request must be chunked, or the body cannot be found
      HTTP/1.1 | POST    | http://example.org/  | Host: e;Transfer-Encoding: gzip       | 400 | must end with chunked   | true
      HTTP/1.1 | POST    | http://example.org/  | Host: e;Transfer-Encoding: chunked, gzip | 400 | must end with chunked | true
      # RFC 9112 6.1 / RFC 9110 15.6.2: a coding the gateway cannot undo is 501, never silently dropped
      HTTP/1.1 | POST    | http://example.org/  | Host: e;Transfer-Encoding: gzip, chunked | 501 | Transfer-Encoding gzip is not implemented | false
      HTTP/1.1 | POST    | http://example.org/  | Host: e;Transfer-Encoding: gzip;Transfer-Encoding: chunked | 501 | Transfer-Encoding gzip is not implemented | false
      # RFC 9110 7.6.1: Connection cannot take away the body's framing or the target
      HTTP/1.1 | POST    | http://example.org/  | Host: e;Connection: keep-alive, Content-Length;Content-Length: 1 | 400 | Connection names Content-Length | false
      HTTP/1.1 | POST    | http://example.org/  | Host: e;Connection: transfer-encoding;Transfer-Encoding: chunked | 400 | Connection names transfer-encoding | false
      HTTP/1.1 | GET     | http://example.org/  | Host: e;Connection: Host               | 400 | Connection names Host   | false
      # RFC 9112 6.1: Transfer-Encoding in an HTTP/1.0 message means broken framing
      HTTP/1.0 | POST    | http://example.org/  | Transfer-Encoding: chunked            | 400 | not allowed in an HTTP/1.0 | true
      # RFC 9110 6.2 / 15.6.6: only HTTP/1.x is spoken here
      HTTP/2.0 | GET     | http://example.org/  | Host: example.org                     | 505 | not supported           | true
      # RFC 9112 2.3: HTTP/0.9 had no version in its request line; one below 1.0 is a bad request
      HTTP/0.9 | GET     | http://example.org/  | Host: example.org                     | 400 | below HTTP/1.0          | true
      HTTP/0.5 | GET     | http://example.org/  | Host: example.org                     | 400 | below HTTP/1.0          | true
      # the configured limit on header fields (RFC 6585 5: 431)
      HTTP/1.1 | GET     | http://example.org/  | Host: e;A: 1;B: 1;C: 1;D: 1;E: 1;F: 1;G: 1;H: 1;I: 1;J: 1 | 431 | 11 header fields; at most 10 | true
      """)
  void rejected(
      String version,
      String method,
      String uri,
      String fields,
      int status,
      String reason,
      boolean framingBroken) {
    RequestCheck.Verdict v = RequestCheck.check(request(version, method, uri, fields), MAX_HEADERS);

    assertThat(v)
        .isInstanceOfSatisfying(
            RequestCheck.Reject.class,
            r -> {
              assertThat(r.status().code()).isEqualTo(status);
              assertThat(r.reason()).contains(reason);
              assertThat(r.framingBroken()).isEqualTo(framingBroken);
            });
  }

  @ParameterizedTest(name = "{0} {1} {2} [{3}]")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      HTTP/1.1 | GET     | http://example.org/a    | Host: example.org                     | example.org | 80  | false
      # RFC 9112 3.2.2: the target's authority wins; a disagreeing Host does not make the request invalid
      HTTP/1.1 | GET     | http://example.org:81/a | Host: elsewhere                       | example.org | 81  | false
      # RFC 9112 3.2: HTTP/1.0 requests need no Host
      HTTP/1.0 | GET     | http://example.org/     |                                       | example.org | 80  | false
      HTTP/1.1 | POST    | http://example.org/     | Host: e;Transfer-Encoding: chunked    | example.org | 80  | false
      # RFC 9110 7.6.1: other connection options are this hop's business (HopByHop drops them)
      HTTP/1.1 | POST    | http://example.org/     | Host: e;Connection: keep-alive, X-A, Upgrade;Content-Length: 1 | example.org | 80 | false
      HTTP/1.1 | CONNECT | example.org:443         | Host: example.org:443                 | example.org | 443 | true
      # exactly at the header-field limit
      HTTP/1.1 | GET     | http://example.org/     | Host: e;A: 1;B: 1;C: 1;D: 1;E: 1;F: 1;G: 1;H: 1;I: 1 | example.org | 80 | false
      """)
  void forwarded(
      String version,
      String method,
      String uri,
      String fields,
      String host,
      int port,
      boolean connect) {
    RequestCheck.Verdict v = RequestCheck.check(request(version, method, uri, fields), MAX_HEADERS);

    assertThat(v)
        .isInstanceOfSatisfying(
            RequestCheck.Forward.class,
            f -> {
              assertThat(f.target().host()).isEqualTo(host);
              assertThat(f.target().port()).isEqualTo(port);
              assertThat(f.connect()).isEqualTo(connect);
            });
  }

  @Test
  void tooLongRequestLineIs414() {
    // RFC 9112 3: a server answers a request line longer than it handles with 414.
    RequestCheck.Reject r =
        decoderFailed(new TooLongHttpLineException("An HTTP line is larger than 8192 bytes."));
    assertThat(r.status().code()).isEqualTo(414);
    assertThat(r.framingBroken()).isTrue();
  }

  @Test
  void tooLargeHeaderBlockIs431() {
    // RFC 6585 5: 431 Request Header Fields Too Large.
    RequestCheck.Reject r =
        decoderFailed(new TooLongHttpHeaderException("HTTP header is larger than 65536 bytes."));
    assertThat(r.status().code()).isEqualTo(431);
    assertThat(r.framingBroken()).isTrue();
  }

  @Test
  void otherOversizedPartIs400() {
    RequestCheck.Reject r = decoderFailed(new TooLongFrameException("too long"));
    assertThat(r.status().code()).isEqualTo(400);
  }

  @Test
  void contentLengthWithTransferEncodingIsConflictingFraming() {
    // RFC 9112 6.3: a request with both may be an attempt at request smuggling; reject and close.
    RequestCheck.Reject r =
        decoderFailed(
            new IllegalArgumentException(
                "Content-Length and Transfer-Encoding: chunked must not be present together"));
    assertThat(r.status().code()).isEqualTo(400);
    assertThat(r.reason()).startsWith("conflicting message framing");
    assertThat(r.framingBroken()).isTrue();
  }

  @Test
  void aBodyPartTheDecoderCouldNotFrameIsAMalformedChunkedBody() {
    // RFC 9112 7.1: the end of such a body cannot be found; 400, then close.
    RequestCheck.Reject r =
        RequestCheck.bodyFailure(new NumberFormatException("Invalid character in chunk size"));
    assertThat(r.status().code()).isEqualTo(400);
    assertThat(r.reason())
        .isEqualTo(
            "malformed chunked request body (RFC 9112 7.1): Invalid character in chunk size");
    assertThat(r.framingBroken()).isTrue();
  }

  @Test
  void anyOtherDecoderFailureIsAMalformedRequest() {
    RequestCheck.Reject r =
        decoderFailed(new IllegalArgumentException("invalid version format: HTTX/1.1"));
    assertThat(r.status().code()).isEqualTo(400);
    assertThat(r.reason()).isEqualTo("malformed request: invalid version format: HTTX/1.1");
    assertThat(r.framingBroken()).isTrue();
  }

  private static RequestCheck.Reject decoderFailed(Throwable cause) {
    HttpRequest req = request("HTTP/1.1", "GET", "/bad-request", "");
    req.setDecoderResult(DecoderResult.failure(cause));
    return (RequestCheck.Reject) RequestCheck.check(req, MAX_HEADERS);
  }

  private static HttpRequest request(String version, String method, String uri, String fields) {
    HttpVersion v =
        version.equals("HTTP/2.0")
            ? new HttpVersion("HTTP", 2, 0, false)
            : HttpVersion.valueOf(version);
    HttpRequest req = new DefaultHttpRequest(v, HttpMethod.valueOf(method), uri);
    if (fields != null && !fields.isEmpty()) {
      for (String f : fields.split(";")) {
        int colon = f.indexOf(':');
        req.headers().add(f.substring(0, colon).trim(), f.substring(colon + 1).trim());
      }
    }
    return req;
  }
}
