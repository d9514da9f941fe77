package gateway.app.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} of a running gateway passes {@code promtool check metrics} (Debian's {@code
 * prometheus}): the exposition format parses and every name, unit, type and help text follows
 * Prometheus's conventions.
 */
class MetricsPromtoolIT {
  @TempDir Path dir;

  @Test
  void metricsPassPromtoolCheck() throws Exception {
    Path promtool = ExternalTool.require("promtool", "prometheus");
    try (LoopbackGateway g = new LoopbackGateway(dir, "")) {
      assertThat(g.throughProxy("/one").statusCode()).isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(g.get("/metrics").body())
                      .doesNotContain("gateway_uplink_rtt_seconds{uplink=\"lo\"} NaN"));
      Path scrape = dir.resolve("metrics.txt");
      Files.writeString(scrape, g.get("/metrics").body());

      ExternalTool.Result r =
          ExternalTool.run(dir, List.of(promtool.toString(), "check", "metrics"), scrape, 60);

      assertThat(r.exit()).as("promtool check metrics:\n" + r.output()).isEqualTo(0);
      assertThat(r.output()).as("promtool's lint findings").isBlank();
      assertThat(Files.readString(scrape))
          .contains("# TYPE gateway_uplink_received_bytes_total counter")
          .contains("# TYPE gateway_uplink_loss_ratio gauge")
          .contains("# HELP gateway_uplink_rtt_seconds ");
    }
  }
}
