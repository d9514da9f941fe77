package gateway.core.config;

import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One entry of {@code limits.groups}: the limits of one client group's members, in place of the
 * per-client ones in {@code limits}, and optionally one bucket the whole group shares. Rates are
 * bytes per second, 0 for no limit.
 *
 * @param group the name of a {@code clients.groups} entry
 * @param clientConnections {@code client-connections}: per member address, if set
 * @param clientDownload {@code client-download}: per member address, if set
 * @param clientUpload {@code client-upload}: per member address, if set
 * @param groupDownload {@code group-download}: all members together (0: no shared limit)
 * @param groupUpload {@code group-upload}: all members together (0: no shared limit)
 */
public record GroupLimitsConfig(
    String group,
    OptionalInt clientConnections,
    OptionalLong clientDownload,
    OptionalLong clientUpload,
    long groupDownload,
    long groupUpload) {}
