package gateway.app.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What {@code gateway check} says a system lacks for transparent interception. */
class ReadinessTest {
  static final String ROOT = "Name:\tjava\nCapInh:\t0000000000000000\nCapEff:\t000001ffffffffff\n";
  static final String NO_NET_ADMIN = "Name:\tjava\nCapEff:\t0000000000002000\n"; // CAP_NET_RAW only

  static Readiness.Facts ready() {
    return new Readiness.Facts(true, Optional.of("1\n"), Optional.of(ROOT), Optional.empty());
  }

  @Test
  void aReadySystemHasNoProblem() {
    assertThat(Readiness.problems(ready())).isEmpty();
  }

  @Test
  void noNftSaysToInstallNftables() {
    var facts = new Readiness.Facts(false, Optional.of("1"), Optional.of(ROOT), Optional.empty());

    assertThat(Readiness.problems(facts))
        .singleElement()
        .asString()
        .startsWith("nft not found: ")
        .endsWith("install it (apt-get install nftables)");
  }

  @Test
  void forwardingOffSaysTheFallbackIsTheKernelsRoutingAndToEnableIt() {
    var facts = new Readiness.Facts(true, Optional.of("0\n"), Optional.of(ROOT), Optional.empty());

    assertThat(Readiness.problems(facts))
        .singleElement()
        .asString()
        .startsWith("net.ipv4.ip_forward=0: ")
        .contains("fall back to the kernel's routing")
        .contains("sysctl -w net.ipv4.ip_forward=1");
  }

  @Test
  void capEffWithoutBit12SaysRootOrAmbientCapabilities() {
    var facts =
        new Readiness.Facts(true, Optional.of("1"), Optional.of(NO_NET_ADMIN), Optional.empty());

    assertThat(Readiness.problems(facts))
        .singleElement()
        .asString()
        .startsWith("no CAP_NET_ADMIN: ")
        .endsWith("AmbientCapabilities=CAP_NET_ADMIN CAP_NET_RAW");
  }

  @Test
  void capEffParsesTheHexMaskByBit() {
    assertThat(Readiness.hasNetAdmin(Optional.of("CapEff:\t0000000000001000\n"))).contains(true);
    assertThat(Readiness.hasNetAdmin(Optional.of("CapEff:\t0000000000000fff\n"))).contains(false);
    assertThat(Readiness.hasNetAdmin(Optional.of("Name:\tx\n"))).isEmpty();
    assertThat(Readiness.hasNetAdmin(Optional.empty())).isEmpty();
  }

  @Test
  void aTableTheKernelRefusesSaysToLoadTheTproxyModules() {
    var facts =
        new Readiness.Facts(
            true,
            Optional.of("1"),
            Optional.of(ROOT),
            Optional.of("Error: Could not process rule: No such file or directory"));

    assertThat(Readiness.problems(facts))
        .singleElement()
        .asString()
        .contains("No such file or directory")
        .contains("modprobe nft_tproxy nf_tproxy_ipv4 nft_socket");
  }

  @Test
  void gatheredInAFreshNamespaceForwardingIsOffAndTheTableIsAccepted() throws Exception {
    NetworkNamespace.assumeAvailable();
    try (NetworkNamespace ns = NetworkNamespace.create()) {
      // The files are read inside the namespace too: its own sysctls (a new one forwards nothing).
      Readiness.Facts facts =
          Readiness.gather(
              ns.runner(),
              path -> {
                try {
                  return Optional.of(ns.show("cat", path.toString()));
                } catch (CommandException e) {
                  return Optional.empty();
                }
              },
              Plans.ports("80", 3130).table());

      assertThat(facts.nftFound()).isTrue();
      assertThat(facts.tableRefused()).isEmpty();
      assertThat(Readiness.problems(facts))
          .singleElement()
          .asString()
          .startsWith("net.ipv4.ip_forward=0: ");
      assertThat(ns.show("nft", "list", "ruleset")).as("a dry run installs nothing").isEmpty();
    }
  }

  @Test
  void problemsComeInTheOrderOfTheChecks() {
    var facts =
        new Readiness.Facts(false, Optional.of("0"), Optional.of(NO_NET_ADMIN), Optional.empty());

    assertThat(Readiness.problems(facts).stream().map(p -> p.split(":")[0]).toList())
        .isEqualTo(List.of("nft not found", "net.ipv4.ip_forward=0", "no CAP_NET_ADMIN"));
  }
}
