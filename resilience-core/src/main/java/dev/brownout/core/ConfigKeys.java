package dev.brownout.core;

import dev.brownout.core.internal.GuardNames;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The guard configuration keys of one runtime: which keys exist, which guards and classes have been
 * built, and the checks that make sure no key is silently ignored.
 *
 * <pre>
 * brownout.guard.&lt;guard&gt;.&lt;policy&gt;.&lt;attribute&gt;   one guard (an annotated method's guard is &lt;Class&gt;.&lt;method&gt;)
 * brownout.guard.&lt;Class&gt;.&lt;policy&gt;.&lt;attribute&gt;   every guard of an annotated class
 * brownout.defaults.&lt;policy&gt;.&lt;attribute&gt;        every guard that has the policy
 * </pre>
 *
 * <p>The most specific key wins: guard, then class, then defaults, then what the code says.
 */
final class ConfigKeys {

  /*
   * When a key is checked. A runtime cannot know which guards an application will build: generated
   * classes build theirs when they are wrapped, hand-written specs whenever the code runs. So each
   * check runs at the first moment its answer cannot change:
   *   - Brownout.build(): every key has the shape of a setting (its last two parts a known policy and
   *     attribute), and no system property or variable under a prefix Brownout reads is present
   *     while the config does not read it. Depends on the config only.
   *   - GuardSpec.build(): the guard's own keys set policies it has.
   *   - GuardSpec.checkClassKeys(), called by a generated class once it has built all its guards:
   *     every key under the class's name sets a guard of the class or the whole class.
   *   - Brownout.checkConfig(), called by the application once its guards are built: every key sets
   *     a guard or class built so far.
   * Each check depends only on the config and on guards that are already built, never on the order
   * in which guards are built, so the same application fails (or not) the same way every time.
   */

  static final String GUARD = GuardNames.GUARD_PREFIX;
  static final String DEFAULTS = GuardNames.DEFAULTS_PREFIX;

  /**
   * The namespaces Brownout reads from its config (the last is the features' of {@code
   * degradation}).
   */
  static final List<String> READ_PREFIXES = List.of(GUARD, DEFAULTS, "brownout.features.");

  private final ConfigSource config;
  // Guards may be built on several threads; each check reads what has been registered when it runs,
  // and is meant to run once the guards it is about have been built.
  private final Map<String, Set<String>> guards = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> classes = new ConcurrentHashMap<>();

  ConfigKeys(ConfigSource config) {
    this.config = config;
  }

  /** A key as a source lists it; the environment lists keys that compare by variable name. */
  record Listed(String key, boolean environment) {
    boolean names(String known) {
      return environment
          ? ConfigSource.environmentName(known).equals(ConfigSource.environmentName(key))
          : known.equals(key);
    }

    boolean startsWith(String prefix) {
      return environment
          ? ConfigSource.environmentName(key).startsWith(ConfigSource.environmentName(prefix))
          : key.startsWith(prefix);
    }

    /** The key as the operator wrote it: the variable's name for the environment. */
    String shown() {
      return environment ? "environment variable " + ConfigSource.environmentName(key) : key;
    }

    String spelling(String known) {
      return environment ? "variable " + ConfigSource.environmentName(known) : known;
    }

    int distance(String known) {
      return environment
          ? editDistance(ConfigSource.environmentName(key), ConfigSource.environmentName(known))
          : editDistance(key, known);
    }
  }

  /** The keys {@code source} lists under {@code prefix}, each marked with how it compares. */
  static List<Listed> listed(ConfigSource source, String prefix) {
    List<Listed> listed = new ArrayList<>();
    if (source instanceof ConfigChain chain) {
      listed.addAll(listed(chain.first, prefix));
      listed.addAll(listed(chain.fallback, prefix));
    } else {
      boolean environment = source instanceof EnvironmentConfig;
      for (String key : source.keys(prefix)) {
        listed.add(new Listed(key, environment));
      }
    }
    return listed;
  }

  /** Every {@code <policy>.<attribute>} a key can end with. */
  static List<String> settings() {
    List<String> settings = new ArrayList<>();
    for (String policy : GuardSpec.policies()) {
      for (String attribute : GuardSpec.attributes(policy)) {
        settings.add(policy + "." + attribute);
      }
    }
    return settings;
  }

  // ---- Brownout.build()

  /**
   * Fails, listing every problem, if a key has no setting's shape or a setting present is not read.
   */
  void checkAtBuild(Properties systemProperties, Map<String, String> environment) {
    List<String> problems = new ArrayList<>();
    for (Listed key : listed(config, GUARD)) {
      if (!hasSettingShape(key)) {
        problems.add(unknown(key, "is not a setting", shapedLike(key)));
      }
    }
    for (Listed key : listed(config, DEFAULTS)) {
      if (!hasSettingShape(key)) {
        List<String> defaults = settings().stream().map(s -> DEFAULTS + s).toList();
        problems.add(unknown(key, "is not a setting", defaults));
      }
    }
    problems.addAll(unread(systemProperties, environment));
    fail(problems);
  }

  private static boolean hasSettingShape(Listed key) {
    for (String setting : settings()) {
      if (key.startsWith(DEFAULTS)
          ? key.names(DEFAULTS + setting)
          : endsWithSetting(key, setting)) {
        return true;
      }
    }
    return false;
  }

  private static boolean endsWithSetting(Listed key, String setting) {
    String name = key.environment() ? ConfigSource.environmentName(key.key()) : key.key();
    String tail = key.environment() ? "_" + ConfigSource.environmentName(setting) : "." + setting;
    int prefix = key.environment() ? ConfigSource.environmentName(GUARD).length() : GUARD.length();
    return name.endsWith(tail) && name.length() > prefix + tail.length();
  }

  /**
   * Keys of the same shape as {@code key}: its parts but the last two as the scope (the first, for
   * a key of one or two parts), with each setting; a mistake in a key is most often in its setting.
   */
  private static List<String> shapedLike(Listed key) {
    List<String> parts =
        List.of(key.key().substring(Math.min(GUARD.length(), key.key().length())).split("\\.", -1));
    String scope = String.join(".", parts.subList(0, parts.size() >= 3 ? parts.size() - 2 : 1));
    return settings().stream().map(setting -> GUARD + scope + "." + setting).toList();
  }

  /**
   * System properties and variables under a prefix Brownout reads that the config does not list: an
   * operator's {@code -Dbrownout.guard...} is ignored unless the runtime reads system properties.
   */
  private List<String> unread(Properties systemProperties, Map<String, String> environment) {
    List<Listed> read = new ArrayList<>();
    for (String prefix : READ_PREFIXES) {
      read.addAll(listed(config, prefix));
    }
    List<String> problems = new ArrayList<>();
    for (String name : new TreeSet<>(systemProperties.stringPropertyNames())) {
      if (READ_PREFIXES.stream().anyMatch(name::startsWith)
          && read.stream().noneMatch(key -> key.names(name) && !key.environment())) {
        problems.add(
            "system property "
                + name
                + " = "
                + systemProperties.getProperty(name)
                + " is not read: this runtime's"
                + " configuration is "
                + config.describe()
                + "; add .config(ConfigSource.systemProperties()) to Brownout.builder()");
      }
    }
    for (String name : new TreeMap<>(environment).keySet()) {
      boolean brownout =
          READ_PREFIXES.stream()
              .anyMatch(prefix -> name.startsWith(ConfigSource.environmentName(prefix)));
      if (brownout
          && read.stream().noneMatch(key -> ConfigSource.environmentName(key.key()).equals(name))) {
        problems.add(
            "environment variable "
                + name
                + " is not read: this runtime's configuration is "
                + config.describe()
                + "; add .config(ConfigSource.environment()) to Brownout.builder()");
      }
    }
    return problems;
  }

  // ---- guards and classes, as they are built

  /** Records a guard built from a {@link GuardSpec}, with the class it belongs to (or null). */
  void register(String guard, String inClass, Set<String> policies) {
    guards.put(guard, Set.copyOf(policies));
    if (inClass != null) {
      classes.merge(inClass, Set.copyOf(policies), ConfigKeys::union);
    }
  }

  /**
   * Fails if a key under {@code className} sets no guard of the class built so far, nor the class;
   * {@code runtimeGuards} are all the runtime's guards, for a clearer message about one built
   * without a {@link GuardSpec}.
   */
  void checkClass(String className, Set<String> runtimeGuards) {
    check(GUARD + className + ".", runtimeGuards);
  }

  /** Fails if a key sets no guard or class built so far. */
  void checkAll(Set<String> runtimeGuards) {
    check(GUARD, runtimeGuards);
    check(DEFAULTS, runtimeGuards);
  }

  private void check(String prefix, Set<String> runtimeGuards) {
    List<String> valid = valid();
    List<String> problems = new ArrayList<>();
    for (Listed key : listed(config, prefix)) {
      if (valid.stream().noneMatch(key::names)) {
        String scope = scope(key);
        problems.add(
            runtimeGuards.contains(scope) && !guards.containsKey(scope)
                ? unknown(
                    key,
                    "names guard '"
                        + scope
                        + "', built with Brownout.guard(...), which reads no configuration;"
                        + " build it from a GuardSpec to configure it",
                    List.of())
                : unknown(key, "sets no guard or class built so far", valid));
      }
    }
    fail(problems);
  }

  /** The guard or class a key under {@link #GUARD} names: its parts but the last two. */
  private static String scope(Listed key) {
    String rest = key.key().substring(Math.min(GUARD.length(), key.key().length()));
    int attribute = rest.lastIndexOf('.');
    int policy = attribute < 0 ? -1 : rest.lastIndexOf('.', attribute - 1);
    return policy < 0 ? "" : rest.substring(0, policy);
  }

  /** Every key that sets something: the guards and classes built so far, and every default. */
  private List<String> valid() {
    List<String> valid = new ArrayList<>();
    Map<String, Set<String>> scopes = new TreeMap<>(guards);
    classes.forEach((name, policies) -> scopes.merge(name, policies, ConfigKeys::union));
    scopes.forEach(
        (scope, policies) -> {
          for (String policy : policies) {
            for (String attribute : GuardSpec.attributes(policy)) {
              valid.add(GuardNames.configKey(scope, policy, attribute));
            }
          }
        });
    for (String setting : settings()) {
      valid.add(DEFAULTS + setting);
    }
    return valid;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> union = new LinkedHashSet<>(a);
    union.addAll(b);
    return Set.copyOf(union);
  }

  // ---- messages

  private String unknown(Listed key, String what, List<String> candidates) {
    String value = config.get(key.key()).orElse("");
    String message = key.shown() + " = " + value + " (from " + config.describe() + ") " + what;
    Optional<String> nearest =
        candidates.stream()
            .min(
                Comparator.<String>comparingInt(key::distance)
                    .thenComparing(Comparator.naturalOrder()));
    return nearest
        .map(n -> message + "; the nearest valid key is " + key.spelling(n))
        .orElse(message);
  }

  private static void fail(List<String> problems) {
    if (problems.size() == 1) {
      throw new IllegalArgumentException(problems.get(0));
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          problems.size() + " configuration problems:\n  " + String.join("\n  ", problems));
    }
  }

  /** Levenshtein distance: insertions, deletions and substitutions, one each. */
  static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
