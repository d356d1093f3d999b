package dev.brownout.admin;

import dev.brownout.core.Brownout;
import dev.brownout.core.CircuitBreaker;
import dev.brownout.degradation.FeatureState;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.Priority;
import dev.brownout.degradation.Switch;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The write endpoints: set a feature's switch, set the level, force or reset a breaker. Each takes
 * a JSON body with a reason, checks it fully before acting, and is audited.
 */
final class Writes {

  static final String BY = "admin";

  private final Brownout brownout;
  private final Features features;
  private final AdminAudit audit;

  Writes(Brownout brownout, Features features, AdminAudit audit) {
    this.brownout = brownout;
    this.features = features;
    this.audit = audit;
  }

  /** {@code {"switch":"ON|OFF|AUTO|ROLLOUT","percent":n,"reason":"...","expiresInSeconds":n}}. */
  FeatureState feature(String name, Map<String, @Nullable Object> body) {
    if (features.find(name) == null) {
      // Features.set would create any name it is given, with its own meters, for good.
      throw new AdminProblem(404, "No such feature", "no feature '" + name + "'");
    }
    only(body, Set.of("switch", "percent", "reason", "expiresInSeconds"));
    String reason = reason(body);
    String kind = text(body, "switch").toUpperCase(Locale.ROOT);
    @Nullable Object percent = body.get("percent");
    @Nullable Object expires = body.get("expiresInSeconds");
    if (percent != null && !kind.equals("ROLLOUT")) {
      throw bad("percent", percent, "is for a ROLLOUT switch only");
    }
    if (expires != null && !kind.equals("OFF")) {
      throw bad("expiresInSeconds", expires, "is for an OFF switch only");
    }
    Switch setting;
    try {
      setting =
          switch (kind) {
            case "ON" -> Switch.on().because(reason);
            case "AUTO" -> Switch.auto().because(reason);
            case "OFF" -> Switch.off(reason);
            case "ROLLOUT" -> Switch.rollout(number(body, "percent")).because(reason);
            default -> throw bad("switch", kind, "must be one of ON, OFF, AUTO, ROLLOUT");
          };
      if (expires != null) {
        setting = setting.lasting(Duration.ofSeconds(whole(body, "expiresInSeconds")));
      }
      setting = setting.by(BY);
    } catch (IllegalArgumentException e) {
      throw new AdminProblem(400, "Bad switch", e.getMessage());
    }
    String from = features.feature(name).state().effective();
    FeatureState state = features.set(name, setting, BY);
    audit.write("feature", name, from, setting.toString(), reason, BY);
    return state;
  }

  /** {@code {"level":n,"reason":"..."}}. */
  void level(Map<String, @Nullable Object> body) {
    only(body, Set.of("level", "reason"));
    String reason = reason(body);
    long level = whole(body, "level");
    if (level < 0 || level > Priority.MAX_LEVEL) {
      throw bad("level", level, "must be from 0 to " + Priority.MAX_LEVEL);
    }
    int from = features.level();
    features.setLevel((int) level, reason, BY);
    audit.write("level", Features.LEVEL, String.valueOf(from), String.valueOf(level), reason, BY);
  }

  /** {@code {"action":"force-open|force-closed|reset","reason":"..."}}. */
  CircuitBreaker breaker(String name, Map<String, @Nullable Object> body) {
    CircuitBreaker breaker =
        brownout
            .findCircuitBreaker(name)
            .orElseThrow(
                () ->
                    new AdminProblem(404, "No such breaker", "no circuit breaker '" + name + "'"));
    only(body, Set.of("action", "reason"));
    String reason = reason(body);
    String action = text(body, "action");
    String from = breaker.state().name();
    switch (action) {
      case "force-open" -> breaker.forceOpen();
      case "force-closed" -> breaker.forceClosed();
      case "reset" -> breaker.reset();
      default -> throw bad("action", action, "must be one of force-open, force-closed, reset");
    }
    String to = breaker.state().name();
    audit.breakerAction(Instant.now(), name, from, to, reason);
    audit.write("breaker", name, from, to + " (" + action + ")", reason, BY);
    return breaker;
  }

  static String reason(Map<String, @Nullable Object> body) {
    @Nullable Object reason = body.get("reason");
    if (!(reason instanceof String text) || text.isBlank()) {
      throw new AdminProblem(
          400, "A reason is required", "send a non-empty \"reason\": every write is audited");
    }
    if (text.length() > 200 || text.chars().anyMatch(Character::isISOControl)) {
      throw bad(
          "reason",
          "a text of " + text.length() + " characters",
          "must be one line of at most 200 characters");
    }
    return text.strip();
  }

  static void only(Map<String, @Nullable Object> body, Set<String> known) {
    for (String member : body.keySet()) {
      if (!known.contains(member)) {
        throw new AdminProblem(
            400,
            "Unknown member",
            "'" + member + "' is not one of " + known.stream().sorted().toList());
      }
    }
  }

  static String text(Map<String, @Nullable Object> body, String member) {
    if (!(body.get(member) instanceof String text)) {
      throw bad(member, body.get(member), "must be a string");
    }
    return text;
  }

  private static double number(Map<String, @Nullable Object> body, String member) {
    if (!(body.get(member) instanceof Double number)) {
      throw bad(member, body.get(member), "must be a number");
    }
    return number;
  }

  private static long whole(Map<String, @Nullable Object> body, String member) {
    double number = number(body, member);
    if (number != Math.rint(number) || Math.abs(number) > 1e12) {
      throw bad(member, number, "must be a whole number");
    }
    return (long) number;
  }

  static AdminProblem bad(String member, @Nullable Object value, String rule) {
    return new AdminProblem(400, "Bad request body", member + " " + rule + ", but was " + value);
  }
}
