/**
 * What an intercepted connection's first bytes say, before anything is forwarded: {@link
 * gateway.proxy.sniff.FirstBytes} tells an HTTP/1.x request line from a TLS handshake from anything
 * else, and {@link gateway.proxy.sniff.ClientHello} reads the server name (SNI) out of a TLS
 * ClientHello without decrypting anything. Pure functions of the prefix of the client's stream
 * ({@code byte[]} plus a length): no Netty, no {@code java.nio}, no clock; the handler that buffers
 * the bytes keeps the time and calls again when more arrive ({@code LayeringTest} in gateway-app
 * holds it).
 */
package gateway.proxy.sniff;
