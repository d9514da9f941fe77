package gateway.proxy.cache.store;

/**
 * A file that does not start with the entry magic: not one the store wrote, whatever its name. The
 * start-up scan leaves such files alone; only files of our own format are ever deleted.
 */
final class ForeignFileException extends DamagedEntryException {
  ForeignFileException(String message) {
    super(message);
  }
}
