/**
 * Uplink choice and connect: {@code Router} (open it first) resolves the origin and asks {@code
 * UplinkChooser} (gateway-pcc's selection) for the uplinks in preference order; {@code
 * UpstreamConnector} with {@code ConnectRace} connects through the first and races the next when it
 * stalls or fails; {@code UplinkFeedback} reports the outcome to health. Between admission and
 * forwarding on the request's path.
 */
package gateway.proxy.upstream;
