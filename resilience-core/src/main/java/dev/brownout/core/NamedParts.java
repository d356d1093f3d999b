package dev.brownout.core;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The parts of one kind a runtime holds by name (breakers, bulkheads, limiters): asking again for a
 * name with the same config gives the same part; with another config it fails, naming the
 * difference, since two callers that think they configure one part would otherwise silently share
 * the first one's.
 */
final class NamedParts<T> {

  private final String kind;
  private final Map<String, T> parts = new ConcurrentHashMap<>();
  private final Map<String, Object> configs = new ConcurrentHashMap<>();

  NamedParts(String kind) {
    this.kind = kind;
  }

  /** The part named {@code name}: the existing one (which must have this config), or a new one. */
  T get(String name, Object config, Supplier<? extends T> create, Consumer<? super T> created) {
    synchronized (parts) {
      T existing = parts.get(name);
      if (existing != null) {
        if (!Objects.equals(configs.get(name), config)) {
          throw new IllegalArgumentException(
              kind
                  + " '"
                  + name
                  + "' already exists with a different config ("
                  + ConfigValues.difference(configs.get(name), config)
                  + "); share the instance or pick another name");
        }
        return existing;
      }
      T part = create.get();
      parts.put(name, part);
      configs.put(name, config);
      created.accept(part);
      return part;
    }
  }

  Optional<T> find(String name) {
    return Optional.ofNullable(parts.get(name));
  }

  Collection<T> all() {
    return List.copyOf(parts.values());
  }
}
