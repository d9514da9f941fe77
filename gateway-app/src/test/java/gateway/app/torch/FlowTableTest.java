package gateway.app.torch;

import static gateway.app.torch.FramesTest.packet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import gateway.app.torch.FlowTable.FlowRate;
import gateway.app.torch.FlowTable.Snapshot;
import gateway.app.torch.Packet.Protocol;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Packets to flows to rates, on a made-up clock: what torch's table shows. */
class FlowTableTest {
  static final long SECOND = 1_000_000_000L;
  static final String UPLINK = "192.168.1.2";

  final FlowTable table = new FlowTable(List.of(address(UPLINK)), Duration.ofSeconds(3), 0);

  @Test
  void bothDirectionsOfAConnectionAreOneFlowSeenFromTheUplink() {
    table.record(packet(Protocol.TCP, UPLINK, 40512, "93.184.215.14", 443, 100), SECOND / 2);
    table.record(packet(Protocol.TCP, "93.184.215.14", 443, UPLINK, 40512, 1500), SECOND / 2);
    table.record(packet(Protocol.TCP, "93.184.215.14", 443, UPLINK, 40512, 1500), SECOND / 2);

    Snapshot s = table.snapshot(SECOND, 10);

    assertThat(s.top())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.flow())
                  .isEqualTo(flow(Protocol.TCP, UPLINK, 40512, "93.184.215.14", 443));
              assertThat(r.txBitsPerSecond()).isEqualTo(800);
              assertThat(r.rxBitsPerSecond()).isEqualTo(24_000);
              assertThat(r.txPacketsPerSecond()).isEqualTo(1);
              assertThat(r.rxPacketsPerSecond()).isEqualTo(2);
            });
  }

  @Test
  void ratesAreOverTheIntervalSinceTheLastSnapshot() {
    table.snapshot(10 * SECOND, 10); // an empty first interval
    for (int i = 0; i < 4; i++) {
      table.record(packet(Protocol.UDP, "1.1.1.1", 53, UPLINK, 53124, 1000), 11 * SECOND);
    }

    Snapshot s = table.snapshot(12 * SECOND, 10); // 4000 bytes in 2 s

    assertThat(s.interval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.top().get(0).rxBitsPerSecond()).isEqualTo(16_000);
    assertThat(s.top().get(0).rxPacketsPerSecond()).isEqualTo(2);
    assertThat(s.rxBitsPerSecond()).isEqualTo(16_000);
  }

  @Test
  void busiestFirstTopNShownAndTheTotalsCountEveryFlow() {
    table.record(packet(Protocol.TCP, "10.0.0.1", 443, UPLINK, 1001, 100), 1);
    table.record(packet(Protocol.TCP, "10.0.0.2", 443, UPLINK, 1002, 3000), 1);
    table.record(packet(Protocol.TCP, UPLINK, 1003, "10.0.0.3", 443, 2000), 1);
    table.record(packet(Protocol.UDP, UPLINK, 1004, "10.0.0.4", 53, 50), 1);

    Snapshot s = table.snapshot(SECOND, 2);

    assertThat(s.top()).extracting(r -> r.flow().localPort()).containsExactly(1002, 1003);
    assertThat(s.flows()).isEqualTo(4);
    assertThat(s.rxBitsPerSecond()).isEqualTo((100 + 3000) * 8);
    assertThat(s.txBitsPerSecond()).isEqualTo((2000 + 50) * 8);
    assertThat(s.txPacketsPerSecond() + s.rxPacketsPerSecond()).isEqualTo(4);
  }

  @Test
  void equallyBusyFlowsAreInAStableOrder() {
    table.record(packet(Protocol.UDP, UPLINK, 2000, "10.0.0.9", 53, 100), 1);
    table.record(packet(Protocol.TCP, UPLINK, 3000, "10.0.0.9", 80, 100), 1);
    table.record(packet(Protocol.TCP, UPLINK, 1000, "10.0.0.9", 80, 100), 1);

    assertThat(table.snapshot(SECOND, 10).top())
        .extracting(r -> r.flow().localPort())
        .containsExactly(1000, 3000, 2000);
  }

  @Test
  void aQuietFlowStaysListedAtZeroForTheEntryTimeoutThenGoes() {
    table.record(packet(Protocol.TCP, UPLINK, 40000, "10.0.0.1", 443, 500), SECOND / 2);
    assertThat(table.snapshot(SECOND, 10).top()).hasSize(1);

    Snapshot quiet = table.snapshot(2 * SECOND, 10);
    assertThat(quiet.top())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.txBitsPerSecond()).isZero();
              assertThat(r.rxBitsPerSecond()).isZero();
            });
    assertThat(table.snapshot(3 * SECOND, 10).top()).hasSize(1); // 2.5 s quiet: kept

    assertThat(table.snapshot(4 * SECOND, 10).top()).isEmpty(); // 3.5 s quiet: gone
    assertThat(table.size()).isZero();
  }

  @Test
  void onLoopbackTheUplinksAddressIsTheLocalEndAndTheClientsPortOtherwise() {
    // lo holds 127.0.0.1 too, but the uplink's address (first) decides.
    FlowTable lo =
        new FlowTable(
            List.of(address("127.0.0.2"), address("127.0.0.1")), Duration.ofSeconds(3), 0);
    lo.record(packet(Protocol.TCP, "127.0.0.2", 45000, "127.0.0.1", 8080, 200), 1);
    lo.record(packet(Protocol.TCP, "127.0.0.1", 8080, "127.0.0.2", 45000, 64_000), 1);
    // A connection between 127.0.0.1 and itself: the client's (higher) port is the local end.
    lo.record(packet(Protocol.TCP, "127.0.0.1", 13129, "127.0.0.1", 51858, 1000), 1);
    lo.record(packet(Protocol.TCP, "127.0.0.1", 51858, "127.0.0.1", 13129, 100), 1);

    List<FlowRate> rows = lo.snapshot(SECOND, 10).top();

    assertThat(rows)
        .extracting(FlowRate::flow)
        .containsExactly(
            flow(Protocol.TCP, "127.0.0.2", 45000, "127.0.0.1", 8080),
            flow(Protocol.TCP, "127.0.0.1", 51858, "127.0.0.1", 13129));
    assertThat(rows.get(0).rxBitsPerSecond()).isEqualTo(64_000 * 8);
    assertThat(rows.get(1).rxBitsPerSecond()).isEqualTo(1000 * 8);
    assertThat(rows.get(1).txBitsPerSecond()).isEqualTo(100 * 8);
  }

  @Test
  void forwardedTrafficThatNamesNoOwnAddressIsSeenFromTheClient() {
    table.record(packet(Protocol.TCP, "192.168.88.10", 50001, "203.0.113.5", 443, 100), 1);
    table.record(packet(Protocol.TCP, "203.0.113.5", 443, "192.168.88.10", 50001, 1400), 1);

    assertThat(table.snapshot(SECOND, 10).top())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.flow())
                  .isEqualTo(flow(Protocol.TCP, "192.168.88.10", 50001, "203.0.113.5", 443));
              assertThat(r.rxBitsPerSecond()).isEqualTo(1400 * 8);
            });
  }

  @Test
  void tcpAndUdpBetweenTheSameEndsAreTwoFlows() {
    table.record(packet(Protocol.TCP, UPLINK, 40000, "10.0.0.1", 443, 100), 1);
    table.record(packet(Protocol.UDP, UPLINK, 40000, "10.0.0.1", 443, 100), 1);

    assertThat(table.snapshot(SECOND, 10).top()).hasSize(2);
  }

  @Test
  void aSnapshotRightAfterAnotherDoesNotDivideByZero() {
    table.record(packet(Protocol.TCP, UPLINK, 40000, "10.0.0.1", 443, 100), 1);
    Snapshot s = table.snapshot(0, 10);
    assertThat(s.top().get(0).txBitsPerSecond()).isFinite();
    assertThat(table.snapshot(0, 10).txBitsPerSecond()).isCloseTo(0, within(0.0));
  }

  static Flow flow(Protocol p, String local, int localPort, String remote, int remotePort) {
    return new Flow(p, address(local), localPort, address(remote), remotePort);
  }

  static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
