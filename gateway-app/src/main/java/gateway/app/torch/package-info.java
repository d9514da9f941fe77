/**
 * {@code gateway torch UPLINK}: the busiest flows on one uplink's interface, live, from a packet
 * capture (libpcap). Beside the request's path, not on it: it watches packets the kernel sends
 * through the uplink, whoever sent them.
 */
package gateway.app.torch;
