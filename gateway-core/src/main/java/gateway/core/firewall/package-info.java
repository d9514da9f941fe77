/**
 * The gateway's own firewall as text: {@code FirewallPlan} (open it first; what the config asks
 * for), {@code NftRuleset} (the nftables table for {@code nft -f}) and {@code PolicyRouting} (the
 * {@code ip rule} / {@code ip route} commands for the mark). Pure: no I/O, no clock; running the
 * commands is the application's part.
 */
package gateway.core.firewall;
