package gateway.core.config;

/**
 * {@code pac.*}: the proxy auto-config file served at {@code /proxy.pac} and {@code /wpad.dat}.
 *
 * @param directFallback {@code pac.direct-fallback}, default false: when true the PAC file ends in
 *     {@code PROXY gateway:3128; DIRECT}, so browsers go straight to the internet while the gateway
 *     does not answer. Only right where the box (or another router) also forwards the LAN's
 *     traffic: otherwise DIRECT has no route, and it bypasses the access rules.
 */
public record PacConfig(boolean directFallback) {

  public static final PacConfig DEFAULT = new PacConfig(false);
}
