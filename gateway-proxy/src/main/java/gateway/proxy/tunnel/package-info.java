/**
 * CONNECT: {@code ConnectTunnel} (open it first) routes and connects upstream, answers {@code 200
 * Connection established} and swaps the client pipeline's HTTP handlers for a relay: {@code
 * SpliceRelay} (splice(2), both sockets epoll) or {@code TunnelRelay}. The forwarding step of a
 * CONNECT request; {@code TunnelLog} writes its log record when the tunnel closes.
 */
package gateway.proxy.tunnel;
