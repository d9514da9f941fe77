package gateway.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.app.testing.Cli;
import gateway.core.config.ConfigLoader;
import gateway.core.firewall.FirewallPlan;
import gateway.core.firewall.NftRuleset;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gateway firewall}: the ruleset and ip commands as a shell script, for manual admins. */
class FirewallCommandTest {
  @TempDir Path dir;
  final Cli cli = new Cli();

  Path conf() throws Exception {
    Path p = dir.resolve("t.conf");
    Files.writeString(
        p,
        """
        clients.allow = ["198.18.1.0/24"]
        transparent { enabled = true, ports = [80, 443] }
        firewall = manual
        """);
    return p;
  }

  @Test
  void printsTheTableThroughNftAndTheIpRuleAsAScript() throws Exception {
    Path conf = conf();
    String table = NftRuleset.render(FirewallPlan.of(ConfigLoader.load(conf)));

    assertThat(cli.run("firewall", "--config", conf.toString())).isEqualTo(0);
    assertThat(cli.out())
        .contains("nft -f - <<'NFT'\n" + table + (table.endsWith("\n") ? "" : "\n") + "NFT\n")
        .contains("ip rule add fwmark 0x100/0x100 lookup 100")
        .endsWith("\n");
  }

  @Test
  void removePrintsTheRemovalThatSucceedsWhenNothingIsInstalled() throws Exception {
    assertThat(cli.run("firewall", "--remove", "--config", conf().toString())).isEqualTo(0);
    assertThat(cli.out())
        .contains("delete table inet gateway")
        .contains("ip rule del fwmark 0x100/0x100 lookup 100")
        .contains(" 2>/dev/null || true\n")
        .doesNotContain("ip rule add");
  }

  @Test
  void applyWithoutRemoveIsAWrongCommandLine() throws Exception {
    assertThat(cli.run("firewall", "--apply", "--config", conf().toString())).isEqualTo(2);
    assertThat(cli.err()).contains("use it with --remove");
  }

  @Test
  void aBadConfigExits1WithFileLine() throws Exception {
    Path bad = dir.resolve("bad.conf");
    Files.writeString(bad, "transparent.ports = [0]\n");

    assertThat(cli.run("firewall", "--config", bad.toString())).isEqualTo(1);
    assertThat(cli.err()).contains("bad.conf:1: ");
  }
}
