/**
 * The gateway's own nftables table and {@code ip rule}s on the box: {@code Firewall} (open it
 * first) installs, replaces and removes them through a {@code CommandRunner} (the {@code nft} and
 * {@code ip} programs, each run bounded in time), and {@code Readiness} says what the kernel or the
 * process lacks for transparent interception. The rules' text is pure and lives in {@code
 * gateway.core.firewall}; this package only carries it out.
 */
package gateway.app.firewall;
