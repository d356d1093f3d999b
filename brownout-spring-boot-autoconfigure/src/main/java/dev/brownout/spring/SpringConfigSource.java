package dev.brownout.spring;

import dev.brownout.core.ConfigSource;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * A runtime's settings read from Spring's {@link ConfigurableEnvironment}: {@code
 * application.properties}, YAML, profiles, command-line arguments, system properties and the
 * environment, in Spring's order of precedence.
 *
 * <p>Values are read through the environment itself, so placeholders resolve and the first source
 * that has a key wins. Keys are listed so that the runtime can check them ({@code ConfigKeys}):
 * every enumerable source lists its keys as written, except the process environment, which is
 * listed through {@link ConfigSource#environment(Map, String)} so that a variable such as {@code
 * BROWNOUT_GUARD_PRICES_TIMEOUT_DURATION} is compared with the keys the runtime knows by variable
 * name, the way the runtime's own environment source is.
 */
final class SpringConfigSource implements ConfigSource {

  private final ConfigurableEnvironment environment;

  private SpringConfigSource(ConfigurableEnvironment environment) {
    this.environment = environment;
  }

  /** The environment's settings, its process environment listed by variable name. */
  static ConfigSource of(ConfigurableEnvironment environment) {
    return new SpringConfigSource(environment)
        .or(ConfigSource.environment(variables(environment), "environment variables"));
  }

  @Override
  public Optional<String> get(String key) {
    return Optional.ofNullable(environment.getProperty(key));
  }

  @Override
  public Set<String> keys(String prefix) {
    Set<String> keys = new TreeSet<>();
    for (PropertySource<?> source : environment.getPropertySources()) {
      // The variables are listed by the fallback; Boot's "configurationProperties" source is a view
      // over all the others and is not enumerable.
      if (source instanceof EnumerablePropertySource<?> enumerable
          && !(source instanceof SystemEnvironmentPropertySource)) {
        for (String name : enumerable.getPropertyNames()) {
          if (name.startsWith(prefix)) {
            keys.add(name);
          }
        }
      }
    }
    return keys;
  }

  @Override
  public String describe() {
    return "the Spring environment";
  }

  private static Map<String, String> variables(ConfigurableEnvironment environment) {
    Map<String, String> variables = new TreeMap<>();
    PropertySource<?> source =
        environment
            .getPropertySources()
            .get(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
    if (source instanceof EnumerablePropertySource<?> enumerable) {
      for (String name : enumerable.getPropertyNames()) {
        Object value = enumerable.getProperty(name);
        if (value != null) {
          variables.put(name, value.toString());
        }
      }
    }
    return variables;
  }
}
