package gateway.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.net.FlowKey;
import gateway.core.net.Uplink;
import gateway.pcc.classify.Classifier;
import gateway.pcc.select.UplinkSelector;
import gateway.proxy.testing.RunningProxy;
import gateway.proxy.testing.TestConfigs;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two uplinks emulated on loopback (sources 127.0.0.2 and 127.0.0.3): every connection through the
 * proxy, plain HTTP or CONNECT, leaves from the uplink its classifier picks, and the uplinks share
 * the connections by their weights. Client ports are fixed, so each run makes the same flows.
 */
class UplinkDistributionTest {
  static final int FIRST_CLIENT_PORT = 21000;
  static final InetAddress LOCALHOST = address("127.0.0.1");

  SourceEchoOrigin origin;

  @BeforeEach
  void start() throws IOException {
    origin = new SourceEchoOrigin(20080);
  }

  @AfterEach
  void stop() throws IOException {
    origin.close();
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("both-addresses-and-ports", 1, 1, false, 1000),
        Arguments.of("both-addresses-and-ports", 2, 1, false, 1000),
        Arguments.of("both-addresses-and-ports", 1, 1, true, 1000),
        Arguments.of("both-addresses-and-ports", 2, 1, true, 1000),
        Arguments.of("src-port", 1, 1, false, 600),
        Arguments.of("both-ports", 2, 1, false, 600),
        Arguments.of("src-address-and-port", 1, 1, true, 600));
  }

  @ParameterizedTest(name = "{0} weights {1}:{2} connect={3} over {4} connections")
  @MethodSource("cases")
  void connectionsLeaveByTheClassifiersChoiceInProportionToWeight(
      String classifier, int w1, int w2, boolean connect, int connections) throws Exception {
    List<Uplink> uplinks =
        List.of(
            new Uplink("isp1", address("127.0.0.2"), Optional.empty(), w1, 1),
            new Uplink("isp2", address("127.0.0.3"), Optional.empty(), w2, 1));
    UplinkSelector selector = UplinkSelector.allAvailable(uplinks, Classifier.fromName(classifier));
    var config = TestConfigs.loopback().withConnectPorts(Set.of(443, origin.port()));
    Map<String, Integer> perUplink = new TreeMap<>();
    try (RunningProxy proxy = RunningProxy.start(config, selector::candidates, List.of())) {
      for (int i = 0; i < connections; i++) {
        int clientPort = FIRST_CLIENT_PORT + i;
        String source = fetchSource(proxy.address(), clientPort, connect);
        String expected =
            selector
                .candidates(
                    new FlowKey(LOCALHOST, clientPort, LOCALHOST, origin.port()), "127.0.0.1")
                .get(0)
                .name();
        String actual =
            source.equals("127.0.0.2") ? "isp1" : source.equals("127.0.0.3") ? "isp2" : source;
        assertThat(actual).as("uplink of the flow from port %d", clientPort).isEqualTo(expected);
        perUplink.merge(actual, 1, Integer::sum);
      }
      assertThat(
              proxy.counters().snapshot().get("isp1").connections()
                  + proxy.counters().snapshot().get("isp2").connections())
          .isEqualTo(connections);
    }
    double share1 = perUplink.getOrDefault("isp1", 0) / (double) connections;
    assertThat(share1)
        .as("share of isp1 in %s", perUplink)
        .isCloseTo(w1 / (double) (w1 + w2), Offset.offset(0.03));
  }

  @ParameterizedTest(name = "{0} keeps one client-server pair on one uplink")
  @MethodSource("addressOnlyClassifiers")
  void addressClassifiersKeepAPairOnOneUplink(String classifier) throws Exception {
    List<Uplink> uplinks =
        List.of(
            new Uplink("isp1", address("127.0.0.2"), Optional.empty(), 1, 1),
            new Uplink("isp2", address("127.0.0.3"), Optional.empty(), 1, 1));
    UplinkSelector selector = UplinkSelector.allAvailable(uplinks, Classifier.fromName(classifier));
    Map<String, Integer> perSource = new TreeMap<>();
    try (RunningProxy proxy =
        RunningProxy.start(TestConfigs.loopback(), selector::candidates, List.of())) {
      for (int i = 0; i < 50; i++) {
        perSource.merge(
            fetchSource(proxy.address(), FIRST_CLIENT_PORT + 2000 + i, false), 1, Integer::sum);
      }
    }
    assertThat(perSource).hasSize(1);
  }

  static Stream<String> addressOnlyClassifiers() {
    return Stream.of("src-address", "dst-address", "both-addresses");
  }

  /** One new connection from a fixed client port; returns the source address the origin saw. */
  private String fetchSource(InetSocketAddress proxy, int clientPort, boolean connect)
      throws IOException {
    try (Socket s = new Socket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(LOCALHOST, clientPort));
      s.connect(proxy, 5000);
      s.setSoTimeout(10_000);
      String authority = "127.0.0.1:" + origin.port();
      InputStream in = s.getInputStream();
      if (connect) {
        s.getOutputStream()
            .write(
                ("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        String established = head(in);
        assertThat(established).startsWith("HTTP/1.1 200");
        s.getOutputStream()
            .write(
                ("GET / HTTP/1.1\r\nHost: " + authority + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
      } else {
        s.getOutputStream()
            .write(
                ("GET http://"
                        + authority
                        + "/ HTTP/1.1\r\nHost: "
                        + authority
                        + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
      }
      String response = head(in);
      assertThat(response).startsWith("HTTP/1.1 200");
      int length =
          Integer.parseInt(response.replaceAll("(?s).*[Cc]ontent-[Ll]ength: (\\d+).*", "$1"));
      return new String(in.readNBytes(length), StandardCharsets.US_ASCII);
    }
  }

  private static String head(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      b.append((char) c);
      if (b.length() >= 4 && b.substring(b.length() - 4).equals("\r\n\r\n")) {
        break;
      }
    }
    return b.toString();
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
