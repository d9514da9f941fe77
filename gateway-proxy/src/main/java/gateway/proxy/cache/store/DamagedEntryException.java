package gateway.proxy.cache.store;

/** A disk entry that is not what it claims: wrong magic or version, bad checksum, wrong length. */
class DamagedEntryException extends Exception {
  DamagedEntryException(String message) {
    super(message);
  }
}
