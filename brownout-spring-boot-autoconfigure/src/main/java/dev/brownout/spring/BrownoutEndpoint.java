package dev.brownout.spring;

import dev.brownout.admin.AdminViews;
import dev.brownout.admin.RecentIncidents;
import dev.brownout.core.Brownout;
import dev.brownout.degradation.FeatureState;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.Priority;
import dev.brownout.degradation.Switch;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.context.SmartLifecycle;

/**
 * The {@code brownout} actuator endpoint: the runtime's level, features, circuit breakers,
 * bulkheads, executors, limiters and recent incidents, and writes that set a feature's switch or
 * the level. The views are the admin module's {@link AdminViews}: the same shapes as the admin JSON
 * API's ({@code docs/admin.md}).
 *
 * <pre>
 * GET  /actuator/brownout                       every section
 * GET  /actuator/brownout/{section}             level, features, breakers, bulkheads, executors,
 *                                               limiters or incidents
 * GET  /actuator/brownout/features/{feature}    one feature
 * POST /actuator/brownout/features/{feature}    {"setting": "OFF", "reason": "store is down"}
 * POST /actuator/brownout/level                 {"level": 2, "reason": "Black Friday"}
 * </pre>
 *
 * <p>Every write needs a reason that is not blank (a request without one is refused with 400) and
 * leaves one audit line in the log {@code dev.brownout.spring.audit}, with the principal when there
 * is one. Who may write is the application's security configuration's decision.
 *
 * <p>While the application context runs, one daemon thread ({@code brownout-endpoint-breakers})
 * counts the breakers' calls once a second, for each breaker's {@code failureRate} and {@code
 * lastSecond}.
 */
@Endpoint(id = "brownout")
public class BrownoutEndpoint implements SmartLifecycle, DisposableBean {

  private static final Logger AUDIT = LoggerFactory.getLogger("dev.brownout.spring.audit");
  private static final Logger LOG = LoggerFactory.getLogger(BrownoutEndpoint.class);
  private static final List<String> SECTIONS =
      List.of("level", "features", "breakers", "bulkheads", "executors", "limiters", "incidents");

  private final AdminViews views;
  private final Features features;
  private @Nullable ScheduledExecutorService sampler;

  /** An endpoint over {@code brownout} and its {@code features}, with no incidents. */
  public BrownoutEndpoint(Brownout brownout, Features features) {
    this.views = AdminViews.of(brownout, features);
    this.features = features;
  }

  /** An endpoint over {@code brownout}, its {@code features} and the {@code incidents} kept. */
  public BrownoutEndpoint(Brownout brownout, Features features, RecentIncidents incidents) {
    this.views = AdminViews.of(brownout, features, incidents);
    this.features = features;
  }

  /** Starts counting the breakers' calls once a second. */
  @Override
  public synchronized void start() {
    if (sampler == null) {
      ScheduledExecutorService started =
          Executors.newSingleThreadScheduledExecutor(
              task -> {
                Thread thread = new Thread(task, "brownout-endpoint-breakers");
                thread.setDaemon(true);
                return thread;
              });
      var unused = started.scheduleWithFixedDelay(this::sampleBreakerCalls, 1, 1, TimeUnit.SECONDS);
      sampler = started;
    }
  }

  /** Stops counting; the breakers' last second then stays as last counted. */
  @Override
  public synchronized void stop() {
    if (sampler != null) {
      sampler.shutdownNow();
      sampler = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return sampler != null;
  }

  /**
   * Stops counting when the context destroys its beans: a context whose refresh fails after the
   * lifecycle started destroys them without stopping it first.
   */
  @Override
  public void destroy() {
    stop();
  }

  /** One count; a failure is logged and must not end the schedule. */
  private void sampleBreakerCalls() {
    try {
      views.sampleBreakerCalls();
    } catch (RuntimeException e) {
      LOG.warn("counting the breakers' calls failed", e);
    }
  }

  /** Every section. */
  @ReadOperation
  public Map<String, Object> state() {
    Map<String, Object> state = new LinkedHashMap<>();
    for (String section : SECTIONS) {
      state.put(section, view(section));
    }
    return state;
  }

  /** One section, or nothing (404) for a section that does not exist. */
  @ReadOperation
  public @Nullable Object section(@Selector String section) {
    return SECTIONS.contains(section) ? view(section) : null;
  }

  /** One feature, or nothing (404) for a feature that does not exist. */
  @ReadOperation
  public @Nullable Map<String, @Nullable Object> feature(
      @Selector String section, @Selector String feature) {
    return section.equals("features") ? views.feature(feature) : null;
  }

  /**
   * Sets a feature's switch: {@code setting} is its text form ({@code ON}, {@code OFF}, {@code
   * ROLLOUT 25%}, {@code AUTO}, with {@code for=30m} for an OFF that expires).
   */
  @WriteOperation
  public Map<String, @Nullable Object> setFeature(
      SecurityContext security,
      @Selector String section,
      @Selector String feature,
      String setting,
      @org.springframework.lang.Nullable String reason) {
    String why = reason(reason);
    if (!section.equals("features")) {
      throw new InvalidEndpointRequestException(
          "only features are set by name, not " + section, "not a feature");
    }
    if (features.find(feature) == null) {
      // Features.set would create any name it is given, with meters of its own, for good.
      throw new InvalidEndpointRequestException(
          "no feature '" + oneLine(feature) + "'", "no such feature");
    }
    String by = by(security);
    Switch parsed;
    try {
      parsed = Switch.parse(setting).because(why).by(by);
    } catch (IllegalArgumentException e) {
      throw new InvalidEndpointRequestException(e.getMessage(), "bad switch");
    }
    String from = features.feature(feature).state().effective();
    FeatureState state = features.set(feature, parsed, "actuator");
    AUDIT.info(
        "brownout actuator: feature {} set from {} to {} by {}, reason: {}",
        oneLine(feature),
        from,
        state.effective(),
        oneLine(by),
        oneLine(why));
    return AdminViews.feature(state);
  }

  /** Sets the brownout level: 0 sheds nothing, 1 sheds P4, … 4 sheds everything but P0. */
  @WriteOperation
  public Map<String, @Nullable Object> setLevel(
      SecurityContext security,
      @Selector String section,
      int level,
      @org.springframework.lang.Nullable String reason) {
    String why = reason(reason);
    if (!section.equals("level")) {
      throw new InvalidEndpointRequestException(
          "only the level is set here, not " + section, "not the level");
    }
    if (level < 0 || level > Priority.MAX_LEVEL) {
      throw new InvalidEndpointRequestException(
          "level must be from 0 to " + Priority.MAX_LEVEL + ", not " + level, "bad level");
    }
    String by = by(security);
    int from = features.level();
    features.setLevel(level, why + " (by " + by + ")");
    AUDIT.info(
        "brownout actuator: level set from {} to {} by {}, reason: {}",
        from,
        level,
        oneLine(by),
        oneLine(why));
    return views.level();
  }

  private Object view(String section) {
    return switch (section) {
      case "level" -> views.level();
      case "features" -> views.features();
      case "breakers" -> views.breakers();
      case "bulkheads" -> views.bulkheads();
      case "executors" -> views.executors();
      case "limiters" -> views.limiters();
      case "incidents" -> views.incidents();
      default -> throw new IllegalArgumentException(section);
    };
  }

  /** The reason of a write, which every write needs. */
  private static String reason(@Nullable String reason) {
    if (reason == null || reason.isBlank()) {
      throw new InvalidEndpointRequestException(
          "a write needs a reason: add \"reason\": \"...\" to the request body", "no reason");
    }
    return reason.strip();
  }

  private static String by(SecurityContext security) {
    Principal principal = security.getPrincipal();
    return principal == null ? "actuator" : principal.getName();
  }

  /** A client's text in a log line: control characters (forged line breaks) become spaces. */
  static String oneLine(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
    return out.toString();
  }
}
