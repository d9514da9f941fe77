package gateway.core.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * {@code limits}: request sizes, per-client connections and rates, and the limits of client groups.
 */
final class LimitsBinder {
  private final Readers r;
  private final ClientsBinder clients;

  LimitsBinder(Readers r, ClientsBinder clients) {
    this.r = r;
    this.clients = clients;
  }

  LimitsConfig bind(ConfigObject l) {
    ConfigTree t = r.tree();
    ValueReaders v = r.values();
    return new LimitsConfig(
        t.required(l, "limits", "request-line", v.size(1, Integer.MAX_VALUE), 0L).intValue(),
        t.required(l, "limits", "header-block", v.size(1, Integer.MAX_VALUE), 0L).intValue(),
        t.required(l, "limits", "headers", v.intIn(1, Integer.MAX_VALUE), 0),
        t.required(l, "limits", "client-connections", v.intIn(0, Integer.MAX_VALUE), 0),
        t.required(l, "limits", "client-download", v::rate, 0L),
        t.required(l, "limits", "client-upload", v::rate, 0L),
        t.required(l, "limits", "groups", this::groupLimits, List.of()));
  }

  private List<GroupLimitsConfig> groupLimits(ConfigValue value, String path) {
    ConfigTree t = r.tree();
    ValueReaders v = r.values();
    List<ConfigObject> entries = t.objects(value, path);
    if (entries == null) {
      return null;
    }
    List<GroupLimitsConfig> out = new ArrayList<>();
    UniqueNames<String> limited = new UniqueNames<>(r.problems());
    for (int i = 0; i < entries.size(); i++) {
      ConfigObject g = entries.get(i);
      String p = path + "[" + i + "]";
      String group = t.required(g, p, "group", clients::groupName, null);
      Optional<Integer> connections =
          t.optional(g, p, "client-connections", v.intIn(0, Integer.MAX_VALUE));
      Optional<Long> download = t.optional(g, p, "client-download", v::rate);
      Optional<Long> upload = t.optional(g, p, "client-upload", v::rate);
      long groupDownload = t.orDefault(g, p, "group-download", v::rate, 0L);
      long groupUpload = t.orDefault(g, p, "group-upload", v::rate, 0L);
      if (group != null
          && limited.claim(
              group,
              ConfigTree.get(g, "group"),
              first ->
                  p
                      + ".group: the limits of group '"
                      + group
                      + "' are already given at line "
                      + first)) {
        out.add(
            new GroupLimitsConfig(
                group,
                connections.map(OptionalInt::of).orElse(OptionalInt.empty()),
                download.map(OptionalLong::of).orElse(OptionalLong.empty()),
                upload.map(OptionalLong::of).orElse(OptionalLong.empty()),
                groupDownload,
                groupUpload));
      }
    }
    return out;
  }
}
