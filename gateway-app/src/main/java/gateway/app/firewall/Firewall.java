package gateway.app.firewall;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's own nftables table and policy routing on this box, carried out through a {@link
 * CommandRunner}: {@link #install} at start, {@link #replace} on reload, {@link #remove} on stop
 * and on a start that failed. Only the gateway's table ({@code inet gateway}) and its own {@code ip
 * rule}/{@code ip route} are ever touched: other tables stay as they are.
 *
 * <p>The table goes in with one {@code nft -f} (the replace form swaps it atomically), so there is
 * never a moment with half a ruleset. Policy routing is idempotent: its rules are deleted first (a
 * missing one is no error), then added, so a gateway killed before it could clean up is repaired by
 * the next start.
 */
public final class Firewall {
  private static final Logger log = LoggerFactory.getLogger(Firewall.class);

  private static final List<String> NFT_FROM_STDIN = List.of("nft", "-f", "-");

  private final CommandRunner runner;

  /** What this process installed and has not removed; null when nothing. */
  private FirewallRules installed;

  public Firewall(CommandRunner runner) {
    this.runner = runner;
  }

  /** Installs the table (replacing one left behind) and the policy routing. */
  public synchronized void install(FirewallRules rules) throws FirewallException {
    nft(rules.table(), "install the firewall");
    try {
      routing(rules);
    } catch (FirewallException e) {
      removeQuietly(rules);
      throw e;
    }
    installed = rules;
    log.info("firewall installed: nftables table inet gateway and its policy routing");
  }

  /**
   * Puts {@code rules} in place of what is installed: the table in one {@code nft -f}; the policy
   * routing only when it changed (another mark or table). Installs when nothing is.
   */
  public synchronized void replace(FirewallRules rules) throws FirewallException {
    if (installed == null) {
      install(rules);
      return;
    }
    nft(rules.table(), "replace the firewall");
    if (!rules.routingAdd().equals(installed.routingAdd())) {
      deleteRouting(installed);
      routing(rules);
    }
    installed = rules;
    log.info("firewall replaced: nftables table inet gateway");
  }

  /** Removes what {@link #install} put in place; nothing to do when nothing is installed. */
  public synchronized void remove() throws FirewallException {
    if (installed == null) {
      return;
    }
    FirewallRules rules = installed;
    remove(rules);
    installed = null;
    log.info("firewall removed: nftables table inet gateway and its policy routing");
  }

  /**
   * Removes the gateway's table and the policy routing of {@code rules}, whether they are there or
   * not (for {@code gateway firewall --remove --apply} after a crash).
   */
  public synchronized void remove(FirewallRules rules) throws FirewallException {
    FirewallException first = null;
    try {
      nft(rules.removal(), "remove the firewall");
    } catch (FirewallException e) {
      first = e;
    }
    try {
      deleteRouting(rules);
    } catch (FirewallException e) {
      if (first == null) {
        first = e;
      }
    }
    if (first != null) {
      throw first;
    }
    if (rules.equals(installed)) {
      installed = null;
    }
  }

  /** Whether this process has the firewall installed. */
  public synchronized boolean isInstalled() {
    return installed != null;
  }

  private void removeQuietly(FirewallRules rules) {
    try {
      remove(rules);
    } catch (FirewallException e) {
      log.error("{}", e.getMessage());
    }
  }

  private void nft(String text, String what) throws FirewallException {
    try {
      runner.check(NFT_FROM_STDIN, Optional.of(text));
    } catch (CommandException e) {
      throw failure(what, e);
    }
  }

  private void routing(FirewallRules rules) throws FirewallException {
    deleteRouting(rules);
    for (List<String> add : rules.routingAdd()) {
      try {
        runner.check(add, Optional.empty());
      } catch (CommandException e) {
        throw failure("set up the firewall's policy routing", e);
      }
    }
  }

  private void deleteRouting(FirewallRules rules) throws FirewallException {
    for (List<String> del : rules.routingDelete()) {
      try {
        CommandRunner.Result r = runner.run(del, Optional.empty());
        if (!r.succeeded() && !isAbsent(r.err())) {
          throw CommandException.failed(r);
        }
      } catch (CommandException e) {
        throw failure("remove the firewall's policy routing", e);
      }
    }
  }

  /**
   * What {@code ip rule del} / {@code ip route del} say when there was nothing to delete: no such
   * rule, no such route, or (iproute2 6.x) no routing table at all.
   */
  static boolean isAbsent(String stderr) {
    return stderr.contains("No such file or directory")
        || stderr.contains("No such process")
        || stderr.contains("FIB table does not exist");
  }

  /** A sentence for the admin: what failed, the command's own words, and what to do. */
  static FirewallException failure(String what, CommandException e) {
    return new FirewallException("cannot " + what + ": " + e.getMessage() + ": " + advice(e), e);
  }

  /** What to do about a failed {@code nft} or {@code ip} command. */
  static String advice(CommandException e) {
    String program = e.command().split(" ", 2)[0];
    String manual =
        "or set firewall = manual and load what 'gateway firewall --config FILE' prints yourself";
    switch (e.kind()) {
      case NOT_FOUND:
        return "install "
            + (program.equals("nft") ? "nftables" : "iproute2")
            + " (apt-get install "
            + (program.equals("nft") ? "nftables" : "iproute2")
            + "), "
            + manual;
      case TIMED_OUT:
        return "the kernel did not answer in time; try again, " + manual;
      default:
        break;
    }
    String err = e.stderr().toLowerCase(Locale.ROOT);
    if (err.contains("operation not permitted") || err.contains("permission denied")) {
      return "run the gateway as root or give its unit"
          + " AmbientCapabilities=CAP_NET_ADMIN CAP_NET_RAW, "
          + manual;
    }
    if (err.contains("tproxy") || err.contains("socket transparent")) {
      // nft echoes the rule it could not load: the tproxy or socket expression's kernel module.
      return "the kernel lacks TPROXY: load nft_tproxy, nf_tproxy_ipv4 and nft_socket (modprobe), "
          + manual;
    }
    return "run 'gateway check --config FILE' to see what this system lacks, " + manual;
  }
}
