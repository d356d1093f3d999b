package dev.brownout.spring;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The fixed settings of Brownout's auto-configuration, under {@code brownout.}. The keys whose
 * names the application chooses are read by the runtime itself and are not bound here: guard
 * settings ({@code brownout.guard.<guard>.<policy>.<attribute>}), defaults ({@code
 * brownout.defaults.<policy>.<attribute>}) and switches ({@code brownout.features.<feature>}).
 *
 * <pre>
 * brownout.recover.filter.enabled=false
 * brownout.health.readiness.enabled=true
 * </pre>
 */
@ConfigurationProperties("brownout")
public class BrownoutProperties {

  private final Config config = new Config();
  private final Recover recover = new Recover();
  private final GuardedBeans guardedBeans = new GuardedBeans();
  private final Health health = new Health();
  private final Redis redis = new Redis();
  private final Admin admin = new Admin();

  /** Creates the properties with their defaults. */
  public BrownoutProperties() {}

  /** How the guard settings are checked. */
  public Config getConfig() {
    return config;
  }

  /** The recovery filter. */
  public Recover getRecover() {
    return recover;
  }

  /** Beans wrapped by their generated guarded classes. */
  public GuardedBeans getGuardedBeans() {
    return guardedBeans;
  }

  /** Health contributors. */
  public Health getHealth() {
    return health;
  }

  /** Switches shared through Redis. */
  public Redis getRedis() {
    return redis;
  }

  /** The admin page on the management server. */
  public Admin getAdmin() {
    return admin;
  }

  /** {@code brownout.config.*}. */
  public static class Config {

    /**
     * Whether every brownout.guard.* and brownout.defaults.* key must set a guard built by the time
     * the context has created its singletons; a key that sets nothing fails startup, naming it.
     */
    private boolean checkOnStartup = true;

    /** Creates the settings with their defaults. */
    public Config() {}

    /** Whether the keys are checked once the singletons are created. */
    public boolean isCheckOnStartup() {
      return checkOnStartup;
    }

    /** Sets whether the keys are checked once the singletons are created. */
    public void setCheckOnStartup(boolean checkOnStartup) {
      this.checkOnStartup = checkOnStartup;
    }
  }

  /** {@code brownout.recover.*}. */
  public static class Recover {

    private final Filter filter = new Filter();

    /** Creates the settings with their defaults. */
    public Recover() {}

    /** The Servlet filter. */
    public Filter getFilter() {
      return filter;
    }

    /** {@code brownout.recover.filter.*}. */
    public static class Filter {

      /**
       * Whether a crash in a request becomes an incident and a clean problem response (a Servlet
       * filter in front of every other).
       */
      private boolean enabled = true;

      /** Creates the settings with their defaults. */
      public Filter() {}

      /** Whether the recovery filter is registered. */
      public boolean isEnabled() {
        return enabled;
      }

      /** Sets whether the recovery filter is registered. */
      public void setEnabled(boolean enabled) {
        this.enabled = enabled;
      }

      /**
       * The circuit breakers readiness watches (payments,inventory): those whose dependency the
       * instance cannot serve without. Every breaker of the runtime when empty.
       */
      private List<String> breakers = new ArrayList<>();

      /** The breakers readiness watches; empty for all. */
      public List<String> getBreakers() {
        return breakers;
      }

      /** Sets the breakers readiness watches. */
      public void setBreakers(List<String> breakers) {
        this.breakers = breakers;
      }
    }
  }

  /** {@code brownout.guarded-beans.*}. */
  public static class GuardedBeans {

    /**
     * Whether a bean whose type has a generated guarded class is replaced by that class wrapping
     * it.
     */
    private boolean enabled = true;

    /** Creates the settings with their defaults. */
    public GuardedBeans() {}

    /** Whether beans are wrapped by their guarded classes. */
    public boolean isEnabled() {
      return enabled;
    }

    /** Sets whether beans are wrapped by their guarded classes. */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  /** {@code brownout.health.*}. */
  public static class Health {

    private final Readiness readiness = new Readiness();

    /** Creates the settings with their defaults. */
    public Health() {}

    /** The readiness contributor. */
    public Readiness getReadiness() {
      return readiness;
    }

    /** {@code brownout.health.readiness.*}. */
    public static class Readiness {

      /**
       * Whether the readiness group reports OUT_OF_SERVICE while a circuit breaker is open. Off by
       * default: an open breaker should shed the calls to one dependency, not take every instance
       * out of its load balancer. Never part of liveness nor of the overall health.
       */
      private boolean enabled;

      /** Creates the settings with their defaults. */
      public Readiness() {}

      /** Whether the readiness contributor is registered. */
      public boolean isEnabled() {
        return enabled;
      }

      /** Sets whether the readiness contributor is registered. */
      public void setEnabled(boolean enabled) {
        this.enabled = enabled;
      }

      /**
       * The circuit breakers readiness watches (payments,inventory): those whose dependency the
       * instance cannot serve without. Every breaker of the runtime when empty.
       */
      private List<String> breakers = new ArrayList<>();

      /** The breakers readiness watches; empty for all. */
      public List<String> getBreakers() {
        return breakers;
      }

      /** Sets the breakers readiness watches. */
      public void setBreakers(List<String> breakers) {
        this.breakers = breakers;
      }
    }
  }

  /** {@code brownout.redis.*}. */
  public static class Redis {

    /**
     * The Redis URI of the store the fleet shares switches through (redis://host:6379); used with
     * the application's Lettuce RedisClient bean's resources.
     */
    private @Nullable String uri;

    /** Creates the settings with their defaults. */
    public Redis() {}

    /** The Redis URI, or null. */
    public @Nullable String getUri() {
      return uri;
    }

    /** Sets the Redis URI. */
    public void setUri(@Nullable String uri) {
      this.uri = uri;
    }
  }

  /** {@code brownout.admin.*}. */
  public static class Admin {

    /**
     * Whether the admin page and its JSON API are served on the management server, under the
     * actuator base path (/actuator/brownout-admin/). Needs brownout.admin.token.
     */
    private boolean enabled;

    /**
     * The bearer token every admin read and write must send (Authorization: Bearer ...): at least
     * 16 characters of letters, digits and -._~+/=. Required when the admin is enabled.
     */
    private @Nullable String token;

    /**
     * Whether clients that are not on loopback are answered too (by default they get 403): for a
     * management port reached through its own access control.
     */
    private boolean allowRemoteClients;

    /** Creates the settings with their defaults. */
    public Admin() {}

    /** Whether the admin is served. */
    public boolean isEnabled() {
      return enabled;
    }

    /** Sets whether the admin is served. */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /** The admin's bearer token, or null. */
    public @Nullable String getToken() {
      return token;
    }

    /** Sets the admin's bearer token. */
    public void setToken(@Nullable String token) {
      this.token = token;
    }

    /** Whether clients off loopback are answered. */
    public boolean isAllowRemoteClients() {
      return allowRemoteClients;
    }

    /** Sets whether clients off loopback are answered. */
    public void setAllowRemoteClients(boolean allowRemoteClients) {
      this.allowRemoteClients = allowRemoteClients;
    }
  }
}
