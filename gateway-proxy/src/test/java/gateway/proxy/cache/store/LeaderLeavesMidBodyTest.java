package gateway.proxy.cache.store;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.config.GatewayConfig;
import gateway.core.log.AccessRecord;
import gateway.core.log.CacheAction;
import gateway.proxy.cache.HttpCache;
import gateway.proxy.cache.policy.StoredHead;
import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.RunningProxy;
import gateway.proxy.testing.TestConfigs;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client that leads a download into the cache (collapsed forwarding) closes its connection
 * mid-body. The clients fed from that download still get all of it, and it is stored; a download
 * nobody waits for any more stops at once, as it did before: uplink bandwidth is the office's
 * scarcest resource.
 */
class LeaderLeavesMidBodyTest {
  static final int PART = 128 * 1024;
  final byte[] body = Bodies.of("/big", 8 * PART);
  final List<RawClient> clients = new ArrayList<>();
  PacedOrigin origin;
  RunningProxy proxy;

  void start() throws Exception {
    start(TestConfigs.loopback(), null);
  }

  void start(GatewayConfig config, HttpCache cache) throws Exception {
    origin = PacedOrigin.start(body);
    proxy = cache == null ? RunningProxy.start(config) : RunningProxy.start(config, cache);
  }

  @AfterEach
  void stop() throws Exception {
    for (RawClient c : clients) {
      c.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (origin != null) {
      origin.close();
    }
  }

  @Test
  void theFollowerGetsTheWholeBodyAndItIsStored() throws Exception {
    start();
    RawClient leader = leaderWithFirstPart();
    RawClient follower = followerWithFirstPart();

    AccessRecord leaderRecord = leaderLeaves(leader);
    assertThat(leaderRecord.action()).isEqualTo(CacheAction.TCP_MISS);
    assertThat(leaderRecord.bytes()).isLessThan(body.length);
    origin.sendRest();

    assertThat(follower.input().readNBytes(body.length - PART))
        .isEqualTo(Arrays.copyOfRange(body, PART, body.length));
    AccessRecord followerRecord = proxy.nextRecord();
    assertThat(followerRecord.action()).isEqualTo(CacheAction.TCP_HIT);
    assertThat(followerRecord.bytes()).isGreaterThan(body.length);
    assertThat(origin.closedByProxy()).as("upstream connection closed after the download").isTrue();

    assertThat(ask().read().body()).isEqualTo(body);
    assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_MEM_HIT);
    assertThat(origin.requests()).isEqualTo(1);
  }

  @Test
  void aDownloadNobodyElseWaitsForStopsWithItsClient() throws Exception {
    start();
    RawClient leader = leaderWithFirstPart();

    assertThat(leaderLeaves(leader).action()).isEqualTo(CacheAction.TCP_MISS);

    assertThat(origin.closedByProxy()).isTrue();
    theNextRequestIsAMiss();
  }

  @Test
  void theDownloadStopsWhenItsLastFollowerLeavesToo() throws Exception {
    start();
    RawClient leader = leaderWithFirstPart();
    RawClient follower = followerWithFirstPart();
    leaderLeaves(leader);
    assertThat(follower.input().readNBytes(PART))
        .isEqualTo(Arrays.copyOfRange(body, PART, 2 * PART));

    leaves(follower);
    // More body for a follower that left: writing it to the closed socket tells the proxy, if the
    // close did not.
    origin.sendUpTo(3 * PART);
    proxy.nextRecord();

    assertThat(origin.closedByProxy()).isTrue();
    theNextRequestIsAMiss();
  }

  @Test
  void whenTheOriginBreaksOffTheFollowerConnectionEnds() throws Exception {
    start();
    RawClient leader = leaderWithFirstPart();
    RawClient follower = followerWithFirstPart();
    leaderLeaves(leader);

    origin.breakConnection();

    // The declared length is never reached: the connection's end is all the client can learn.
    assertThat(untilClosed(follower)).hasSizeLessThan(body.length - PART);
    assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_MISS);
    theNextRequestIsAMiss();
  }

  @Test
  void whenTheStoreGivesUpTheDownloadStopsAndTheFollowerConnectionEnds() throws Exception {
    GatewayConfig config = TestConfigs.loopback();
    start(config, new HttpCache(new GivingUpStore(CacheStores.open(config.cache()), 3 * PART)));
    RawClient leader = leaderWithFirstPart();
    RawClient follower = followerWithFirstPart();
    leaderLeaves(leader);

    origin.sendRest();

    assertThat(untilClosed(follower)).hasSizeLessThanOrEqualTo(2 * PART);
    proxy.nextRecord();
    assertThat(origin.closedByProxy()).isTrue();
    theNextRequestIsAMiss();
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** A client asking for the body (closed after the test). */
  RawClient ask() throws IOException {
    RawClient c = new RawClient(proxy.address());
    clients.add(c);
    c.send("GET " + origin.url("/big") + " HTTP/1.1\r\nHost: " + origin.authority() + "\r\n\r\n");
    return c;
  }

  /** The first client asks: its request goes upstream, and it gets the head and the first part. */
  RawClient leaderWithFirstPart() throws IOException {
    RawClient leader = ask();
    origin.sendUpTo(PART);
    assertFirstPart(leader);
    return leader;
  }

  /** A client asking meanwhile is fed from the leader's download: the head and what came so far. */
  RawClient followerWithFirstPart() throws IOException {
    RawClient follower = ask();
    assertFirstPart(follower);
    assertThat(origin.requests()).isEqualTo(1);
    return follower;
  }

  void assertFirstPart(RawClient c) throws IOException {
    RawClient.Response head = c.readHead();
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(body.length));
    assertThat(c.input().readNBytes(PART)).isEqualTo(Arrays.copyOf(body, PART));
  }

  /** The user cancels: the socket closes at once, with a reset. */
  static void leaves(RawClient c) throws IOException {
    c.socket().setSoLinger(true, 0);
    c.close();
  }

  /**
   * The leader leaves mid-body; then the second part comes, which the proxy writes to the closed
   * socket if it has not noticed the close already. Returns the leader's access-log record.
   */
  AccessRecord leaderLeaves(RawClient leader) throws Exception {
    leaves(leader);
    origin.sendUpTo(2 * PART);
    return proxy.nextRecord();
  }

  /** What the proxy sends until it closes the connection; a hang fails on the socket's timeout. */
  static byte[] untilClosed(RawClient c) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    InputStream in = c.input();
    byte[] buf = new byte[64 * 1024];
    try {
      int n;
      while ((n = in.read(buf)) != -1) {
        got.write(buf, 0, n);
      }
    } catch (SocketTimeoutException hang) {
      throw hang;
    } catch (SocketException reset) {
      // Closed with a reset: ended all the same.
    }
    return got.toByteArray();
  }

  /** Nothing was stored: the next client's request goes to the origin. */
  void theNextRequestIsAMiss() throws Exception {
    try (RawClient next = ask()) {
      assertThat(next.read().body()).isEqualTo(body);
    }
    assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_MISS);
    assertThat(origin.requests()).isEqualTo(2);
  }

  /**
   * A store whose writers give up once a body passes {@code limit} bytes, as a failing disk would.
   */
  static final class GivingUpStore extends ForwardingCacheStore {
    private final long limit;

    GivingUpStore(CacheStore store, long limit) {
      super(store);
      this.limit = limit;
    }

    @Override
    public ObjectWriter begin(StoredHead head, long expectedLength) {
      ObjectWriter w = store.begin(head, expectedLength);
      return w == null
          ? null
          : new ObjectWriter() {
            @Override
            public boolean write(ByteBuf data) {
              if (w.written() + data.readableBytes() > limit) {
                w.abort();
                return false;
              }
              return w.write(data);
            }

            @Override
            public long written() {
              return w.written();
            }

            @Override
            public ByteBuf read(long offset, int max, ByteBufAllocator alloc) {
              return w.read(offset, max, alloc);
            }

            @Override
            public CompletableFuture<Boolean> commit() {
              return w.commit();
            }

            @Override
            public void abort() {
              w.abort();
            }

            @Override
            public void keepReadable() {
              w.keepReadable();
            }

            @Override
            public void readersDone() {
              w.readersDone();
            }
          };
    }
  }
}
