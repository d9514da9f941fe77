package gateway.core.config;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Walks the config tree: sections, required and optional keys, lists and objects. Every problem is
 * reported with the origin of the value it is about (its {@code file:line}) and starts with the key
 * path, e.g. {@code uplinks[1].weight}.
 */
final class ConfigTree {
  private final Problems problems;

  ConfigTree(Problems problems) {
    this.problems = problems;
  }

  Problems problems() {
    return problems;
  }

  /**
   * The sub-object at {@code key}, empty when absent; null (and one problem) when it is not an
   * object.
   */
  ConfigObject section(ConfigObject parent, String parentPath, String key) {
    ConfigValue v = get(parent, key);
    if (v == null) {
      return parent == null ? null : ConfigFactory.empty().root();
    }
    return object(v, join(parentPath, key));
  }

  <T> T required(ConfigObject o, String path, String key, ValueReader<T> reader, T placeholder) {
    if (o == null) {
      return placeholder; // the enclosing section was not an object: reported already
    }
    ConfigValue v = get(o, key);
    if (v == null && o.get(key) != null) {
      problems.add(o.get(key).origin(), join(path, key) + ": needs a value, not null");
      return placeholder;
    }
    if (v == null) {
      problems.add(o.origin(), (path.isEmpty() ? "" : path + ": ") + "'" + key + "' is required");
      return placeholder;
    }
    T t = reader.read(v, join(path, key));
    return t == null ? placeholder : t;
  }

  <T> T orDefault(ConfigObject o, String path, String key, ValueReader<T> reader, T dflt) {
    return optional(o, path, key, reader).orElse(dflt);
  }

  <T> Optional<T> optional(ConfigObject o, String path, String key, ValueReader<T> reader) {
    ConfigValue v = get(o, key);
    return v == null ? Optional.empty() : Optional.ofNullable(reader.read(v, join(path, key)));
  }

  /**
   * A list whose elements {@code element} reads; elements that fail are left out (and reported).
   */
  <T> ValueReader<List<T>> listOf(ValueReader<T> element) {
    return (value, path) -> {
      if (value.valueType() != ConfigValueType.LIST) {
        problems.add(
            value.origin(),
            path + ": expected a list [ ... ], found " + describe(value.valueType()));
        return null;
      }
      ConfigList list = (ConfigList) value;
      List<T> out = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        T t = element.read(list.get(i), path + "[" + i + "]");
        if (t != null) {
          out.add(t);
        }
      }
      return out;
    };
  }

  List<ConfigObject> objects(ConfigValue value, String path) {
    return listOf(this::object).read(value, path);
  }

  ConfigObject object(ConfigValue value, String path) {
    if (value.valueType() != ConfigValueType.OBJECT) {
      problems.add(
          value.origin(),
          path + ": expected an object { ... }, found " + describe(value.valueType()));
      return null;
    }
    return (ConfigObject) value;
  }

  /** The value at {@code key}, or null when absent or written as {@code null}. */
  static ConfigValue get(ConfigObject o, String key) {
    if (o == null) {
      return null;
    }
    ConfigValue v = o.get(key);
    return v == null || v.valueType() == ConfigValueType.NULL ? null : v;
  }

  static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** The text of a string, number or boolean as written; null for lists, objects and null. */
  static String scalarText(ConfigValue value) {
    return switch (value.valueType()) {
      case STRING, NUMBER, BOOLEAN -> String.valueOf(value.unwrapped());
      default -> null;
    };
  }

  /** A value for a message: a scalar quoted, else what it is ({@code a list}). */
  static String render(ConfigValue value) {
    String s = scalarText(value);
    return s == null ? describe(value.valueType()) : "'" + s + "'";
  }

  static String describe(ConfigValueType type) {
    return switch (type) {
      case OBJECT -> "an object";
      case LIST -> "a list";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      case STRING -> "a string";
    };
  }
}
