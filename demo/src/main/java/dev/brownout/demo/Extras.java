package dev.brownout.demo;

import dev.brownout.core.Brownout;
import dev.brownout.core.CircuitBreaker;
import dev.brownout.degradation.Feature;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.Priority;
import dev.brownout.degradation.Switch;
import dev.brownout.degradation.Trigger;

/**
 * The guarded parts with their features defined: each AUTO (off while its breaker rejects calls),
 * with a priority for the brownout level. Labels what a degraded part was served by.
 */
final class Extras {

  private final QuestionExtras guarded;
  private final Feature comments;
  private final Feature avatars;
  private final Feature recommendations;

  Extras(Brownout brownout, Downstream downstream, CommentsMigration migration) {
    guarded = brownout.wrap(QuestionExtras.class, new QuestionExtras.Live(downstream, migration));
    Features features = Features.of(brownout);
    features.define(QuestionExtras.Features.PARENT).priority(Priority.P1).register();
    comments = auto(brownout, features, QuestionExtras.Features.COMMENTS, Priority.P2, "comments");
    avatars = auto(brownout, features, QuestionExtras.Features.AVATARS, Priority.P4, "avatars");
    recommendations =
        auto(
            brownout,
            features,
            QuestionExtras.Features.RECOMMENDATIONS,
            Priority.P3,
            "recommendations");
  }

  private static Feature auto(
      Brownout brownout, Features features, String name, Priority priority, String guard) {
    CircuitBreaker breaker = brownout.findCircuitBreaker(guard).orElseThrow();
    return features
        .define(name)
        .priority(priority)
        .trigger(Trigger.breakerOpen(breaker))
        .initially(Switch.auto())
        .register();
  }

  Part comments(int question) throws Exception {
    return served(comments.isEnabled(question), guarded.comments(question));
  }

  Part avatar(String user) throws Exception {
    return served(avatars.isEnabled(user), guarded.avatar(user));
  }

  Part recommendations(int question) throws Exception {
    return served(recommendations.isEnabled(question), guarded.recommendations(question));
  }

  /** A live value served while the feature was off came from the last-good cache. */
  private static Part served(boolean wasOn, Part part) {
    return !wasOn && part.isLive() ? new Part("last-good", part.items()) : part;
  }
}
