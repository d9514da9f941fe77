/**
 * The client connection, the first step of the request path after the server accepted it: the guard
 * ({@link gateway.proxy.http.RequestHeadTimer}), read control, the queue of pipelined requests
 * ({@link gateway.proxy.http.PipelinedRequests}), each exchange's lifecycle from its head to its
 * log line, the connection's events and cleanup, and the hand-over of a CONNECT to the tunnel. Open
 * {@link gateway.proxy.http.ClientHandler} first: it asks admission, then gives the request to the
 * cache leg, which sends it on through the origin leg; the legs report the exchange's end to the
 * {@link gateway.proxy.http.ClientConnection}, which logs it and serves the next request. {@link
 * gateway.proxy.http.HttpHandlers} is the HTTP part of the pipeline; {@link
 * gateway.proxy.http.InterceptedHttp} puts it on an intercepted connection (transparent mode),
 * whose every request goes to the address the client connected to.
 */
package gateway.proxy.http;
