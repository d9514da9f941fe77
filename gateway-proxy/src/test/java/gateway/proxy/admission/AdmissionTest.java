package gateway.proxy.admission;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.access.AccessAction;
import gateway.core.config.AccessRuleConfig;
import gateway.core.net.Cidr;
import gateway.proxy.access.AccessRules;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Whether a request is let in, and as what: one row per rule of {@link Admission}, in its order,
 * with the verdict, the status and words of the gateway's own answer, whether the connection stays
 * open after it, and the refusal it is counted as.
 */
class AdmissionTest {
  static final AccessRules RULES =
      AccessRules.of(
          List.of(
              new AccessRuleConfig(
                  "no-games",
                  AccessAction.DENY,
                  List.of("games.example", "10.9.9.9"),
                  Optional.empty(),
                  Optional.empty()),
              new AccessRuleConfig(
                  "social-to-intranet",
                  AccessAction.REDIRECT,
                  List.of("social.example"),
                  Optional.empty(),
                  Optional.of("http://intranet.office/rules.html")),
              new AccessRuleConfig(
                  "no-lab",
                  AccessAction.DENY,
                  List.of(),
                  Optional.empty(),
                  Optional.empty(),
                  List.of(),
                  List.of(),
                  List.of(),
                  Optional.empty(),
                  List.of(),
                  List.of(),
                  List.of(),
                  OptionalLong.empty(),
                  List.of(Cidr.parse("10.9.0.0/16")))));

  @ParameterizedTest(name = "{0} {1} [{2}] client {3}: {4} {5}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      # method | target | header fields (;-separated) | client (allowed, over-limit, admin) | verdict | status | reason | keep-alive | refusal
      # the PAC file, for allowed clients only (a refused client gets no map of the network)
      GET     | /proxy.pac                   | Host: gw                    | allowed  | Pac      |     |                                         | true  |
      GET     | /proxy.pac                   | Host: gw                    | refused  | Answer   | 400 | not an absolute http://                 | true  | INVALID_REQUEST
      # the request check (RequestCheckTest has a row per clause)
      GET     | http://example.org/          |                             | allowed  | Answer   | 400 | without a Host header                   | true  | INVALID_REQUEST
      # clients.allow
      GET     | http://example.org/          | Host: example.org           | refused  | Answer   | 403 | your address 10.0.0.7 is not allowed    | false | CLIENT_NOT_ALLOWED
      # the per-client connection limit
      GET     | http://example.org/          | Host: example.org           | over     | Answer   | 429 | already has 8 connections open          | false | CLIENT_CONNECTIONS
      # RFC 9110 7.6.3: a Via naming this gateway is a forwarding loop
      GET     | http://example.org/          | Host: example.org;Via: 1.1 gateway-self | allowed | Answer | 403 | forwarding loop                 | false | FORWARDING_LOOP
      # access rules, on the name and on an IP literal (its own destination)
      GET     | http://games.example/        | Host: games.example         | allowed  | Answer   | 403 | blocked by the office's access rule 'no-games' | true | ACCESS_RULE
      GET     | http://10.9.9.9/             | Host: 10.9.9.9              | allowed  | Answer   | 403 | blocked by the office's access rule 'no-games' | true | ACCESS_RULE
      GET     | http://social.example/       | Host: social.example        | allowed  | Answer   | 302 | see http://intranet.office/rules.html   | true  |
      # a tunnel cannot be redirected: the browser only sees a failed CONNECT
      CONNECT | social.example:443           | Host: social.example:443    | allowed  | Answer   | 403 | redirected by the office's access rule  | true  | ACCESS_RULE
      # connect-ports
      CONNECT | example.org:25               | Host: example.org:25        | allowed  | Answer   | 403 | CONNECT to port 25 is not allowed       | true  | CONNECT_PORT
      CONNECT | example.org:443              | Host: example.org:443       | allowed  | Tunnel   |     |                                         | true  |
      # PURGE: the admin's addresses only
      PURGE   | http://example.org/x         | Host: example.org           | allowed  | Answer   | 403 | PURGE is allowed only from the admin's  | true  | PURGE_NOT_ALLOWED
      PURGE   | http://example.org/x         | Host: example.org           | admin    | Purge    |     |                                         | true  |
      # everything else is forwarded
      GET     | http://example.org/          | Host: example.org           | allowed  | Admitted |     |                                         | true  |
      GET     | http://example.org/          | Host: example.org;Connection: close | allowed | Admitted |  |                                   | false |
      # an intercepted connection (transparent mode) to 10.1.2.3:80: the client talks to that origin
      # RFC 9112 3.2.1: origin-form with Host; the other forms name an authority of their own
      GET     | /page                        | Host: example.org           | intercepted | Intercepted RESOLVE |  |                          | true  |
      GET     | http://example.org/          | Host: example.org           | intercepted | Answer | 400 | only origin-form (/path) with a Host header | true | INVALID_REQUEST
      CONNECT | example.org:443              | Host: example.org:443       | intercepted | Answer | 400 | CONNECT on an intercepted connection to 10.1.2.3:80 | true | INVALID_REQUEST
      OPTIONS | *                            | Host: example.org           | intercepted | Answer | 400 | request target '*' on an intercepted connection | true | INVALID_REQUEST
      GET     | /page                        |                             | intercepted | Answer | 400 | without a Host header                | true  | INVALID_REQUEST
      # the Host's port defaults to the destination's; another port is forwarded but never cached
      GET     | /page                        | Host: example.org:8080      | intercepted | Intercepted NONE |  |                             | true  |
      # an address literal must be the destination itself (no DNS can explain a difference)
      GET     | /page                        | Host: 10.1.2.3              | intercepted | Intercepted DESTINATION | |                       | true  |
      GET     | /page                        | Host: 10.1.2.3:80           | intercepted | Intercepted DESTINATION | |                       | true  |
      GET     | /page                        | Host: 10.9.9.8              | intercepted | Answer | 400 | Host 10.9.9.8 is not the address this connection was made to (10.1.2.3:80) | true | INVALID_REQUEST
      GET     | /page                        | Host: 10.1.2.3:8080         | intercepted | Answer | 400 | Host 10.1.2.3:8080 is not the address | true | INVALID_REQUEST
      GET     | /page                        | Host: bad_host!             | intercepted | Answer | 400 | Host header: bad character            | true  | INVALID_REQUEST
      # access rules: the Host is the domain, the destination the address
      GET     | /page                        | Host: games.example         | intercepted | Answer | 403 | blocked by the office's access rule 'no-games' | true | ACCESS_RULE
      GET     | /page                        | Host: example.org           | intercepted-lab | Answer | 403 | example.org is blocked by the office's access rule 'no-lab' | true | ACCESS_RULE
      # no PAC file and no PURGE of the gateway's own: they are the origin's
      GET     | /proxy.pac                   | Host: gw                    | intercepted | Intercepted RESOLVE |  |                          | true  |
      PURGE   | /x                           | Host: example.org           | intercepted | Intercepted RESOLVE |  |                          | true  |
      GET     | /page                        | Host: example.org           | intercepted-refused | Answer | 403 | your address 10.0.0.7 is not allowed | false | CLIENT_NOT_ALLOWED
      """)
  void decides(
      String method,
      String uri,
      String fields,
      String client,
      String verdict,
      Integer status,
      String reason,
      boolean keepAlive,
      String refusal)
      throws Exception {
    HttpRequest req = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), uri);
    if (fields != null) {
      for (String f : fields.split(";")) {
        int colon = f.indexOf(':');
        req.headers().add(f.substring(0, colon).trim(), f.substring(colon + 1).trim());
      }
    }

    Admission.Outcome outcome =
        Admission.decide(
            req,
            client(client),
            new Admission.Rules(
                10,
                via -> via.contains("gateway-self"),
                RULES,
                LocalDateTime.of(2026, 3, 2, 10, 0),
                Set.of(443)));

    Admission.Verdict v = outcome.verdict();
    String[] expected = verdict.split(" ");
    assertThat(v.getClass().getSimpleName()).isEqualTo(expected[0]);
    if (v instanceof Admission.Answer a) {
      assertThat(a.status().code()).isEqualTo(status);
      assertThat(a.reason()).contains(reason);
      assertThat(a.keepAlive()).isEqualTo(keepAlive);
      assertThat(a.refusal() == null ? null : a.refusal().name()).isEqualTo(refusal);
    } else if (v instanceof Admission.Admitted a) {
      assertThat(a.keepAlive()).isEqualTo(keepAlive);
    } else if (v instanceof Admission.Purge p) {
      assertThat(p.keepAlive()).isEqualTo(keepAlive);
    } else if (v instanceof Admission.Intercepted i) {
      assertThat(i.keepAlive()).isEqualTo(keepAlive);
      assertThat(i.hostCheck().name()).isEqualTo(expected[1]);
    }
  }

  private static Admission.Client client(String kind) throws Exception {
    InetAddress address = InetAddress.getByName("10.0.0.7");
    InetSocketAddress interceptedTo =
        !kind.startsWith("intercepted")
            ? null
            : new InetSocketAddress(
                InetAddress.getByName(kind.equals("intercepted-lab") ? "10.9.9.9" : "10.1.2.3"),
                80);
    return new Admission.Client(
        address,
        "10.0.0.7",
        !kind.endsWith("refused"),
        kind.equals("over") ? 8 : 0,
        kind.equals("admin"),
        true,
        interceptedTo);
  }
}
