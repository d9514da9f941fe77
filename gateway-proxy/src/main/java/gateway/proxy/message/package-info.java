/**
 * Small helpers on HTTP messages that every step of the request path uses, with no state and no
 * channel of their own: the request target ({@link gateway.proxy.message.RequestTarget}, open it
 * first), the hop-by-hop fields ({@link gateway.proxy.message.HopByHop}), the transfer codings, the
 * trailer fields dropped ({@link gateway.proxy.message.Trailers}), and the rewriting of request and
 * response heads for the next hop ({@link gateway.proxy.message.RequestHeads}, {@link
 * gateway.proxy.message.ResponseHeads}). A low package: it imports nothing of the gateway's but
 * core.
 */
package gateway.proxy.message;
