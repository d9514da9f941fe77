/**
 * Binding sockets to an uplink: the interface ({@code SO_BINDTODEVICE}), the uplinks found from the
 * default routes when none are configured, and the {@code ip rule} plan that makes a source address
 * leave through its modem. On the request's path at the upstream connect, after the uplink is
 * chosen.
 */
package gateway.pcc.bind;
