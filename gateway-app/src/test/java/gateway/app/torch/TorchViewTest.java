package gateway.app.torch;

import static gateway.app.torch.FlowTableTest.address;
import static gateway.app.torch.FramesTest.packet;
import static org.assertj.core.api.Assertions.assertThat;

import gateway.app.torch.Packet.Protocol;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The table as an admin reads it. */
class TorchViewTest {
  @Test
  void aTableOfTheBusiestFlowsWithATotalLine() {
    FlowTable table = new FlowTable(List.of(address("192.168.1.2")), Duration.ofSeconds(3), 0);
    for (int i = 0; i < 690; i++) {
      table.record(packet(Protocol.TCP, "93.184.215.14", 443, "192.168.1.2", 40512, 1460), 1);
    }
    for (int i = 0; i < 80; i++) {
      table.record(packet(Protocol.TCP, "192.168.1.2", 40512, "93.184.215.14", 443, 66), 1);
    }
    table.record(packet(Protocol.UDP, "192.168.1.2", 53124, "1.1.1.1", 53, 120), 1);
    table.record(packet(Protocol.UDP, "1.1.1.1", 53, "192.168.1.2", 53124, 190), 1);
    table.record(packet(Protocol.TCP, "2001:db8::2", 50000, "2001:db8:1:0:0:0:0:80", 443, 60), 1);

    assertThat(TorchView.table(table.snapshot(1_000_000_000L, 10)))
        .isEqualTo(
            """
        PROTO  LOCAL                REMOTE                  TX-RATE    RX-RATE  TX-PKT/S  RX-PKT/S
        tcp    192.168.1.2:40512    93.184.215.14:443     42.2 kbps  8.06 Mbps        80       690
        udp    192.168.1.2:53124    1.1.1.1:53              960 bps  1.52 kbps         1         1
        tcp    [2001:db8::2]:50000  [2001:db8:1::80]:443    480 bps      0 bps         1         0
        total  3 flows                                    43.7 kbps  8.06 Mbps        82       691
        """);
  }

  @Test
  void anEmptyIntervalStillShowsTheHeadAndTotal() {
    FlowTable table = new FlowTable(List.of(address("192.168.1.2")), Duration.ofSeconds(3), 0);
    assertThat(TorchView.table(table.snapshot(1_000_000_000L, 10)))
        .isEqualTo(
            """
        PROTO  LOCAL    REMOTE  TX-RATE  RX-RATE  TX-PKT/S  RX-PKT/S
        total  0 flows            0 bps    0 bps         0         0
        """);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      0             | 0 bps
      999.4         | 999 bps
      999.5         | 1.00 kbps
      1500          | 1.50 kbps
      42_240        | 42.2 kbps
      123_456       | 123 kbps
      8_059_200     | 8.06 Mbps
      999_600_000   | 1.00 Gbps
      1_250_000_000 | 1.25 Gbps
      """)
  void ratesInBitsPerSecondWithThreeFigures(String perSecond, String shown) {
    assertThat(TorchView.bits(Double.parseDouble(perSecond.replace("_", "")))).isEqualTo(shown);
  }
}
