/**
 * Accept: {@code ProxyServer} (open it first) binds the listening socket and drains it on stop;
 * {@code ClientInitializer} assembles each client connection's pipeline in the order bytes travel
 * (read gate, idle timeout, request-head timer, HTTP codec, the client handler); {@code
 * ClientConnections} counts connections per client. The first step of the request's path.
 */
package gateway.proxy.server;
