package gateway.proxy.cache.store;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.log.CacheAction;
import gateway.proxy.cache.HttpCache;
import gateway.proxy.cache.policy.Heads;
import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.RunningProxy;
import gateway.proxy.testing.TestConfigs;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A full memory tier admits by frequency (W-TinyLFU): a new object, seen once, is dropped as soon
 * as it is stored. A client still behind the download at that moment, leader or follower, must get
 * the rest all the same: every byte of the body, once, in order, from what the download wrote, not
 * from a store that no longer has it.
 */
class FullMemoryTierTest {
  static final int PART = 256 * 1024;

  /**
   * More than the socket buffers between a client that reads nothing and the proxy (4 MiB here).
   */
  static final int SIZE = 6 << 20;

  /** An eighth of it is the largest object the tier keeps: the body fits. */
  static final long TIER = 8L * SIZE;

  static final int HOT = 7;

  final byte[] body = Bodies.of("/big", SIZE);
  TieredStore store;
  PacedOrigin origin;
  RunningProxy proxy;

  @BeforeEach
  void fillTheTierWithPopularObjects() {
    // Evictions run on the caller's thread: an object is dropped before its put returns.
    store = TieredStore.memoryOnly(TIER, TIER, UnpooledByteBufAllocator.DEFAULT, Runnable::run);
    for (int i = 0; i < HOT; i++) {
      String url = "http://h/hot-" + i;
      assertThat(Stores.put(store, Heads.ok(url), Bodies.of(url, SIZE))).isTrue();
    }
    // Read once the tier is more than half full, when it starts counting how often keys are asked.
    for (int hit = 0; hit < 4; hit++) {
      for (int i = 0; i < HOT; i++) {
        try (CachedObject.Body read = store.get("http://h/hot-" + i).open()) {
          assertThat(read).isNotNull();
        }
      }
    }
  }

  void start(boolean chunked) throws Exception {
    origin = chunked ? PacedOrigin.chunked(body) : PacedOrigin.start(body);
    proxy = RunningProxy.start(TestConfigs.loopback(), new HttpCache(store));
  }

  @AfterEach
  void stop() throws Exception {
    if (proxy != null) {
      proxy.close();
    } else {
      store.close();
    }
    if (origin != null) {
      origin.close();
    }
  }

  @ParameterizedTest(name = "chunked: {0}")
  @ValueSource(booleans = {false, true})
  void aStalledLeaderGetsEveryByteOfANewObjectTheFullTierDropsAtOnce(boolean chunked)
      throws Exception {
    start(chunked);
    try (RawClient leader = new RawClient(proxy.address(), 16 * 1024)) {
      ask(leader);
      origin.sendUpTo(PART);
      RawClient.Response head = leader.readHead();
      assertThat(head.status()).isEqualTo(200);
      // The leader reads nothing more while the whole body is stored, and dropped.
      origin.sendRest();
      awaitStoredAndDropped();

      assertEveryByte(leader.readBody(head));
      assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_MISS);
    }
    assertThat(origin.requests()).isEqualTo(1);
  }

  @ParameterizedTest(name = "chunked: {0}")
  @ValueSource(booleans = {false, true})
  void aStalledFollowerGetsEveryByteOfANewObjectTheFullTierDropsAtOnce(boolean chunked)
      throws Exception {
    start(chunked);
    try (RawClient leader = new RawClient(proxy.address());
        RawClient follower = new RawClient(proxy.address(), 16 * 1024)) {
      ask(leader);
      origin.sendUpTo(PART);
      RawClient.Response head = leader.readHead();
      ask(follower);
      RawClient.Response followed = follower.readHead();
      assertThat(followed.status()).isEqualTo(200);
      // The follower reads nothing more while the leader has it all, stored and dropped.
      origin.sendRest();
      assertEveryByte(leader.readBody(head));
      assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_MISS);
      awaitStoredAndDropped();

      assertEveryByte(follower.readBody(followed));
      assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_HIT);
    }
    assertThat(origin.requests()).isEqualTo(1);
  }

  /** The download is over and stored, and the full tier kept its popular objects instead. */
  private void awaitStoredAndDropped() {
    Awaitility.await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> proxy.cache().fillsInProgress() == 0);
    assertThat(store.get(origin.url("/big"))).as("dropped by the full tier").isNull();
    assertThat(store.get("http://h/hot-0")).as("kept").isNotNull();
  }

  private void assertEveryByte(byte[] received) {
    assertThat(Arrays.mismatch(body, received))
        .as("first byte missing or wrong (%d of %d received)", received.length, body.length)
        .isEqualTo(-1);
  }

  private void ask(RawClient c) throws IOException {
    c.send("GET " + origin.url("/big") + " HTTP/1.1\r\nHost: " + origin.authority() + "\r\n\r\n");
  }
}
