package gateway.app.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every device, no proxy setting: the LAN client's default route is the gateway and it knows of no
 * proxy; the packaged gateway, started with {@code transparent.enabled} and two uplinks, takes each
 * new TCP connection over through its own nftables table. Counts are taken at the origin, after
 * each ISP's NAT. A testbed of its own ({@code gwtb-tp-*}, forwarding on in the gateway box so that
 * the kernel can carry the LAN when the gateway is dead), torn down at the end.
 */
class TransparentTestbedIT {
  /** Within 3 points of the weights holds for the hash with 2000 flows, not 200 (PccTestbedIT). */
  static final int FLOWS = 2000;

  static final String DENIED = "denied.example";

  @TempDir static Path tmp;
  static Testbed testbed;
  Testbed.GatewayProcess gateway;
  Path conf;
  Path accessLog;

  @BeforeAll
  static void up() throws Exception {
    Testbed.assumeAvailable();
    testbed = Testbed.up(tmp, Map.of("TB_NS_PREFIX", "gwtb-tp-", "TB_GW_FORWARD", "1"));
  }

  @AfterAll
  static void down() throws Exception {
    if (testbed != null) {
      testbed.close();
    }
  }

  @BeforeEach
  void startGateway() throws Exception {
    conf = tmp.resolve("transparent-" + System.nanoTime() + ".conf");
    gateway = start();
  }

  /** Starts the gateway with a new access log (the previous run's stays for the report). */
  Testbed.GatewayProcess start() throws Exception {
    accessLog = tmp.resolve("access-" + System.nanoTime() + ".log");
    Files.writeString(
        conf,
        """
        listen = "%s:3128"
        clients.allow = ["%s"]
        uplinks = [
          { name = isp1, address = "%s", interface = %s }
          { name = isp2, address = "%s", interface = %s }
        ]
        health.targets = ["tcp://%s:80"]
        transparent { enabled = true, ports = all, block-quic = true }
        access = [ { name = no-denied, action = deny, domains = ["%s"] } ]
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
                DENIED,
                accessLog));
    return testbed.startGateway(conf);
  }

  @AfterEach
  void stopGateway() throws Exception {
    if (gateway != null) {
      gateway.stop();
    }
    // Whatever a test left (a killed gateway's table): the next one starts clean.
    testbed.gatewayCommand("firewall", "--remove", "--apply", "--config", conf.toString());
  }

  /** New connections straight to the origin, no proxy: {@code direct} (HTTP), {@code echo}... */
  Testbed.LanResult direct(String mode, String port, int count, int firstPort, String... more)
      throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--mode",
                mode,
                "--target",
                testbed.get("TB_ORIGIN") + ":" + port,
                "--count",
                Integer.toString(count),
                "--first-port",
                Integer.toString(firstPort),
                "--timeout",
                "5"));
    args.addAll(List.of(more));
    return testbed.lanClient(args.toArray(String[]::new));
  }

  /**
   * The origin's accepted connections on {@code dport} per source (= per ISP), after line {@code
   * from}.
   */
  Map<String, Integer> acceptsBySource(long from, String dport) throws IOException {
    Pattern accept = Pattern.compile("event=accept .*src=(\\S+) .*dport=" + dport + "\\b");
    Map<String, Integer> out = new TreeMap<>();
    try (var lines = Files.lines(testbed.originLog())) {
      lines
          .skip(from)
          .forEach(
              l -> {
                Matcher m = accept.matcher(l);
                if (m.find()) {
                  out.merge(m.group(1), 1, Integer::sum);
                }
              });
    }
    return out;
  }

  long originLines() throws IOException {
    try (var lines = Files.lines(testbed.originLog())) {
      return lines.count();
    }
  }

  double isp1Share(Map<String, Integer> bySource) {
    int total = bySource.values().stream().mapToInt(Integer::intValue).sum();
    double share = bySource.getOrDefault(testbed.get("TB_ISP1_NAT"), 0) / (double) total;
    System.out.printf("transparent testbed: %s -> isp1 share %.4f%n", bySource, share);
    return share;
  }

  String gatewayRuleset() throws Exception {
    return testbed.in("TB_NS_GW", "nft", "list", "ruleset");
  }

  @Test
  void plainHttpWithNoProxySettingIsSpreadOverBothIspsByTheWeights() throws Exception {
    long start = System.nanoTime();

    Testbed.LanResult r = direct("direct", testbed.get("TB_ORIGIN_HTTP_PORT"), FLOWS, 30000);

    assertThat(r.failed()).as("failures: %s", r.errors()).isZero();
    assertThat(r.ok().keySet())
        .containsExactlyInAnyOrder(testbed.get("TB_ISP1_NAT"), testbed.get("TB_ISP2_NAT"));
    // Counted per request at the origin (the body names the NAT address it came from): the
    // gateway keeps its upstream HTTP connections alive, so accepts would count far fewer.
    assertThat(isp1Share(r.ok())).isCloseTo(0.5, offset(0.03));
    assertThat(Files.readString(accessLog)).contains("/whoami");
    System.out.printf(
        "transparent testbed: %d HTTP connections in %d ms%n",
        FLOWS, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }

  @Test
  void aPlainHttpObjectFetchedTwiceWithNoProxySettingReachesTheOriginOnce() throws Exception {
    long from = originLines();
    String path = "/cacheable/page-" + System.nanoTime();

    for (int i = 0; i < 2; i++) {
      Testbed.LanResult r =
          direct("direct", testbed.get("TB_ORIGIN_HTTP_PORT"), 1, 44000 + i, "--path", path);
      assertThat(r.failed()).as("failures: %s", r.errors()).isZero();
    }

    assertThat(requestsFor(from, path)).as("the origin's requests for %s", path).isEqualTo(1);
    awaitLine(accessLog, "TCP_MISS/200", path);
    awaitLine(accessLog, "TCP_MEM_HIT/200", path);
  }

  /** The origin's requests for {@code path}, after line {@code from}. */
  long requestsFor(long from, String path) throws IOException {
    try (var lines = Files.lines(testbed.originLog())) {
      return lines
          .skip(from)
          .filter(l -> l.contains("event=request") && l.contains("target=" + path + " "))
          .count();
    }
  }

  @Test
  void rawTcpEchoWithNoProxySettingIsSpreadOverBothIspsByTheWeights() throws Exception {
    long from = originLines();

    Testbed.LanResult r = direct("echo", testbed.get("TB_ORIGIN_ECHO_PORT"), FLOWS, 34000);

    assertThat(r.failed()).as("failures: %s", r.errors()).isZero();
    assertThat(r.statuses()).as("every echo came back unchanged").containsOnlyKeys("200");
    assertThat(isp1Share(acceptsBySource(from, testbed.get("TB_ORIGIN_ECHO_PORT"))))
        .isCloseTo(0.5, offset(0.03));
  }

  @Test
  void tlsWithSniIsSpreadOverBothIspsAndADeniedNameIsClosedAndLogged() throws Exception {
    long from = originLines();

    Testbed.LanResult r =
        direct(
            "direct-tls",
            testbed.get("TB_ORIGIN_TLS_PORT"),
            FLOWS,
            38000,
            "--sni",
            testbed.get("TB_ORIGIN_TLS_NAME"));

    assertThat(r.failed()).as("failures: %s", r.errors()).isZero();
    assertThat(r.ok().keySet())
        .containsExactlyInAnyOrder(testbed.get("TB_ISP1_NAT"), testbed.get("TB_ISP2_NAT"));
    assertThat(isp1Share(acceptsBySource(from, testbed.get("TB_ORIGIN_TLS_PORT"))))
        .isCloseTo(0.5, offset(0.03));

    long before = originLines();
    Testbed.LanResult denied =
        direct("direct-tls", testbed.get("TB_ORIGIN_TLS_PORT"), 1, 42000, "--sni", DENIED);

    assertThat(denied.failed()).isEqualTo(1);
    assertThat(acceptsBySource(before, testbed.get("TB_ORIGIN_TLS_PORT")))
        .as("a denied name never reaches the origin")
        .isEmpty();
    awaitLine(accessLog, "TCP_DENIED", DENIED);
  }

  @Test
  void udpToPort443IsRefusedWithPortUnreachableSoBrowsersFallBackToTcp() throws Exception {
    Process echo =
        testbed.startIn("TB_NS_INET", "python3", "-u", "-c", UDP_ECHO, testbed.get("TB_ORIGIN"));
    try {
      String ready =
          new BufferedReader(new InputStreamReader(echo.getInputStream(), StandardCharsets.UTF_8))
              .readLine();
      assertThat(ready).as("the UDP echo started").isEqualTo("ready");
      // The control: UDP to another port passes the gateway (forwarded) and is answered.
      assertThat(udp("4433")).isEqualTo("answered");
      assertThat(udp("443")).isEqualTo("refused");
    } finally {
      echo.destroy();
      echo.waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void afterSigkillTheKernelCarriesTheLanUntilTheStopStepRemovesTheRulesAndARestartIntercepts()
      throws Exception {
    assertThat(gatewayRuleset()).contains("table inet gateway");

    gateway.process.destroyForcibly();
    assertThat(gateway.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(gatewayRuleset()).as("a SIGKILL leaves the table").contains("table inet gateway");

    // No listener: tproxy finds no socket, the packet goes on unmarked and the main table routes it
    // (via ISP1, masqueraded by the gateway box).
    Testbed.LanResult routed = direct("direct", testbed.get("TB_ORIGIN_HTTP_PORT"), 1, 43000);
    assertThat(routed.failed()).as("failures: %s", routed.errors()).isZero();
    assertThat(routed.ok()).containsOnlyKeys(testbed.get("TB_ISP1_NAT"));

    // The unit's ExecStopPost= step.
    testbed.gatewayCommand("firewall", "--remove", "--apply", "--config", conf.toString());
    assertThat(gatewayRuleset()).doesNotContain("table inet gateway");
    assertThat(testbed.in("TB_NS_GW", "ip", "rule", "show")).doesNotContain("fwmark");

    gateway = start();
    Testbed.LanResult again = direct("direct", testbed.get("TB_ORIGIN_HTTP_PORT"), 1, 43001);
    assertThat(again.failed()).as("failures: %s", again.errors()).isZero();
    awaitLine(accessLog, "/whoami", testbed.get("TB_LAN_CLIENT"));
  }

  /** Waits (bounded) for a line of {@code file} that holds all of {@code parts}. */
  static void awaitLine(Path file, String... parts) throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < until) {
      if (Files.exists(file)
          && Files.readAllLines(file).stream()
              .anyMatch(l -> List.of(parts).stream().allMatch(l::contains))) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(
        "no line with "
            + List.of(parts)
            + " in "
            + file
            + ":\n"
            + (Files.exists(file) ? Files.readString(file) : "(no file)"));
  }

  /**
   * {@code answered}, {@code refused} or {@code timeout}: one connected UDP socket from the LAN.
   */
  String udp(String port) throws Exception {
    return testbed
        .in("TB_NS_LAN", "python3", "-c", UDP_PROBE, testbed.get("TB_ORIGIN"), port)
        .strip();
  }

  static final String UDP_ECHO =
      """
      import socket, sys, selectors
      sel = selectors.DefaultSelector()
      for port in (443, 4433):
          s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
          s.bind((sys.argv[1], port))
          sel.register(s, selectors.EVENT_READ)
      print("ready")
      while True:
          for key, _ in sel.select(timeout=120):
              data, peer = key.fileobj.recvfrom(2048)
              key.fileobj.sendto(data, peer)
      """;

  static final String UDP_PROBE =
      """
      import socket, sys
      s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
      s.settimeout(1)
      s.connect((sys.argv[1], int(sys.argv[2])))
      result = "timeout"
      for _ in range(5):
          try:
              s.send(b"quic?")
              s.recv(2048)
              result = "answered"
              break
          except ConnectionRefusedError:
              result = "refused"
              break
          except socket.timeout:
              continue
      print(result)
      """;
}
