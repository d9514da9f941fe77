package gateway.app.admin;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.log.AccessRecord;
import gateway.core.log.CacheAction;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tally the status page and metrics read: hit ratio, byte-hit ratio, top clients. */
class TrafficTallyTest {
  final List<AccessRecord> logged = new ArrayList<>();
  final TrafficTally tally = new TrafficTally(logged::add);

  void log(String client, CacheAction action, long bytes) {
    tally.record(
        new AccessRecord(0, 1, client, action, 200, bytes, "GET", "http://a/", null, null));
  }

  @Test
  void requestsAndBytesAreCountedPerResultCode() {
    log("10.0.0.1", CacheAction.TCP_MISS, 1000);
    log("10.0.0.1", CacheAction.TCP_MEM_HIT, 1000);
    log("10.0.0.2", CacheAction.TCP_HIT, 2000);
    log("10.0.0.2", CacheAction.TCP_IMS_HIT, 200);
    // Neither tunnels nor the gateway's own pages are the cache's business.
    log("10.0.0.2", CacheAction.TCP_TUNNEL, 50_000);
    log("10.0.0.3", CacheAction.TCP_DENIED, 300);

    assertThat(tally.count(CacheAction.TCP_MEM_HIT)).isEqualTo(1);
    assertThat(tally.bytes(CacheAction.TCP_HIT)).isEqualTo(2000);
    assertThat(tally.bytes(CacheAction.TCP_TUNNEL)).isEqualTo(50_000);
    assertThat(logged).hasSize(6);
  }

  @Test
  void topClientsAreThoseThatReceivedTheMostBytes() {
    log("10.0.0.1", CacheAction.TCP_MISS, 1000);
    log("10.0.0.2", CacheAction.TCP_TUNNEL, 9000);
    log("10.0.0.1", CacheAction.TCP_MISS, 1000);

    assertThat(tally.topClients(1)).containsExactly(new TrafficTally.Client("10.0.0.2", 1, 9000));
    assertThat(tally.topClients(5))
        .extracting(TrafficTally.Client::requests)
        .containsExactly(1L, 2L);
  }
}
