package gateway.proxy.cache;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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

  @BeforeEach
  void start() throws Exception {
    origin = PacedOrigin.start(body);
    // A body this large lives on disk (the memory tier keeps objects up to an eighth of its size).
    proxy = RunningProxy.start(TestConfigs.loopback()
        .withCache(new CacheConfig(8L << 20, Optional.of(dir), 256L << 20, 64L << 20)));
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    origin.close();
  }

  @Test
  void aFollowerGetsTheWholeObjectWhileTheLeaderReadsNothingAndThenTheLeaderGetsItToo()
      throws Exception {
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

  private void ask(RawClient c) throws IOException {
    c.send("GET " + origin.url("/big") + " HTTP/1.1\r\nHost: " + origin.authority() + "\r\n\r\n");
  }
}
