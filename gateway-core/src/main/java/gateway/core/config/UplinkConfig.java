package gateway.core.config;

import java.net.InetAddress;
import java.util.Optional;

/**
 * One entry of {@code uplinks}: {@code { name, address, interface, weight = 1, tier = 1,
 * interface-optional = false }}.
 *
 * @param address source address every upstream socket of this uplink is bound to
 * @param interfaceName {@code interface}: device to bind to with SO_BINDTODEVICE, if any
 * @param interfaceOptional {@code interface-optional}: when binding to the device is not permitted, run
 *     with source-address binding only (one WARN line) instead of refusing to start
 */
public record UplinkConfig(
    String name,
    InetAddress address,
    Optional<String> interfaceName,
    int weight,
    int tier,
    boolean interfaceOptional) {}
