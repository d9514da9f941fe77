package gateway.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.log.AccessRecord;
import gateway.proxy.testing.OriginRequest;
import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.RawOrigin;
import gateway.proxy.testing.RunningProxy;
import gateway.proxy.testing.TestConfigs;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A hostile client or origin tries to change the framing or the target of a message through every
 * header field the gateway rewrites or removes (RFC 9110 7.6.1 Connection and the hop-by-hop
 * fields, RFC 9112 3.2 Host, 6 framing, RFC 9110 7.6.3 Via). The origin is a strict one that reads
 * requests as RFC 9112 6.3 frames them and records each: whatever the client sends, the origin sees
 * one request per request the gateway forwarded, framed as the client framed it, for the target the
 * gateway checked, and the upstream connection stays in step for the next client request.
 */
class HeaderRewriteAttackTest {
  /**
   * A request hidden in a body: the origin sees it only if the gateway drops the body's framing.
   */
  static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: victim.test\r\n\r\n";

  RunningProxy proxy;
  RawOrigin origin;
  final LinkedBlockingQueue<OriginRequest> seen = new LinkedBlockingQueue<>();

  /** Raw responses by request target; others get "answer to <target>". */
  final Map<String, String> answers = new ConcurrentHashMap<>();

  @BeforeEach
  void start() throws Exception {
    proxy = RunningProxy.start(TestConfigs.loopback());
    origin = RawOrigin.start(this::serve);
  }

  @AfterEach
  void stop() throws Exception {
    origin.close();
    proxy.close();
  }

  // ---- the request side -----------------------------------------------------------------------

  @ParameterizedTest(name = "[{index}] {0} ({1})")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      # fields the client adds (;-separated) | body framing | fields the origin must not see | what the origin must see of a field
      # RFC 9110 7.6.1: Connection's options and the fields they name are for this hop only
      Connection: keep-alive, X-Private;X-Private: secret    | length  | X-Private,Connection |
      Connection: X-A;Connection: x-b;X-A: 1;X-B: 2          | chunked | X-A,X-B              |
      Keep-Alive: timeout=5;Connection: Keep-Alive           | length  | Keep-Alive           |
      # the fields that are hop-by-hop whether named or not
      Proxy-Connection: keep-alive, Content-Length           | length  | Proxy-Connection     |
      Proxy-Authorization: Basic dXNlcjpwYXNz                | length  | Proxy-Authorization  |
      Upgrade: h2c;Connection: Upgrade, HTTP2-Settings;HTTP2-Settings: AAMAAABk | length | Upgrade,HTTP2-Settings |
      TE: trailers;Connection: TE                            | chunked | TE                   |
      Trailer: X-Checksum                                    | chunked-with-trailer | Trailer,X-Checksum |
      # Expect is the origin's to answer (RFC 9110 10.1.1); naming it in Connection only drops it
      Expect: 100-continue;Connection: Expect                | length  | Expect               |
      # RFC 9112 3.2.2: the target's authority wins over a disagreeing Host
      Host: victim.test                                      | length  |                      | Host=127.0.0.1:PORT
      # RFC 9110 7.6.3: Via is the record of the chain (and our loop guard); Connection cannot hide it
      Via: 1.1 other-proxy;Connection: Via                   | length  |                      | Via=1.1 other-proxy, 1.1 gateway-test
      # RFC 9110 7.6.1: Cache-Control is never a connection option
      Cache-Control: no-cache;Connection: Cache-Control      | length  |                      | Cache-Control=no-cache
      """)
  void hopByHopFieldsGoButTheFramingAndTargetStay(
      String fields, String framing, String absent, String expected) throws Exception {
    try (RawClient c = new RawClient(proxy.address())) {
      c.send(post("/upload", fields, framing));
      RawClient.Response r = c.read();
      assertThat(r.status()).as(r.statusLine()).isEqualTo(200);
      assertThat(r.bodyText()).isEqualTo("answer to /upload");

      OriginRequest got = next();
      assertThat(got.requestLine()).isEqualTo("POST /upload HTTP/1.1");
      assertThat(got.all("Host")).containsExactly("127.0.0.1:" + origin.port());
      assertFramedLike(got, framing);
      assertThat(got.bodyText()).isEqualTo(SMUGGLED);
      for (String name : absent == null ? new String[0] : absent.split(",")) {
        assertThat(got.field(name)).as(name + " in\n" + got.rawText()).isNull();
        assertThat(got.rawText()).doesNotContainIgnoringCase("\n" + name + ":");
      }
      if (expected != null) {
        String name = expected.substring(0, expected.indexOf('='));
        String value =
            expected
                .substring(expected.indexOf('=') + 1)
                .replace("PORT", String.valueOf(origin.port()));
        assertThat(got.field(name)).as(got.rawText()).isEqualTo(value);
      }
      assertConnectionInStep(c);
    }
  }

  @ParameterizedTest(name = "[{index}] {0} ({1})")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      # fields the client adds (;-separated) | body framing | status | reason
      # RFC 9110 7.6.1 / 9112 6: Connection cannot take away the framing or the target (the smuggling shape)
      Connection: keep-alive, Content-Length                  | length    | 400 | Connection names Content-Length
      Connection: Content-Length                              | length    | 400 | Connection names Content-Length
      connection: close;connection: content-LENGTH            | length    | 400 | Connection names content-LENGTH
      Connection: Transfer-Encoding                           | chunked   | 400 | Connection names Transfer-Encoding
      Connection: keep-alive , HOST                           | length    | 400 | Connection names HOST
      # RFC 9112 6.3: both lengths at once is the classic smuggling shape
      Content-Length: 4;Transfer-Encoding: chunked            | as-given  | 400 | conflicting message framing
      # RFC 9112 6.3: a request's final coding must be chunked
      Transfer-Encoding: chunked;Transfer-Encoding: gzip      | as-given  | 400 | chunked must be the last
      # RFC 9112 6.1: chunked only once
      Transfer-Encoding: chunked, chunked                     | as-given  | 400 | more than once
      # RFC 9112 6.1 / RFC 9110 15.6.2: a coding the gateway does not implement is 501, never dropped
      Transfer-Encoding: gzip, chunked                        | as-given  | 501 | gzip
      Transfer-Encoding: gzip;Transfer-Encoding: chunked      | as-given  | 501 | gzip
      Transfer-Encoding: identity, chunked                    | as-given  | 501 | identity
      Transfer-Encoding: x-custom , CHUNKED                   | as-given  | 501 | x-custom
      # RFC 9110 7.2: one Host, or the target is ambiguous
      Host: 127.0.0.1;Host: victim.test                       | length    | 400 | more than one Host
      """)
  void attemptsOnTheFramingOrTargetAreRefusedBeforeTheOrigin(
      String fields, String framing, int status, String reason) throws Exception {
    try (RawClient c = new RawClient(proxy.address())) {
      c.send(post("/upload", fields, framing));
      RawClient.Response r = c.read();
      ErrorResponsesTest.assertErrorPage(r, status, reason);
      AccessRecord logged = proxy.nextRecord();
      assertThat(logged.status()).isEqualTo(status);
      assertThat(logged.method()).isEqualTo("POST");
    }
    // Nothing reached the origin: the next request it sees is a new client's.
    try (RawClient c = new RawClient(proxy.address())) {
      c.send(get("/after"));
      assertThat(c.read().bodyText()).isEqualTo("answer to /after");
      assertThat(next().target()).isEqualTo("/after");
      assertThat(seen).isEmpty();
    }
  }

  @Test
  void aBodyWhoseConnectionNamesContentLengthNeverBecomesARequestOfItsOwn() throws Exception {
    // The attack: with Content-Length dropped as a "connection option", the body went upstream
    // unframed on a pooled connection, the origin read it as a second request (which no access rule
    // saw), and its answer went to the next request on that connection, or into the cache.
    int attacker;
    try (RawClient c = new RawClient(proxy.address())) {
      c.send(post("/upload", "Connection: keep-alive, Content-Length", "length"));
      attacker = c.read().status();
    }
    try (RawClient victim = new RawClient(proxy.address())) {
      victim.send(get("/home"));
      assertThat(victim.read().bodyText()).isEqualTo("answer to /home");
    }
    OriginRequest first = next();
    assertThat(first.target())
        .as("the first request at the origin:\n" + first.rawText())
        .isEqualTo("/home");
    assertThat(seen).isEmpty();
    assertThat(attacker).isEqualTo(400);
  }

  // ---- the response side ----------------------------------------------------------------------

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      # the origin's response fields (;-separated), body "hello" framed by them | the client must see
      # RFC 9110 7.6.1: Connection cannot take away the response's length, or fields meant for all
      Connection: Content-Length;Content-Length: 5                  | Content-Length=5
      Connection: keep-alive, content-length;Content-Length: 5      | Content-Length=5
      Connection: Transfer-Encoding;Transfer-Encoding: chunked      | Transfer-Encoding=chunked
      Connection: Date;Date: Mon, 07 Dec 2026 10:00:00 GMT;Content-Length: 5 | Date=Mon, 07 Dec 2026 10:00:00 GMT
      Connection: Cache-Control;Cache-Control: no-store;Content-Length: 5    | Cache-Control=no-store
      Connection: Age;Age: 7;Cache-Control: no-store;Content-Length: 5       | Age=7
      Connection: Via;Via: 1.1 origin-proxy;Content-Length: 5        | Via=1.1 origin-proxy, 1.1 gateway-test
      Connection: Vary;Vary: Cookie;Cache-Control: no-store;Content-Length: 5 | Vary=Cookie
      # named or not, these go: they are for the hop to the gateway only
      Connection: X-Hop;X-Hop: 1;Keep-Alive: timeout=5;Content-Length: 5     | X-Hop=
      Upgrade: h2c;Connection: Upgrade;Content-Length: 5            | Upgrade=
      Trailer: X-Sum;Transfer-Encoding: chunked                     | Trailer=
      """)
  void responseFramingSurvivesItsConnectionField(String fields, String expected) throws Exception {
    answers.put("/r", response("200 OK", fields));
    try (RawClient c = new RawClient(proxy.address())) {
      c.send(get("/r"));
      RawClient.Response r = c.read();

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.bodyText()).isEqualTo("hello");
      String name = expected.substring(0, expected.indexOf('='));
      String value = expected.substring(expected.indexOf('=') + 1);
      assertThat(r.header(name)).as(name).isEqualTo(value.isEmpty() ? null : value);
      assertThat(r.header("Connection")).isNull();
      assertThat(next().target()).isEqualTo("/r");
      assertConnectionInStep(c);
      assertThat(origin.accepted()).as("the upstream connection is reused").isEqualTo(1);
    }
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      # RFC 9112 6.1: the gateway asked for no transfer coding (it sends no TE), and cannot undo one
      # for a client or the cache: 502, and the connection, framed in a way it cannot follow, is closed
      Transfer-Encoding: gzip, chunked                | gzip
      Transfer-Encoding: gzip;Transfer-Encoding: chunked | gzip
      # RFC 9112 6.3: a final coding other than chunked is delimited by the close: never guessed at
      Transfer-Encoding: gzip                         | gzip
      """)
  void responseWithATransferCodingOtherThanChunkedIs502(String fields, String coding)
      throws Exception {
    answers.put("/coded", response("200 OK", fields + ";Cache-Control: max-age=600"));
    try (RawClient c = new RawClient(proxy.address())) {
      c.send(get("/coded"));
      RawClient.Response r = c.read();
      ErrorResponsesTest.assertErrorPage(r, 502, "Transfer-Encoding " + coding);
      assertThat(proxy.nextRecord().status()).isEqualTo(502);
    }
    answers.remove("/coded");
    try (RawClient c = new RawClient(proxy.address())) {
      // Not stored: the next client gets the origin's new answer, on a new upstream connection.
      c.send(get("/coded"));
      assertThat(c.read().bodyText()).isEqualTo("answer to /coded");
      assertThat(origin.accepted()).isEqualTo(2);
    }
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      # the origin's status line and fields (;-separated), a chunked body "hello" after them
      # RFC 9112 6.3: both lengths ought to be handled as an error (it may be response splitting)
      HTTP/1.1 200 OK;Content-Length: 3;Transfer-Encoding: chunked
      HTTP/1.1 200 OK;Transfer-Encoding: chunked;Content-Length: 300
      # RFC 9112 6.1: Transfer-Encoding in an HTTP/1.0 message means faulty framing
      HTTP/1.0 200 OK;Transfer-Encoding: chunked;Connection: keep-alive;Content-Length: 5
      """)
  void anOriginConnectionWhoseFramingIsInDoubtIsNeverUsedAgain(String head) throws Exception {
    answers.put("/doubtful", head.replace(";", "\r\n") + "\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    try (RawClient c = new RawClient(proxy.address())) {
      c.send(get("/doubtful"));
      ErrorResponsesTest.assertErrorPage(c.read(), 502, "invalid response");
    }
    assertThat(next().target()).isEqualTo("/doubtful");
    try (RawClient c = new RawClient(proxy.address())) {
      c.send(get("/next"));
      assertThat(c.read().bodyText()).isEqualTo("answer to /next");
    }
    assertThat(next().target()).as("the answer was not retried").isEqualTo("/next");
    assertThat(origin.accepted()).as("a new upstream connection for the next request").isEqualTo(2);
  }

  @Test
  void connectionNamingVaryDoesNotHandOneUsersVariantToAnother() throws Exception {
    // RFC 9111 4.1: a stored response is reused only for requests that match its Vary fields. Were
    // Connection allowed to strip Vary, the first user's page would be stored for everyone.
    try (RawOrigin profiles =
            RawOrigin.start(
                s -> {
                  OriginRequest req;
                  while ((req = OriginRequest.read(s.getInputStream())) != null) {
                    String body = "profile of " + req.field("Cookie");
                    write(
                        s,
                        "HTTP/1.1 200 OK\r\nCache-Control: max-age=600\r\nVary: Cookie\r\n"
                            + "Connection: Vary\r\nContent-Length: "
                            + body.length()
                            + "\r\n\r\n"
                            + body);
                  }
                });
        RawClient alice = new RawClient(proxy.address());
        RawClient bob = new RawClient(proxy.address())) {
      String url = "http://127.0.0.1:" + profiles.port() + "/profile";
      alice.send("GET " + url + " HTTP/1.1\r\nHost: x\r\nCookie: user=alice\r\n\r\n");
      assertThat(alice.read().bodyText()).isEqualTo("profile of user=alice");

      bob.send("GET " + url + " HTTP/1.1\r\nHost: x\r\nCookie: user=bob\r\n\r\n");
      assertThat(bob.read().bodyText()).isEqualTo("profile of user=bob");
    }
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** The strict origin: one recorded request, one answer, for as long as the connection lasts. */
  private void serve(Socket s) throws IOException {
    OriginRequest req;
    while ((req = OriginRequest.read(s.getInputStream())) != null) {
      seen.add(req);
      String raw = answers.get(req.target());
      if (raw != null) {
        write(s, raw);
        continue;
      }
      String body = "answer to " + req.target();
      write(
          s,
          "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
              + body.length()
              + "\r\n\r\n"
              + body);
    }
  }

  /** A response of {@code status} with {@code fields}, its body "hello" framed by them. */
  private static String response(String status, String fields) {
    StringBuilder b = new StringBuilder("HTTP/1.1 " + status + "\r\n");
    boolean chunked = false;
    for (String f : fields.split(";")) {
      b.append(f.trim()).append("\r\n");
      chunked |=
          f.toLowerCase().startsWith("transfer-encoding:") && f.toLowerCase().contains("chunked");
    }
    b.append("\r\n");
    b.append(chunked ? "5\r\nhello\r\n0\r\n\r\n" : "hello");
    return b.toString();
  }

  private String post(String path, String fields, String framing) {
    StringBuilder b =
        new StringBuilder("POST http://127.0.0.1:" + origin.port() + path + " HTTP/1.1\r\n");
    if (!fields.startsWith("Host:")) {
      b.append("Host: 127.0.0.1:").append(origin.port()).append("\r\n");
    }
    for (String f : fields.split(";")) {
      b.append(f.trim()).append("\r\n");
    }
    String body = SMUGGLED;
    switch (framing) {
      case "length" ->
          b.append("Content-Length: ").append(body.length()).append("\r\n\r\n").append(body);
      case "chunked" ->
          b.append("Transfer-Encoding: chunked\r\n\r\n").append(chunk(body)).append("0\r\n\r\n");
      case "chunked-with-trailer" ->
          b.append("Transfer-Encoding: chunked\r\n\r\n")
              .append(chunk(body))
              .append("0\r\nX-Checksum: 42\r\n\r\n");
      case "as-given" -> b.append("\r\n").append(chunk(body)).append("0\r\n\r\n");
      default -> throw new IllegalArgumentException(framing);
    }
    return b.toString();
  }

  private static String chunk(String data) {
    return Integer.toHexString(data.length()) + "\r\n" + data + "\r\n";
  }

  private String get(String path) {
    return "GET http://127.0.0.1:"
        + origin.port()
        + path
        + " HTTP/1.1\r\nHost: 127.0.0.1:"
        + origin.port()
        + "\r\n\r\n";
  }

  private static void assertFramedLike(OriginRequest got, String framing) {
    if (framing.equals("length")) {
      assertThat(got.all("Content-Length"))
          .as(got.rawText())
          .containsExactly(String.valueOf(SMUGGLED.length()));
      assertThat(got.field("Transfer-Encoding")).isNull();
    } else {
      assertThat(got.all("Transfer-Encoding")).as(got.rawText()).containsExactly("chunked");
      assertThat(got.field("Content-Length")).isNull();
    }
  }

  /**
   * The client's next request on the same connection gets its own answer, and it is the next
   * request the origin sees: nothing was smuggled in between.
   */
  private void assertConnectionInStep(RawClient c) throws Exception {
    c.send(get("/next"));
    RawClient.Response r = c.read();
    assertThat(r.bodyText()).isEqualTo("answer to /next");
    assertThat(next().target()).isEqualTo("/next");
    assertThat(seen).isEmpty();
  }

  private OriginRequest next() throws InterruptedException {
    OriginRequest r = seen.poll(5, TimeUnit.SECONDS);
    assertThat(r).as("a request at the origin within 5 s").isNotNull();
    return r;
  }

  private static void write(Socket s, String text) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }
}
