package gateway.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.net.Cidr;
import gateway.core.net.Uplink;
import gateway.proxy.channel.Transport;
import io.netty.channel.DefaultEventLoop;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which way a connection goes: through the classifier's uplinks, or directly to the box's own
 * networks.
 */
class RouterTest {
  final DefaultEventLoop loop = new DefaultEventLoop();
  final Uplink isp1 = new Uplink("isp1", address("198.18.11.2"), Optional.empty(), 1, 1);
  final Router router =
      new Router(
          new OriginResolver(Transport.nio(), List.of(), Duration.ofSeconds(1)),
          (flow, host) -> List.of(isp1),
          List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("192.168.88.0/24")));
  final InetSocketAddress client = new InetSocketAddress(address("192.168.88.10"), 50000);

  @AfterEach
  void stop() {
    router.close();
    loop.shutdownGracefully();
  }

  @Test
  void anInternetOriginGoesThroughTheChosenUplink() throws Exception {
    Route r = router.route(loop, client, "198.18.100.1", 80).get();

    assertThat(r.local()).isFalse();
    assertThat(r.uplink()).isEqualTo(isp1);
    assertThat(r.uplinkName()).isEqualTo("isp1");
  }

  @Test
  void anOriginOnTheLanOrLoopbackIsReachedDirectly() throws Exception {
    for (String local : List.of("192.168.88.5", "127.0.0.1")) {
      Route r = router.route(loop, client, local, 80).get();

      assertThat(r.local()).as(local).isTrue();
      assertThat(r.uplink()).as(local).isNull();
      assertThat(r.uplinkName()).isEqualTo("local");
    }
  }

  @Test
  void aFixedDestinationIsRoutedThereWithTheNameTheConnectionRevealed() throws Exception {
    List<String> seen = new ArrayList<>();
    Router fixed =
        new Router(
            // A resolver with no servers: any lookup would fail, so a route proves none was made.
            new OriginResolver(Transport.nio(), List.of(), Duration.ofSeconds(1)),
            (flow, host) -> {
              seen.add(flow.dstAddress().getHostAddress() + ":" + flow.dstPort() + " " + host);
              return List.of(isp1);
            },
            List.of(Cidr.parse("192.168.88.0/24")));
    try {
      InetSocketAddress dst = new InetSocketAddress(address("198.18.100.1"), 443);

      Route named = fixed.routeTo(loop, client, dst, "intranet.example").get();
      Route unnamed = fixed.routeTo(loop, client, dst, null).get();

      assertThat(named.origin()).isEqualTo(dst);
      assertThat(named.host()).isEqualTo("intranet.example");
      assertThat(named.uplinkName()).isEqualTo("isp1");
      assertThat(unnamed.host()).isEqualTo("198.18.100.1");
      assertThat(seen)
          .containsExactly("198.18.100.1:443 intranet.example", "198.18.100.1:443 198.18.100.1");
    } finally {
      fixed.close();
    }
  }

  @Test
  void aFixedDestinationOnTheLanIsReachedDirectly() throws Exception {
    Route r =
        router
            .routeTo(loop, client, new InetSocketAddress(address("192.168.88.5"), 80), null)
            .get();

    assertThat(r.local()).isTrue();
    assertThat(r.uplinkName()).isEqualTo("local");
  }

  static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
