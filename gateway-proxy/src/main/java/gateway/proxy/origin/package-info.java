/**
 * The origin leg, the last step before the internet: route to an uplink, a pooled connection or a
 * new one, the request and its body sent on, the response deadline, the response relayed back at
 * the client's pace, and one more try through the next uplink when that is safe. Open {@link
 * gateway.proxy.origin.OriginLeg} first; {@link gateway.proxy.origin.OriginResponseHandler} is the
 * handler on the upstream connection, {@link gateway.proxy.origin.ResponseWait} the wait for a
 * response (the deadline, the retry, the failure answered), {@link gateway.proxy.origin.CacheSide}
 * what the cache leg does with a response as it passes.
 */
package gateway.proxy.origin;
