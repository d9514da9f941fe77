package gateway.proxy.http;

/** Fired into every client pipeline when the gateway starts to stop. */
public enum DrainEvent {
  INSTANCE
}
