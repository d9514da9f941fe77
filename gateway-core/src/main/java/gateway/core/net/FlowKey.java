package gateway.core.net;

import java.net.InetAddress;

/**
 * What a per-connection classifier hashes: the client's address and port as the gateway sees them
 * and the resolved origin address and port the gateway is about to connect to.
 */
public record FlowKey(InetAddress srcAddress, int srcPort, InetAddress dstAddress, int dstPort) {}
