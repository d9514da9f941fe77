package gateway.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.net.Cidr;
import gateway.core.net.Uplink;
import gateway.proxy.channel.Transport;
import gateway.proxy.testing.TestDnsServer;
import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DNS keeps working when an uplink dies: names are resolved through the healthy uplinks. */
class OriginResolverTest {
  final Uplink isp1 = new Uplink("isp1", RouterTest.address("127.0.0.2"), Optional.empty(), 1, 1);
  final Uplink isp2 = new Uplink("isp2", RouterTest.address("127.0.0.3"), Optional.empty(), 1, 1);
  final AtomicReference<List<Uplink>> healthy = new AtomicReference<>(List.of(isp1, isp2));
  final Transport transport = Transport.best();
  EventLoopGroup group;
  TestDnsServer dns;

  @BeforeEach
  void start() throws Exception {
    group = transport.newGroup(1);
    dns = TestDnsServer.start().add("intranet.office.test", "198.18.100.7");
  }

  @AfterEach
  void stop() {
    dns.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  OriginResolver resolver(List<Cidr> localNetworks) {
    return new OriginResolver(
        transport,
        List.of(dns.address()),
        Duration.ofMillis(500),
        localNetworks,
        healthy::get,
        java.util.Map.of());
  }

  InetAddress resolve(OriginResolver r, String name) throws Exception {
    return r.resolve(group.next(), name).get(5, TimeUnit.SECONDS);
  }

  @Test
  void queriesLeaveThroughThePreferredHealthyUplink() throws Exception {
    try (OriginResolver r = resolver(List.of())) {
      assertThat(resolve(r, "intranet.office.test").getHostAddress()).isEqualTo("198.18.100.7");
    }
    assertThat(dns.querySources())
        .extracting(InetAddress::getHostAddress)
        .containsOnly("127.0.0.2");
  }

  @Test
  void aDownUplinkIsNotAskedAtAll() throws Exception {
    healthy.set(List.of(isp2));
    try (OriginResolver r = resolver(List.of())) {
      assertThat(resolve(r, "intranet.office.test").getHostAddress()).isEqualTo("198.18.100.7");
    }
    assertThat(dns.querySources())
        .extracting(InetAddress::getHostAddress)
        .containsOnly("127.0.0.3");
  }

  @Test
  void aQueryUnansweredThroughOneUplinkIsAskedThroughTheNext() throws Exception {
    // The probes have not noticed yet that isp1's path is dead.
    dns.ignoreFrom("127.0.0.2");
    try (OriginResolver r = resolver(List.of())) {
      assertThat(resolve(r, "intranet.office.test").getHostAddress()).isEqualTo("198.18.100.7");
    }
    assertThat(dns.querySources())
        .extracting(InetAddress::getHostAddress)
        .contains("127.0.0.2", "127.0.0.3");
  }

  @Test
  void anUplinkWithResolversOfItsOwnAsksThem() throws Exception {
    try (TestDnsServer isp2Dns = TestDnsServer.start().add("intranet.office.test", "198.18.100.8");
        OriginResolver r =
            new OriginResolver(
                transport,
                List.of(dns.address()),
                Duration.ofMillis(500),
                List.of(),
                healthy::get,
                java.util.Map.of("isp2", List.of(isp2Dns.address())))) {
      healthy.set(List.of(isp2));
      assertThat(resolve(r, "intranet.office.test").getHostAddress()).isEqualTo("198.18.100.8");
      assertThat(isp2Dns.querySources())
          .extracting(InetAddress::getHostAddress)
          .containsOnly("127.0.0.3");
      assertThat(dns.querySources()).isEmpty();
    }
  }

  @Test
  void aResolverOnTheBoxsOwnNetworkIsAskedDirectly() throws Exception {
    try (OriginResolver r = resolver(List.of(Cidr.parse("127.0.0.0/8")))) {
      assertThat(resolve(r, "intranet.office.test").getHostAddress()).isEqualTo("198.18.100.7");
    }
    assertThat(dns.querySources())
        .extracting(InetAddress::getHostAddress)
        .containsOnly("127.0.0.1");
  }
}
