/**
 * Transparent interception: the LAN's TCP, handed over by the firewall's TPROXY rule, carried on as
 * first-class flows. {@code TransparentServer} (open it first) binds the transparent listener and
 * drains it on stop; {@code InterceptInitializer} assembles each connection's pipeline and refuses,
 * before reading, a client not allowed, a destination that is the gateway itself and a client over
 * its connection limit; {@code FirstBytesHandler} reads the first bytes (a TLS ClientHello's server
 * name, with {@code gateway.proxy.sniff}) within {@code sni-max} and {@code sni-timeout}; {@code
 * InterceptedTunnel} applies the access rules, routes to the original destination through the
 * uplinks and hands the pair to {@code tunnel.TunnelSplice}. {@code InterceptLog} writes the lines
 * of connections that never became a tunnel.
 */
package gateway.proxy.intercept;
