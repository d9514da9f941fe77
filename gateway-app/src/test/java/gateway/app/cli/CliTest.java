package gateway.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.app.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as scripts see it: output and exit codes. */
class CliTest {
  @TempDir Path dir;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  int run(String... args) {
    return new CommandLine(new Main())
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
  }

  Path file(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void checkListsEveryProblemAsFileLineMessageAndExits1() throws IOException {
    Path conf = file("bad.conf", """
        listen = "127.0.0.1:3128"
        clients.allow = ["192.168.88.0/33"]
        timeouts.connect = fast
        colour = blue
        """);

    assertThat(run("check", "--config", conf.toString())).isEqualTo(1);
    assertThat(err.toString())
        .contains("bad.conf:2: ")
        .contains("bad.conf:3: ")
        .contains("bad.conf:4: ")
        .contains("3 problem(s)");
  }

  @Test
  void checkSaysOkForAGoodConfig() throws IOException {
    Path conf = file("good.conf", "listen = \"127.0.0.1:3128\"\n");

    assertThat(run("check", "--config", conf.toString())).isEqualTo(0);
    assertThat(out.toString()).startsWith("OK: ");
  }

  @Test
  void checkOfTheShippedSampleConfigSucceeds() {
    assertThat(run("check", "--config", "../conf/gateway.conf")).isEqualTo(0);
  }

  @Test
  void aMissingConfigFileIsAnErrorNotTheDefault() {
    assertThat(run("check", "--config", dir.resolve("nope.conf").toString())).isEqualTo(1);
    assertThat(err.toString()).contains("nope.conf");
  }

  @Test
  void routesPrintsOneTablePerUplink() throws IOException {
    Path conf = file("two.conf", """
        uplinks = [
          { name = isp1, address = "198.18.11.2", interface = wan1 }
          { name = isp2, address = "198.18.12.2", interface = wan2 }
        ]
        """);

    assertThat(run("routes", "--config", conf.toString())).isEqualTo(0);
    assertThat(out.toString())
        .contains("ip rule add from 198.18.11.2 table 101")
        .contains("ip rule add from 198.18.12.2 table 102")
        .contains("table 101")
        .contains("dev wan1");
  }

  @Test
  void checkWarnsWhenThePolicyRoutingForTheUplinksIsMissing() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        java.nio.file.Files.isExecutable(Path.of("/usr/sbin/ip"))
            || java.nio.file.Files.isExecutable(Path.of("/sbin/ip"))
            || java.nio.file.Files.isExecutable(Path.of("/usr/bin/ip")),
        "needs iproute2's ip");
    // Addresses that no rule of this machine names (the testbed's live in namespaces of their own).
    Path conf = file("unrouted.conf", """
        uplinks = [
          { name = isp1, address = "198.19.201.2" }
          { name = isp2, address = "198.19.202.2" }
        ]
        """);

    assertThat(run("check", "--config", conf.toString())).isEqualTo(0);
    assertThat(out.toString())
        .contains("warning: policy routing rule missing on this system: 'ip rule add from 198.19.201.2")
        .contains("'ip rule add from 198.19.202.2");
  }

  @Test
  void helpIsEverywhereAndAWrongOptionExits2() {
    assertThat(run("--help")).isEqualTo(0);
    assertThat(run("check", "--help")).isEqualTo(0);
    assertThat(run("routes", "--help")).isEqualTo(0);
    assertThat(run("run", "--help")).isEqualTo(0);
    assertThat(run("check", "--no-such-option")).isEqualTo(2);
  }
}
