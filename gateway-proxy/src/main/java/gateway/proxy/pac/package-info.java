/**
 * The proxy auto-config file ({@code /proxy.pac}, {@code /wpad.dat}): {@code ProxyPac}, a pure
 * function of where the proxy is and which networks are reached without it. Answered on the proxy
 * port at admission, and by the admin listener.
 */
package gateway.proxy.pac;
