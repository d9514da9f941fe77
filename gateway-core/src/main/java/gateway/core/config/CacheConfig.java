package gateway.core.config;

import java.nio.file.Path;
import java.util.Optional;

/** {@code cache.*}: memory tier size, optional disk tier, and the largest object cached. */
public record CacheConfig(
    long memoryBytes, Optional<Path> diskPath, long diskBytes, long maxObjectBytes) {}
