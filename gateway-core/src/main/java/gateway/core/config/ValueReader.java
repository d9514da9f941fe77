package gateway.core.config;

import com.typesafe.config.ConfigValue;

/** Reads one value at {@code path}; returns null after reporting a problem. */
@FunctionalInterface
interface ValueReader<T> {
  T read(ConfigValue value, String path);
}
