package gateway.proxy.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Where a proxy request goes, read from its request target (RFC 9112 3.2). */
class RequestTargetTest {

  @ParameterizedTest(name = "{0} -> {1} {2} {3}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      # RFC 9112 3.2.2 absolute-form; the port defaults to 80 for http (RFC 9110 4.2.1)
      http://example.org/a/b?x=1     | example.org  | 80   | /a/b?x=1
      http://example.org:8080/p      | example.org  | 8080 | /p
      # RFC 9110 4.2.3: an empty path is normalised to /
      http://example.org             | example.org  | 80   | /
      http://example.org?q=1         | example.org  | 80   | /?q=1
      # RFC 9110 4.2.3: scheme and host are case-insensitive; a trailing dot names the same host
      HTTP://Example.ORG./x          | example.org  | 80   | /x
      # RFC 3986 3.5: the fragment is never sent
      http://example.org/p#frag      | example.org  | 80   | /p
      # RFC 3986 3.2.2: an IPv6 literal in brackets
      http://[2001:db8::1]:81/v6     | 2001:db8::1  | 81   | /v6
      http://127.0.0.1:3128/         | 127.0.0.1    | 3128 | /
      # One spelling per address for rules, the log and the pool (see HostLiteral): leading zeros that
      # octal and decimal read alike, IPv4-mapped IPv6 as IPv4, IPv6 per RFC 5952
      http://127.000.000.002:81/     | 127.0.0.2    | 81   | /
      http://[::ffff:127.0.0.2]/     | 127.0.0.2    | 80   | /
      http://[::FFFF:7F00:2]/        | 127.0.0.2    | 80   | /
      http://[0:0::0]:81/            | ::           | 81   | /
      http://[2001:DB8:0:0::1]/      | 2001:db8::1  | 80   | /
      """)
  void absoluteFormIsSplitIntoHostPortAndOriginForm(String uri, String host, int port, String path)
      throws Exception {
    assertThat(RequestTarget.absolute(uri)).isEqualTo(new RequestTarget(host, port, path));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      # RFC 9112 3.2.1: origin-form is for origin servers; a proxy needs absolute-form
      /just/a/path                    | not an absolute http:// URL
      *                               | not an absolute http:// URL
      # https is tunnelled with CONNECT (RFC 9110 9.3.6), never sent to a proxy in absolute-form
      https://example.org/            | https goes through CONNECT
      ftp://example.org/file          | scheme 'ftp' is not supported
      # RFC 9110 4.2.4: userinfo in an http URI is an error
      http://user:pw@example.org/     | user information in the URL is not allowed
      http://example.org:http/        | bad host in request target
      http://example.org:0/           | bad host or port
      http://example.org:70000/       | bad host in request target
      http://exa mple.org/            | bad character in host
      http://:80/                     | bad host
      # A host that ends in a number is IPv4 to a browser (WHATWG URL) and a name to RFC 3986 3.2.2;
      # octal, hex and short forms are read as different addresses by different programs: refused
      http://0:81/                    | '0' is not an IPv4 address as four decimal numbers
      http://0x7f.0.0.2/              | '0x7f.0.0.2' is not an IPv4 address as four decimal numbers
      http://010.0.0.1/               | '010.0.0.1' is not an IPv4 address
      http://127.1/                   | '127.1' is not an IPv4 address
      http://2130706434/              | '2130706434' is not an IPv4 address
      http://[::ffff:0177.0.0.1]/     | '::ffff:0177.0.0.1' is not an IPv6 address
      http://[1:2:3:4:5:6:7:8:9]/     | '1:2:3:4:5:6:7:8:9' is not an IPv6 address
      """)
  void unusableAbsoluteTargetsAreRejectedWithAReason(String uri, String reason) {
    assertThatThrownBy(() -> RequestTarget.absolute(uri))
        .isInstanceOf(RequestTarget.Invalid.class)
        .hasMessageContaining(reason);
  }

  @ParameterizedTest(name = "CONNECT {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      # RFC 9110 9.3.6: CONNECT takes authority-form host:port
      example.org:443       | example.org | 443
      [2001:db8::1]:8443    | 2001:db8::1 | 8443
      EXAMPLE.org.:443      | example.org | 443
      127.000.000.002:443   | 127.0.0.2   | 443
      [::ffff:127.0.0.2]:443 | 127.0.0.2  | 443
      """)
  void connectTargetIsAuthorityForm(String uri, String host, int port) throws Exception {
    assertThat(RequestTarget.connect(uri)).isEqualTo(new RequestTarget(host, port, ""));
  }

  @ParameterizedTest(name = "CONNECT {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      # RFC 9112 3.2.3: the port is required in authority-form
      example.org           | a port is required
      http://example.org/   | bad host
      example.org:0         | bad host or port
      """)
  void connectTargetWithoutAUsablePortIsRejected(String uri, String reason) {
    assertThatThrownBy(() -> RequestTarget.connect(uri))
        .isInstanceOf(RequestTarget.Invalid.class)
        .hasMessageContaining(reason);
  }

  @ParameterizedTest(name = "{0}:{1} -> {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      # RFC 9110 7.2: Host omits the scheme's default port; IPv6 literals keep their brackets
      example.org  | 80   | example.org
      example.org  | 8080 | example.org:8080
      2001:db8::1  | 80   | [2001:db8::1]
      2001:db8::1  | 81   | [2001:db8::1]:81
      """)
  void hostHeaderOmitsTheDefaultPort(String host, int port, String expected) {
    assertThat(new RequestTarget(host, port, "/").hostHeader(80)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      http://example.org/a?b  | false | http://example.org/a?b
      http://example.org:81/  | false | http://example.org:81/
      example.org:443         | true  | example.org:443
      """)
  void accessLogShowsTheUrlOrTheTunnelAuthority(String uri, boolean connect, String logged)
      throws Exception {
    RequestTarget t = connect ? RequestTarget.connect(uri) : RequestTarget.absolute(uri);
    assertThat(t.logUrl(connect)).isEqualTo(logged);
  }
}
