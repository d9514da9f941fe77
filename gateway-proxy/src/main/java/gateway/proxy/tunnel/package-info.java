/**
 * Tunnels. CONNECT: {@code ConnectTunnel} (open it first) routes and connects upstream, answers
 * {@code 200 Connection established} and takes the HTTP handlers out of the client pipeline. Then,
 * for CONNECT and intercepted connections alike, {@code TunnelSplice} puts a relay on each side:
 * {@code SpliceRelay} (splice(2), both sockets epoll) or {@code TunnelRelay}. {@code TunnelLog}
 * writes the tunnel's log record when it closes.
 */
package gateway.proxy.tunnel;
