package gateway.app.firewall;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What this system lacks for transparent interception, each as a sentence that says what to do (for
 * {@code gateway check}). {@link #gather} reads the facts (the {@code nft} program, the forwarding
 * sysctl, the process's capabilities, a dry run of the gateway's table); {@link #problems} decides
 * from them alone.
 */
public final class Readiness {
  /** CAP_NET_ADMIN's bit in CapEff (linux/capability.h). */
  static final int CAP_NET_ADMIN = 12;

  static final Path IP_FORWARD = Path.of("/proc/sys/net/ipv4/ip_forward");
  static final Path SELF_STATUS = Path.of("/proc/self/status");

  private Readiness() {}

  /**
   * What was found.
   *
   * @param nftFound whether {@code nft} runs at all
   * @param ipForward the content of {@code /proc/sys/net/ipv4/ip_forward}, empty when unreadable
   * @param selfStatus the content of {@code /proc/self/status}, empty when unreadable
   * @param tableRefused {@code nft -c -f}'s complaint about the gateway's table, empty when it took
   *     it (or when it was not tried: no nft, no capability)
   */
  public record Facts(
      boolean nftFound,
      Optional<String> ipForward,
      Optional<String> selfStatus,
      Optional<String> tableRefused) {}

  /**
   * Reads the facts through {@code runner} (the programs) and {@code read} (a file's content, empty
   * when it cannot be read); dry-runs {@code table} with {@code nft -c -f} when nft runs and the
   * process may administer the network.
   */
  public static Facts gather(
      CommandRunner runner, Function<Path, Optional<String>> read, String table) {
    boolean nft;
    try {
      nft = runner.run(List.of("nft", "--version"), Optional.empty()).succeeded();
    } catch (CommandException e) {
      nft = false;
    }
    Optional<String> status = read.apply(SELF_STATUS);
    Optional<String> refused = Optional.empty();
    if (nft && !Boolean.FALSE.equals(hasNetAdmin(status).orElse(null))) {
      try {
        CommandRunner.Result r = runner.run(List.of("nft", "-c", "-f", "-"), Optional.of(table));
        if (!r.succeeded()) {
          refused = Optional.of(r.err().isEmpty() ? "exit " + r.exit() : r.err());
        }
      } catch (CommandException e) {
        refused = Optional.of(e.getMessage());
      }
    }
    return new Facts(nft, read.apply(IP_FORWARD), status, refused);
  }

  /** Every problem the facts show, each a sentence that says what to do; empty when none. */
  public static List<String> problems(Facts facts) {
    List<String> out = new ArrayList<>();
    if (!facts.nftFound()) {
      out.add(
          "nft not found: transparent.enabled needs nftables for the gateway's table;"
              + " install it (apt-get install nftables)");
    }
    if (facts.ipForward().map(String::strip).filter("0"::equals).isPresent()) {
      out.add(
          "net.ipv4.ip_forward=0: with transparent.enabled the LAN's connections fall back to the"
              + " kernel's routing while the gateway is down, and with forwarding off they go"
              + " nowhere; enable forwarding (sysctl -w net.ipv4.ip_forward=1, and a file in"
              + " /etc/sysctl.d so it stays)");
    }
    if (Boolean.FALSE.equals(hasNetAdmin(facts.selfStatus()).orElse(null))) {
      out.add(
          "no CAP_NET_ADMIN: the gateway cannot install its nftables table nor listen with"
              + " IP_TRANSPARENT; run it as root or give its unit"
              + " AmbientCapabilities=CAP_NET_ADMIN CAP_NET_RAW");
    }
    facts
        .tableRefused()
        .ifPresent(
            why ->
                out.add(
                    "the kernel refuses the gateway's nftables table ("
                        + why.replace('\n', ' ')
                        + "): TPROXY is likely missing; load nft_tproxy, nf_tproxy_ipv4 and"
                        + " nft_socket (modprobe nft_tproxy nf_tproxy_ipv4 nft_socket)"));
    return out;
  }

  /**
   * Whether the {@code CapEff:} line of {@code /proc/self/status} has CAP_NET_ADMIN; empty when
   * there is no such line.
   */
  static Optional<Boolean> hasNetAdmin(Optional<String> status) {
    if (status.isEmpty()) {
      return Optional.empty();
    }
    for (String line : status.get().split("\n")) {
      if (line.startsWith("CapEff:")) {
        try {
          return Optional.of(new BigInteger(line.substring(7).strip(), 16).testBit(CAP_NET_ADMIN));
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }
}
