package gateway.app.torch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What libpcap says, and what torch then tells the admin to do, with the exit code. */
class CaptureProblemTest {
  static final String JAVA = "/usr/lib/jvm/java-17-openjdk-amd64/bin/java";

  @ParameterizedTest(name = "{0} / {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
      -8 | socket: Operation not permitted                       | 4 | needs root or CAP_NET_RAW
      -  | socket: Operation not permitted                       | 4 | setcap cap_net_raw+ep /usr/lib/jvm/java-17-openjdk-amd64/bin/java
      -1 | You don't have permission to capture on that device   | 4 | run as root
      -5 | No such device exists                                 | 5 | interface eth9 does not exist on this machine
      -  | SIOCGIFINDEX: No such device                          | 5 | 'ip -brief address' lists the interfaces
      -9 | That device is not up                                 | 1 | ip link set eth9 up
      -1 | torch cannot read frames of link type 127 (DLT 127)   | 1 | cannot capture on eth9: torch cannot read frames
      """)
  void openFailures(Integer code, String libpcapSays, int exit, String advice) {
    CaptureProblem p = CaptureProblem.openFailed("eth9", code, libpcapSays, JAVA);
    assertThat(p.exitCode()).isEqualTo(exit);
    assertThat(p.message()).contains(advice).contains(libpcapSays);
  }

  @Test
  void withoutLibpcapTheMessageSaysWhatToInstall() {
    CaptureProblem p = CaptureProblem.libpcapMissing("no libpcap.so found");
    assertThat(p.exitCode()).isEqualTo(3);
    assertThat(p.message())
        .startsWith("libpcap is not installed (no libpcap.so found)")
        .contains("apt-get install libpcap0.8");
  }
}
