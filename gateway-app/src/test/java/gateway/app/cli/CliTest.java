package gateway.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.app.testing.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as scripts see it: output and exit codes. */
class CliTest {
  @TempDir Path dir;
  final Cli cli = new Cli();

  Path file(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void checkListsEveryProblemAsFileLineMessageAndExits1() throws IOException {
    Path conf =
        file(
            "bad.conf",
            """
        listen = "127.0.0.1:3128"
        clients.allow = ["192.168.88.0/33"]
        timeouts.connect = fast
        colour = blue
        """);

    assertThat(cli.run("check", "--config", conf.toString())).isEqualTo(1);
    assertThat(cli.err())
        .contains("bad.conf:2: ")
        .contains("bad.conf:3: ")
        .contains("bad.conf:4: ")
        .contains("3 problem(s)");
  }

  @Test
  void checkReportsABadUplinkUploadRateAtItsLine() throws IOException {
    Path conf =
        file(
            "bad.conf",
            """
        uplinks = [
          { name = adsl, address = "192.168.1.2", max-upload-rate = 1MiB }
        ]
        """);

    assertThat(cli.run("check", "--config", conf.toString())).isEqualTo(1);
    assertThat(cli.err()).contains("bad.conf:2: uplinks[0].max-upload-rate: '1MiB' is not a rate");
  }

  @Test
  void checkSaysOkForAGoodConfig() throws IOException {
    Path conf = file("good.conf", "listen = \"127.0.0.1:3128\"\n");

    assertThat(cli.run("check", "--config", conf.toString())).isEqualTo(0);
    assertThat(cli.out()).startsWith("OK: ");
  }

  @Test
  void checkOfTheShippedSampleConfigSucceeds() {
    assertThat(cli.run("check", "--config", "../conf/gateway.conf")).isEqualTo(0);
  }

  @Test
  void aMissingConfigFileIsAnErrorNotTheDefault() {
    assertThat(cli.run("check", "--config", dir.resolve("nope.conf").toString())).isEqualTo(1);
    assertThat(cli.err()).contains("nope.conf");
  }

  @Test
  void routesPrintsOneTablePerUplink() throws IOException {
    Path conf =
        file(
            "two.conf",
            """
        uplinks = [
          { name = isp1, address = "198.18.11.2", interface = wan1 }
          { name = isp2, address = "198.18.12.2", interface = wan2 }
        ]
        """);

    assertThat(cli.run("routes", "--config", conf.toString())).isEqualTo(0);
    assertThat(cli.out())
        .contains("ip rule add from 198.18.11.2 table 101")
        .contains("ip rule add from 198.18.12.2 table 102")
        .contains("table 101")
        .contains("dev wan1");
  }

  @Test
  void checkWarnsWhenThePolicyRoutingForTheUplinksIsMissing() throws IOException {
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/sbin/ip"))
            || Files.isExecutable(Path.of("/sbin/ip"))
            || Files.isExecutable(Path.of("/usr/bin/ip")),
        "needs iproute2's ip");
    // Addresses that no rule of this machine names (the testbed's live in namespaces of their own).
    Path conf =
        file(
            "unrouted.conf",
            """
        uplinks = [
          { name = isp1, address = "198.19.201.2" }
          { name = isp2, address = "198.19.202.2" }
        ]
        """);

    assertThat(cli.run("check", "--config", conf.toString())).isEqualTo(0);
    assertThat(cli.out())
        .contains(
            "warning: policy routing rule missing on this system: 'ip rule add from 198.19.201.2")
        .contains("'ip rule add from 198.19.202.2");
  }

  @Test
  void helpIsEverywhereAndAWrongOptionExits2() {
    assertThat(cli.run("--help")).isEqualTo(0);
    assertThat(cli.run("check", "--help")).isEqualTo(0);
    assertThat(cli.run("routes", "--help")).isEqualTo(0);
    assertThat(cli.run("run", "--help")).isEqualTo(0);
    assertThat(cli.run("check", "--no-such-option")).isEqualTo(2);
  }
}
