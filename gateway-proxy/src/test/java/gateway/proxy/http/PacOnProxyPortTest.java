package gateway.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.config.PacConfig;
import gateway.core.log.AccessRecord;
import gateway.core.log.CacheAction;
import gateway.core.net.Cidr;
import gateway.proxy.testing.RawClient;
import gateway.proxy.testing.RunningProxy;
import gateway.proxy.testing.TestConfigs;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Browsers told to use {@code http://gateway:3128/proxy.pac} fetch it from the proxy port in
 * origin-form: the gateway answers with the PAC file pointing at the address they reached, and the
 * connection goes on serving proxy requests.
 */
class PacOnProxyPortTest {

  @Test
  void originFormGetOfProxyPacIsThePacFileAndTheConnectionStaysUsable() throws Exception {
    try (RunningProxy proxy = RunningProxy.start(TestConfigs.loopback());
        RawClient c = new RawClient(proxy.address())) {
      c.send("GET /proxy.pac HTTP/1.1\r\nHost: 127.0.0.1:" + proxy.port() + "\r\n\r\n");
      RawClient.Response r = c.read();

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("content-type")).isEqualTo("application/x-ns-proxy-autoconfig");
      assertThat(r.bodyText())
          .startsWith("// gateway proxy auto-config v1\n")
          .contains("isInNet(host, \"127.0.0.0\", \"255.0.0.0\")")
          .contains("return \"PROXY 127.0.0.1:" + proxy.port() + "\";");
      AccessRecord logged = proxy.nextRecord();
      assertThat(logged.action()).isEqualTo(CacheAction.TAG_NONE);
      assertThat(logged.status()).isEqualTo(200);
      assertThat(logged.url()).isEqualTo("http://127.0.0.1:" + proxy.port() + "/proxy.pac");
      assertThat(logged.uplink()).isNull();

      c.send("GET /wpad.dat?x=1 HTTP/1.1\r\nHost: wpad\r\n\r\n");
      assertThat(c.read().bodyText()).contains("FindProxyForURL");
      c.send("HEAD /proxy.pac HTTP/1.1\r\nHost: wpad\r\n\r\n");
      RawClient.Response head = c.read(true);
      assertThat(head.status()).isEqualTo(200);
      assertThat(Integer.parseInt(head.header("content-length"))).isGreaterThan(100);
      // Any other origin-form request is still not a proxy request.
      c.send("GET /index.html HTTP/1.1\r\nHost: wpad\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(400);
    }
  }

  @Test
  void withDirectFallbackBrowsersMayGoStraightOut() throws Exception {
    try (RunningProxy proxy =
            RunningProxy.start(TestConfigs.loopback().withPac(new PacConfig(true)));
        RawClient c = new RawClient(proxy.address())) {
      c.send("GET /proxy.pac HTTP/1.0\r\n\r\n");
      RawClient.Response r = c.read();
      assertThat(r.bodyText()).contains("return \"PROXY 127.0.0.1:" + proxy.port() + "; DIRECT\";");
      assertThat(c.closedByPeer()).isTrue();
    }
  }

  @Test
  void aClientOutsideClientsAllowGetsNoPacFile() throws Exception {
    try (RunningProxy proxy =
            RunningProxy.start(
                TestConfigs.loopback().withClientsAllow(List.of(Cidr.parse("198.18.0.0/24"))));
        RawClient c = new RawClient(proxy.address())) {
      c.send("GET /proxy.pac HTTP/1.1\r\nHost: wpad\r\n\r\n");
      assertThat(c.read().status()).isNotEqualTo(200);
    }
  }
}
