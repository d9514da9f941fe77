package gateway.app.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.app.testing.GatewayProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page in a real browser: headless Chromium (Debian's {@code chromium}) loads it from a
 * running gateway with two uplinks, one up and one whose probes are refused (down), and the DOM it
 * renders is checked. Screenshots (desktop and phone width) are left in {@code target/} and copied
 * to {@code docs/} by hand when the page changes.
 */
class StatusPageChromiumIT {
  @TempDir Path dir;

  static List<String> chromium(Path chromium, Path profile, String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                chromium.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--user-data-dir=" + profile,
                "--hide-scrollbars",
                "--virtual-time-budget=4000"));
    cmd.addAll(List.of(args));
    return cmd;
  }

  @Test
  void chromiumShowsEachUplinkWithItsStateChartsAndTheClients() throws Exception {
    Path chromium = ExternalTool.require("chromium", "chromium");
    int refused = GatewayProcess.freePort();
    // isp2 binds 127.0.0.2 (loopback too) and probes a port nobody listens on: it goes DOWN.
    try (LoopbackGateway g =
        new LoopbackGateway(
            dir,
            """
        uplinks = [
          { name = isp1, address = "127.0.0.1", weight = 2 }
          { name = isp2, address = "127.0.0.2", health-targets = ["tcp://127.0.0.1:%d"] }
        ]
        health.down-after = 2
        """
                .formatted(refused))) {
      for (int i = 0; i < 3; i++) {
        assertThat(g.throughProxy("/page-" + i).statusCode()).isEqualTo(200);
      }
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () -> {
                Map<String, Object> s = AdminListenerTest.status(g);
                assertThat(AdminListenerTest.uplink(s, 0).get("state")).isEqualTo("UP");
                assertThat(AdminListenerTest.uplink(s, 0).get("rttMs")).isNotNull();
                assertThat(AdminListenerTest.uplink(s, 1).get("state")).isEqualTo("DOWN");
                // A few seconds of samples, so that the charts have lines.
                assertThat(
                        (List<?>)
                            ((Map<?, ?>) AdminListenerTest.uplink(s, 0).get("samples")).get("at"))
                    .hasSizeGreaterThan(3);
              });
      String url = g.adminUrl("/");

      ExternalTool.Result dom =
          ExternalTool.run(
              dir,
              chromium(
                  chromium, Files.createDirectories(dir.resolve("profile-dom")), "--dump-dom", url),
              120);

      assertThat(dom.exit()).as(dom.output()).isEqualTo(0);
      String html = dom.output();
      assertThat(uplinkState(html, "isp1")).isEqualTo("UP");
      assertThat(uplinkState(html, "isp2")).isEqualTo("DOWN");
      assertThat(html).contains("1 of 2 uplinks up");
      // isp2's history tells why it went down; isp1 had no change.
      assertThat(html).contains("UP → DOWN: 2 failed rounds in a row");
      assertThat(html).contains("no state change since start");
      // RTT, loss and throughput charts per uplink, drawn as inline SVG.
      assertThat(count(html, "<svg viewBox=\"0 0 600 70\"")).isEqualTo(6);
      assertThat(html).containsPattern("<path d=\"M[0-9.]+ [0-9.]+L");
      // Top clients: this machine made three requests.
      assertThat(html)
          .containsPattern(
              "<td>127\\.0\\.0\\.1</td><td class=\"n\">\\d+</td><td class=\"n\">3</td>");
      // The memory cache's figures: none of the three requests was a hit.
      assertThat(html)
          .contains("hit ratio<b id=\"hit-ratio\">0 %</b>")
          .contains("disk writes<b>on</b>");
      // The page refreshed itself from /api/status without an error.
      assertThat(html)
          .contains("<div class=\"error\" id=\"error\" style=\"display: none;\"></div>");

      for (String[] shot :
          new String[][] {
            {"status-page.png", "1280,1000"}, {"status-page-phone.png", "390,1400"}
          }) {
        Path png = Path.of("target", shot[0]).toAbsolutePath();
        Files.deleteIfExists(png);
        ExternalTool.Result r =
            ExternalTool.run(
                dir,
                chromium(
                    chromium,
                    Files.createDirectories(dir.resolve("profile-" + shot[0])),
                    "--window-size=" + shot[1],
                    "--screenshot=" + png,
                    url),
                120);
        assertThat(r.exit()).as(r.output()).isEqualTo(0);
        assertThat(png).isNotEmptyFile();
        byte[] head = Files.readAllBytes(png);
        assertThat(head).startsWith(0x89, 'P', 'N', 'G');
      }
    }
  }

  /** The state badge inside the card of {@code uplink}. */
  static String uplinkState(String html, String uplink) {
    Matcher m =
        Pattern.compile(
                "data-uplink=\""
                    + uplink
                    + "\"><h2><span class=\"name\">"
                    + uplink
                    + "</span><span class=\"state (\\w+)\">(\\w+)</span>")
            .matcher(html);
    assertThat(m.find()).as("a card for uplink " + uplink + " in:\n" + html).isTrue();
    assertThat(m.group(1)).isEqualTo(m.group(2));
    return m.group(2);
  }

  static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
