package gateway.app.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The firewall against the real {@code nft} and {@code ip}, in a network namespace of the test's
 * own: what install, replace and remove leave in the kernel, and that another table is never
 * touched. Skipped with the reason where the machine cannot make namespaces (not root, no nft).
 */
class FirewallTest {
  NetworkNamespace ns;
  Firewall firewall;

  @BeforeEach
  void namespace() throws Exception {
    NetworkNamespace.assumeAvailable();
    ns = NetworkNamespace.create();
    firewall = new Firewall(ns.runner());
  }

  @AfterEach
  void deleteNamespace() {
    if (ns != null) {
      ns.close();
    }
  }

  /** A foreign table, as an admin's own ruleset would have it. */
  void foreignTable() throws Exception {
    ns.runner()
        .check(
            List.of("nft", "-f", "-"),
            Optional.of(
                """
                table inet other {
                	chain input {
                		type filter hook input priority filter; policy accept;
                		tcp dport 22 accept
                	}
                }
                """));
  }

  String ruleset() throws Exception {
    return ns.show("nft", "list", "ruleset");
  }

  String ipRules() throws Exception {
    return ns.show("ip", "rule", "show");
  }

  @Test
  void installPutsTheTableAndTheFwmarkRuleWithItsLocalRouteInPlace() throws Exception {
    firewall.install(Plans.ports("80, 443", 3130));

    assertThat(ns.show("nft", "list", "table", "inet", "gateway"))
        .contains("tproxy ip to :3130")
        .contains("80, 443");
    assertThat(ipRules()).contains("fwmark 0x100/0x100 lookup 100");
    assertThat(ns.show("ip", "route", "show", "table", "100")).contains("local default dev lo");
    assertThat(firewall.isInstalled()).isTrue();
  }

  @Test
  void replaceSwapsTheTableForTheNewPlanAndKeepsOneFwmarkRule() throws Exception {
    firewall.install(Plans.ports("80, 443", 3130));

    firewall.replace(Plans.ports("8080", 3131));

    String table = ns.show("nft", "list", "table", "inet", "gateway");
    assertThat(table)
        .contains("tproxy ip to :3131")
        .contains("elements = { 8080 }")
        .doesNotContain("elements = { 80, 443 }");
    assertThat(ipRules().lines().filter(l -> l.contains("fwmark 0x100/0x100"))).hasSize(1);
  }

  @Test
  void aForeignTableIsUntouchedByInstallReplaceAndRemove() throws Exception {
    foreignTable();
    String before = ns.show("nft", "list", "table", "inet", "other");

    firewall.install(Plans.ports("80", 3130));
    assertThat(ns.show("nft", "list", "table", "inet", "other")).isEqualTo(before);
    firewall.replace(Plans.ports("443", 3130));
    assertThat(ns.show("nft", "list", "table", "inet", "other")).isEqualTo(before);
    firewall.remove();
    assertThat(ns.show("nft", "list", "table", "inet", "other")).isEqualTo(before);
    assertThat(ruleset()).doesNotContain("table inet gateway");
  }

  @Test
  void removeTakesTheTableTheRuleAndTheRouteAway() throws Exception {
    firewall.install(Plans.ports("80", 3130));

    firewall.remove();

    assertThat(ruleset()).doesNotContain("table inet gateway");
    assertThat(ipRules()).doesNotContain("fwmark");
    assertThat(
            ns.runner().run(List.of("ip", "route", "show", "table", "100"), Optional.empty()).out())
        .isEmpty();
    assertThat(firewall.isInstalled()).isFalse();
  }

  @Test
  void removeWhenNothingIsInstalledSucceeds() throws Exception {
    firewall.remove(Plans.ports("80", 3130));

    assertThat(ruleset()).doesNotContain("table inet gateway");
    assertThat(ipRules()).doesNotContain("fwmark");
  }

  @Test
  void installOverWhatACrashedGatewayLeftReplacesItWithoutDuplicates() throws Exception {
    new Firewall(ns.runner()).install(Plans.ports("80", 3130));

    firewall.install(Plans.ports("443", 3130));

    assertThat(ns.show("nft", "list", "table", "inet", "gateway")).contains("443");
    assertThat(ruleset().lines().filter(l -> l.startsWith("table inet gateway"))).hasSize(1);
    assertThat(ipRules().lines().filter(l -> l.contains("fwmark 0x100/0x100"))).hasSize(1);
  }

  @Test
  void aRulesetTheKernelRefusesIsASentenceNamingTheCommandAndWhatToDo() throws Exception {
    FirewallRules broken =
        new FirewallRules(
            "table inet gateway { chain c { nonsense } }\n", "", List.of(), List.of());

    FirewallException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            FirewallException.class, () -> firewall.install(broken));

    assertThat(e.getMessage())
        .startsWith("cannot install the firewall: 'nft -f -' exited 1: ")
        .contains("Error:")
        .contains("gateway check --config FILE")
        .contains("firewall = manual");
    assertThat(ruleset()).doesNotContain("table inet gateway");
  }
}
