package gateway.proxy.testing;

import gateway.core.config.AdminConfig;
import gateway.core.config.BalanceConfig;
import gateway.core.config.CacheConfig;
import gateway.core.config.GatewayConfig;
import gateway.core.config.HealthConfig;
import gateway.core.config.LimitsConfig;
import gateway.core.config.LogConfig;
import gateway.core.config.PacConfig;
import gateway.core.config.ShutdownConfig;
import gateway.core.config.TimeoutsConfig;
import gateway.core.net.Cidr;
import gateway.core.net.ClassifierMode;
import gateway.core.net.HostPort;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A config for proxy tests: loopback clients, no uplinks, short timeouts where tests wait for them.
 */
public final class TestConfigs {
  private TestConfigs() {}

  public static GatewayConfig loopback() {
    return new GatewayConfig(
        new HostPort("127.0.0.1", 0),
        List.of(Cidr.parse("127.0.0.0/8")),
        List.of(),
        new BalanceConfig(ClassifierMode.DEFAULT, List.of()),
        new HealthConfig(
            List.of(),
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            3,
            5,
            1,
            Optional.empty(),
            Optional.empty()),
        new CacheConfig(64L << 20, Optional.empty(), 0, 16L << 20),
        Set.of(443),
        List.of(),
        new LogConfig("-", 4096),
        new HostPort("127.0.0.1", 0),
        new TimeoutsConfig(
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            Duration.ofSeconds(60)),
        new LimitsConfig(8192, 64 * 1024, 100),
        new ShutdownConfig(Duration.ofSeconds(5)),
        "test",
        List.of(),
        AdminConfig.NONE,
        PacConfig.DEFAULT);
  }
}
