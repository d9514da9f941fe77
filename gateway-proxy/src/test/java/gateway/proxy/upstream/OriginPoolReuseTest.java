package gateway.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.RawOrigin;
import gateway.proxy.testing.RunningProxy;
import gateway.proxy.testing.TestConfigs;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Kept-alive origin connections go back to a pool; one the origin closed meanwhile never costs the
 * client its request (RFC 9112 9.3.1: a bodyless idempotent request may be retried on a new
 * connection).
 */
class OriginPoolReuseTest {
  RunningProxy proxy;

  @BeforeEach
  void start() throws Exception {
    proxy = RunningProxy.start(TestConfigs.loopback());
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
  }

  @Test
  void connectionTheOriginClosedWhileIdleIsNotUsedAgain() throws Exception {
    // Answers one request per connection with keep-alive, then closes while idle.
    try (RawOrigin oneAndDone =
            RawOrigin.start(
                s -> {
                  RawOrigin.readHead(s);
                  answer(s, "once");
                });
        RawClient c = new RawClient(proxy.address())) {
      for (int i = 0; i < 3; i++) {
        c.send(get(oneAndDone, "/r" + i));
        RawClient.Response r = c.read();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("once");
      }
      assertThat(oneAndDone.accepted()).isEqualTo(3);
    }
  }

  @Test
  void idempotentRequestOnAConnectionTheOriginClosesAsItIsReusedIsRetriedOnce() throws Exception {
    // The keep-alive race: the origin's idle timer fires just as the proxy sends the next request.
    AtomicInteger connections = new AtomicInteger();
    try (RawOrigin racy =
            RawOrigin.start(
                s -> {
                  int n = connections.incrementAndGet();
                  RawOrigin.readHead(s);
                  answer(s, "answer " + n);
                  if (n == 1) {
                    RawOrigin.readHead(s); // the reused request: read it, then close without a word
                  }
                });
        RawClient c = new RawClient(proxy.address())) {
      c.send(get(racy, "/first"));
      assertThat(c.read().bodyText()).isEqualTo("answer 1");

      c.send(get(racy, "/second"));
      RawClient.Response r = c.read();

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.bodyText()).isEqualTo("answer 2");
      assertThat(racy.accepted()).isEqualTo(2);
    }
  }

  @Test
  void theConnectionARetryWentOutOnServesTheNextRequestToo() throws Exception {
    // Connection 1 answers once, then swallows the reused request; connection 2 (the retry's) stays
    // kept alive and must be usable afterwards: the retry must leave it at a request boundary.
    AtomicInteger connections = new AtomicInteger();
    try (RawOrigin racy =
            RawOrigin.start(
                s -> {
                  int n = connections.incrementAndGet();
                  RawOrigin.readHead(s);
                  answer(s, "answer " + n);
                  if (n == 1) {
                    RawOrigin.readHead(s);
                    return;
                  }
                  for (int i = 2; i < 10; i++) {
                    RawOrigin.readHead(s);
                    answer(s, "again " + i);
                  }
                });
        RawClient c = new RawClient(proxy.address())) {
      c.send(get(racy, "/first"));
      assertThat(c.read().bodyText()).isEqualTo("answer 1");
      c.send(get(racy, "/second"));
      assertThat(c.read().bodyText()).isEqualTo("answer 2");

      c.send(get(racy, "/third"));
      RawClient.Response third = c.read();

      assertThat(third.status()).isEqualTo(200);
      assertThat(third.bodyText()).isEqualTo("again 2");
      assertThat(racy.accepted()).isEqualTo(2);
    }
  }

  @Test
  void requestWithABodyIsNotRetried() throws Exception {
    // The origin may have acted on it: a POST is never sent twice (RFC 9110 9.2.2).
    AtomicInteger connections = new AtomicInteger();
    try (RawOrigin racy =
            RawOrigin.start(
                s -> {
                  int n = connections.incrementAndGet();
                  RawOrigin.readHead(s);
                  answer(s, "answer " + n);
                  if (n == 1) {
                    RawOrigin.readHead(s);
                    s.getInputStream()
                        .readNBytes(4); // the whole POST read (no reset), never answered
                  }
                });
        RawClient c = new RawClient(proxy.address())) {
      c.send(get(racy, "/first"));
      assertThat(c.read().status()).isEqualTo(200);

      c.send(
          "POST http://127.0.0.1:"
              + racy.port()
              + "/post HTTP/1.1\r\nHost: x\r\n"
              + "Content-Length: 4\r\n\r\nbody");
      RawClient.Response r = c.read();

      assertThat(r.status()).isEqualTo(502);
      assertThat(r.header("X-Gateway-Error")).contains("closed the connection without answering");
      assertThat(racy.accepted()).isEqualTo(1);
    }
  }

  private static String get(RawOrigin origin, String path) {
    return "GET http://127.0.0.1:" + origin.port() + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
  }

  private static void answer(Socket s, String body) throws IOException {
    s.getOutputStream()
        .write(
            ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                    + body.length()
                    + "\r\n\r\n"
                    + body)
                .getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
  }
}
