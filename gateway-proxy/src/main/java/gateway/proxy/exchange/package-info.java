/**
 * What the steps of the request path share of one request: the {@link
 * gateway.proxy.exchange.Exchange} (open it first) with its {@link
 * gateway.proxy.exchange.CacheRole}, and the {@link gateway.proxy.exchange.ClientSide}, the client
 * connection as the legs see it.
 */
package gateway.proxy.exchange;
