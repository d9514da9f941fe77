package gateway.proxy.cache.store;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.config.CacheConfig;
import gateway.core.log.CacheAction;
import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.RunningProxy;
import gateway.proxy.testing.TestConfigs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Collapsed forwarding does not run at the pace of its slowest client: while a response is being
 * stored, the origin is read as fast as the store takes it, and every client, the one whose request
 * went upstream included, reads from what is stored at its own pace. A client that stops reading
 * holds back only itself.
 */
class StalledLeaderTest {
  static final int PART = 256 * 1024;

  /** Far more than the socket buffers between a client that reads nothing and the origin. */
  static final int SIZE = 24 << 20;

  @TempDir Path dir;
  final byte[] body = Bodies.of("/big", SIZE);
  PacedOrigin origin;
  RunningProxy proxy;

  /** Starts the proxy, storing objects up to {@code largest} bytes, and {@code origin}. */
  void start(PacedOrigin paced, long largest) throws Exception {
    origin = paced;
    // A body this large lives on disk (the memory tier keeps objects up to an eighth of its size).
    proxy =
        RunningProxy.start(
            TestConfigs.loopback()
                .withCache(new CacheConfig(8L << 20, Optional.of(dir), 256L << 20, largest)));
  }

  @AfterEach
  void stop() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    if (origin != null) {
      origin.close();
    }
  }

  @Test
  void aFollowerGetsTheWholeObjectWhileTheLeaderReadsNothingAndThenTheLeaderGetsItToo()
      throws Exception {
    start(PacedOrigin.start(body), 64L << 20);
    try (RawClient leader = new RawClient(proxy.address(), 16 * 1024);
        RawClient follower = new RawClient(proxy.address())) {
      ask(leader);
      origin.sendUpTo(PART);
      RawClient.Response head = leader.readHead();
      assertThat(head.status()).isEqualTo(200);
      // The leader reads nothing more for now.

      ask(follower);
      assertThat(follower.readHead().header("Content-Length")).isEqualTo(String.valueOf(SIZE));
      assertThat(follower.input().readNBytes(PART)).isEqualTo(Arrays.copyOf(body, PART));
      origin.sendRest();
      assertThat(follower.input().readNBytes(SIZE - PART))
          .as("the rest, while the leader is still stalled")
          .isEqualTo(Arrays.copyOfRange(body, PART, SIZE));
      assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_HIT);

      assertThat(leader.input().readNBytes(SIZE)).isEqualTo(body);
      assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_MISS);
    }
    assertThat(origin.requests()).isEqualTo(1);
  }

  @Test
  void aBodyOfUnknownLengthIsStoredAtTheStoresPaceToo() throws Exception {
    start(PacedOrigin.chunked(body), 64L << 20);
    try (RawClient leader = new RawClient(proxy.address(), 16 * 1024);
        RawClient follower = new RawClient(proxy.address())) {
      ask(leader);
      origin.sendUpTo(PART);
      RawClient.Response head = leader.readHead();
      assertThat(head.header("Transfer-Encoding")).isEqualTo("chunked");

      ask(follower);
      // The download cannot end before the rest is let go: this client follows it.
      RawClient.Response followed = follower.readHead();
      origin.sendRest();
      assertThat(follower.readBody(followed))
          .as("while the leader is still stalled")
          .isEqualTo(body);
      assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_HIT);

      assertThat(leader.readBody(head)).isEqualTo(body);
      assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_MISS);
    }
    assertThat(origin.requests()).isEqualTo(1);
  }

  @Test
  void aStalledFollowerGetsEveryByteOfABodyThatOutgrowsTheMemoryTierMidWayIntoTheDisk()
      throws Exception {
    start(PacedOrigin.chunked(body), 64L << 20);
    try (RawClient leader = new RawClient(proxy.address());
        RawClient follower = new RawClient(proxy.address(), 16 * 1024)) {
      ask(leader);
      origin.sendUpTo(PART);
      RawClient.Response head = leader.readHead();
      ask(follower);
      RawClient.Response followed = follower.readHead();
      // The follower reads nothing more while the leader has it all and it is stored.
      origin.sendRest();
      assertThat(leader.readBody(head)).isEqualTo(body);
      assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_MISS);
      Awaitility.await()
          .atMost(10, TimeUnit.SECONDS)
          .until(() -> proxy.cache().fillsInProgress() == 0);

      assertThat(follower.readBody(followed)).isEqualTo(body);
      assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_HIT);
    }
    assertThat(origin.requests()).isEqualTo(1);
  }

  @Test
  void aStalledLeaderStillGetsTheWholeBodyWhenItGrowsTooLargeToStore() throws Exception {
    start(PacedOrigin.chunked(body), 8L << 20);
    try (RawClient leader = new RawClient(proxy.address(), 16 * 1024)) {
      ask(leader);
      origin.sendUpTo(PART);
      RawClient.Response head = leader.readHead();
      origin.sendRest();
      // The store gave up on the body while this client read nothing: the download no longer takes
      // followers, and waits for the client to read what was stored before it reads on.
      Awaitility.await()
          .atMost(10, TimeUnit.SECONDS)
          .until(() -> proxy.cache().fillsInProgress() == 0);

      assertThat(leader.readBody(head)).isEqualTo(body);
      assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_MISS);
    }
    assertThat(origin.requests()).isEqualTo(1);
  }

  private void ask(RawClient c) throws IOException {
    c.send("GET " + origin.url("/big") + " HTTP/1.1\r\nHost: " + origin.authority() + "\r\n\r\n");
  }
}
