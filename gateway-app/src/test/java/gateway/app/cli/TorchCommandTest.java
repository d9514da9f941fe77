package gateway.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.app.testing.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gateway torch}'s answers that need no capture: which uplink, which interface, the command
 * line, the help. (The capture itself: TorchIT.)
 */
class TorchCommandTest {
  @TempDir Path dir;
  final Cli cli = new Cli();

  Path config() throws IOException {
    Path p = dir.resolve("gateway.conf");
    Files.writeString(
        p,
        """
        uplinks = [
          { name = isp1, address = "198.19.201.2", interface = nosuchif0 }
          { name = isp2, address = "198.19.202.2" }
        ]
        """);
    return p;
  }

  @Test
  void anUnknownUplinkExits2AndListsTheNames() throws IOException {
    assertThat(cli.run("torch", "--config", config().toString(), "isp3", "--once")).isEqualTo(2);
    assertThat(cli.err()).contains("no uplink named isp3; the uplinks are: isp1, isp2");
  }

  @Test
  void anInterfaceThatIsNotOnThisMachineExits5() throws IOException {
    assertThat(cli.run("torch", "--config", config().toString(), "isp1", "--once")).isEqualTo(5);
    assertThat(cli.err())
        .contains("uplink isp1: interface nosuchif0 does not exist on this machine")
        .contains("ip -brief address");
  }

  @Test
  void anAddressNoInterfaceHoldsExits5() throws IOException {
    assertThat(cli.run("torch", "--config", config().toString(), "isp2", "--once")).isEqualTo(5);
    assertThat(cli.err())
        .contains("uplink isp2: no interface on this machine holds its address 198.19.202.2");
  }

  @Test
  void aConfigWithProblemsExits1WithFileLineMessages() throws IOException {
    Path bad = dir.resolve("bad.conf");
    Files.writeString(bad, "uplinks = [{ name = isp1 }]\n");
    assertThat(cli.run("torch", "--config", bad.toString(), "isp1")).isEqualTo(1);
    assertThat(cli.err()).contains("bad.conf:1: ");
  }

  @Test
  void aWrongCommandLineExits2() throws IOException {
    assertThat(cli.run("torch")).isEqualTo(2);
    assertThat(cli.run("torch", "--config", config().toString(), "isp1", "--top", "0"))
        .isEqualTo(2);
    assertThat(cli.run("torch", "--config", config().toString(), "isp1", "--interval", "0"))
        .isEqualTo(2);
    assertThat(cli.err()).contains("--interval 0.1 to 3600 seconds");
  }

  @Test
  void helpNamesEveryExitCodeAndWhatToDo() {
    assertThat(cli.run("torch", "--help")).isEqualTo(0);
    assertThat(cli.out())
        .contains("UPLINK", "--seconds", "--top", "--interval", "--once")
        .contains("3   libpcap is not installed: apt-get install libpcap0.8")
        .contains("4   not allowed to capture: run as root, or setcap cap_net_raw+ep")
        .contains("5   the uplink's interface is not on this machine")
        .contains("2   wrong command line, or no uplink of that name");
  }
}
