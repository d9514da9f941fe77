package gateway.app.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover that no user notices: faults injected with nftables in an ISP namespace while the LAN
 * client keeps making new connections through the gateway. Health runs with the office defaults (1
 * s interval, 1 s timeout, down after 3 failed rounds, up after 5 good ones).
 */
class FailoverTestbedIT {
  @TempDir static Path tmp;
  static Testbed testbed;
  Testbed.GatewayProcess gateway;
  Path accessLogPath;

  @BeforeAll
  static void up() throws Exception {
    Testbed.assumeAvailable();
    testbed = Testbed.up(tmp);
  }

  @AfterAll
  static void down() throws Exception {
    if (testbed != null) {
      testbed.close();
    }
  }

  @BeforeEach
  void startGateway() throws Exception {
    testbed.fault("all", "heal");
    accessLogPath = tmp.resolve("access-" + System.nanoTime() + ".log");
    gateway =
        testbed.startGateway(
            """
        listen = "%s:3128"
        clients.allow = ["%s"]
        uplinks = [
          { name = isp1, address = "%s", interface = %s }
          { name = isp2, address = "%s", interface = %s }
        ]
        health {
          targets = ["tcp://%s:80", "http://%s/whoami"]
          interval = 1s
          timeout = 1s
          down-after = 3
          up-after = 5
          degraded.loss = 20
        }
        log.access = "%s"
        admin.listen = "127.0.0.1:3129"
        """
                .formatted(
                    testbed.get("TB_GW_LAN"),
                    testbed.get("TB_LAN_NET"),
                    testbed.get("TB_GW_WAN1"),
                    testbed.get("TB_GW_IF_WAN1"),
                    testbed.get("TB_GW_WAN2"),
                    testbed.get("TB_GW_IF_WAN2"),
                    testbed.get("TB_ORIGIN"),
                    testbed.get("TB_ORIGIN2"),
                    accessLogPath));
  }

  @AfterEach
  void stopGateway() throws Exception {
    gateway.stop();
    testbed.fault("all", "heal");
  }

  Process steadyClients(int count, int firstPort) throws Exception {
    return testbed.startLanClient(
        "--proxy",
        testbed.get("TB_GW_LAN") + ":3128",
        "--target",
        testbed.get("TB_ORIGIN") + ":80",
        "--rate",
        "20",
        "--count",
        Integer.toString(count),
        "--first-port",
        Integer.toString(firstPort),
        "--timeout",
        "10");
  }

  Testbed.LanResult batch(int count, int firstPort) throws Exception {
    return testbed.lanClient(
        "--proxy",
        testbed.get("TB_GW_LAN") + ":3128",
        "--target",
        testbed.get("TB_ORIGIN") + ":80",
        "--count",
        Integer.toString(count),
        "--first-port",
        Integer.toString(firstPort),
        "--timeout",
        "10");
  }

  /** When the gateway logged {@code uplink NAME ... -> STATE}, waiting up to {@code limit}. */
  Instant stateChange(String uplink, String to, Instant after, Duration limit) throws Exception {
    Pattern p =
        Pattern.compile(
            "^(\\S+) \\S+\\s+\\[[^]]*] \\S+ - uplink " + uplink + " \\S+ -> " + to + "\\b.*$",
            Pattern.MULTILINE);
    long until = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < until) {
      Matcher m = p.matcher(gateway.log());
      while (m.find()) {
        Instant at = OffsetDateTime.parse(m.group(1)).toInstant();
        if (!at.isBefore(after)) {
          return at;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "no 'uplink "
            + uplink
            + " -> "
            + to
            + "' within "
            + limit
            + "; gateway log:\n"
            + gateway.log());
  }

  String accessLog() throws IOException {
    return Files.readString(accessLogPath);
  }

  double isp1Share(Testbed.LanResult r) {
    return r.ok().getOrDefault(testbed.get("TB_ISP1_NAT"), 0) / (double) Math.max(1, r.total());
  }

  @Test
  void blackholedIspIsTakenOutWithoutAFailedRequestAndComesBackAfterTheHeal() throws Exception {
    Process clients = steadyClients(400, 30000); // 20 new connections a second for 20 s
    Thread.sleep(3000);
    Instant fault = Instant.now();
    testbed.fault("isp1", "blackhole");
    Instant down = stateChange("isp1", "DOWN", fault, Duration.ofSeconds(10));
    Thread.sleep(4000);
    Instant heal = Instant.now();
    testbed.fault("isp1", "heal");
    Instant up = stateChange("isp1", "UP", heal, Duration.ofSeconds(15));
    Testbed.LanResult during = Testbed.finish(clients, Duration.ofSeconds(60));

    assertThat(during.failed())
        .as(
            "failed requests: %s (fault at %s); gateway log:%n%s%naccess log:%n%s",
            during.errors(), fault, gateway.log(), accessLog())
        .isZero();
    assertThat(Duration.between(fault, down))
        .as("time to mark isp1 down")
        .isLessThanOrEqualTo(Duration.ofSeconds(3));
    assertThat(Duration.between(heal, up))
        .as("time to bring isp1 back")
        .isLessThanOrEqualTo(Duration.ofSeconds(5 * 1 + 2));
    Testbed.LanResult after = batch(400, 31000);
    System.out.printf(
        "blackhole: %d requests, %d failed, isp1 down after %d ms, back %d ms after the heal,"
            + " isp1 share afterwards %.3f%n",
        during.total(),
        during.failed(),
        Duration.between(fault, down).toMillis(),
        Duration.between(heal, up).toMillis(),
        isp1Share(after));
    assertThat(after.failed()).isZero();
    assertThat(isp1Share(after))
        .as("isp1 carries its share again: %s", after.ok())
        .isBetween(0.4, 0.6);
  }

  @Test
  void aLinkThatGoesDownIsTakenOutWithoutAFailedRequest() throws Exception {
    Process clients = steadyClients(200, 32000);
    Thread.sleep(2000);
    Instant fault = Instant.now();
    testbed.fault("isp1", "linkdown");
    stateChange("isp1", "DOWN", fault, Duration.ofSeconds(10));
    Testbed.LanResult during = Testbed.finish(clients, Duration.ofSeconds(60));

    assertThat(during.failed()).as("failed requests: %s", during.errors()).isZero();
    assertThat(during.ok()).containsKey(testbed.get("TB_ISP2_NAT"));
  }

  @Test
  void aLossyIspIsMarkedDegradedAndLeavesTheSelection() throws Exception {
    testbed.fault("isp1", "loss", "30");
    Instant fault = Instant.now();
    stateChange("isp1", "(DEGRADED|DOWN)", fault, Duration.ofSeconds(40));
    Testbed.LanResult after = batch(200, 33000);

    assertThat(after.failed()).as("failed requests: %s", after.errors()).isZero();
    assertThat(after.ok()).containsOnlyKeys(testbed.get("TB_ISP2_NAT"));
  }

  @Test
  void withBothIspsBlackholedClientsGetA503PageAndServiceResumesAfterTheHeal() throws Exception {
    Instant fault = Instant.now();
    testbed.fault("isp1", "blackhole");
    testbed.fault("isp2", "blackhole");
    stateChange("isp1", "DOWN", fault, Duration.ofSeconds(10));
    stateChange("isp2", "DOWN", fault, Duration.ofSeconds(10));
    Testbed.LanResult outage = batch(5, 34000);
    assertThat(outage.statuses()).containsOnlyKeys("503");
    assertThat(String.join("\n", outage.errors())).contains("internet connection is down");

    Instant heal = Instant.now();
    testbed.fault("all", "heal");
    stateChange("isp1", "UP", heal, Duration.ofSeconds(15));
    Testbed.LanResult after = batch(50, 35000);
    assertThat(after.failed()).isZero();
  }
}
