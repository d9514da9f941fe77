package gateway.core.config;

/** What every section binder reads with: the tree, and the readers of single and network values. */
record Readers(ConfigTree tree, ValueReaders values, NetReaders net) {

  static Readers reportingTo(Problems problems) {
    ValueReaders values = new ValueReaders(problems);
    return new Readers(new ConfigTree(problems), values, new NetReaders(problems, values));
  }

  Problems problems() {
    return tree.problems();
  }
}
