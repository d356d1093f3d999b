package dev.brownout.demo;

import dev.brownout.core.annotation.CircuitBreaker;
import dev.brownout.core.annotation.Fallback;
import dev.brownout.core.annotation.Timeout;
import dev.brownout.degradation.annotation.Degradable;
import java.io.IOException;
import java.util.List;

/**
 * The optional parts of a question page, as the service asks for them. The processor generates
 * {@code Guarded_QuestionExtras}: each method behind its feature (last good value, else a default),
 * a circuit breaker, a timeout, and a fallback for a failure while the feature is still on.
 */
@CircuitBreaker(
    slidingWindowType = "COUNT_BASED",
    slidingWindowSize = 20,
    minimumNumberOfCalls = 10,
    failureRateThreshold = 50,
    waitDurationInOpenState = "3s",
    permittedNumberOfCallsInHalfOpenState = 3)
interface QuestionExtras {

  @Degradable(name = "comments", feature = Features.COMMENTS, lastGood = true, fallback = "noPart")
  @Timeout("250ms")
  @Fallback(method = "failed", on = Exception.class)
  Part comments(int question) throws IOException;

  @Degradable(name = "avatars", feature = Features.AVATARS, fallback = "anonymous")
  @Timeout("150ms")
  @Fallback(method = "failed", on = Exception.class)
  Part avatar(String user) throws IOException;

  @Degradable(
      name = "recommendations",
      feature = Features.RECOMMENDATIONS,
      lastGood = true,
      fallback = "noPart")
  @Timeout("300ms")
  @Fallback(method = "failed", on = Exception.class)
  Part recommendations(int question) throws IOException;

  /** What a degraded part serves when there is no last good value. */
  default Part noPart() {
    return Part.of("default");
  }

  default Part anonymous() {
    return new Part("default", List.of("https://avatars.example/anonymous.png"));
  }

  /** A failure, timeout or rejection while the feature was still on. */
  default Part failed(int question) {
    return Part.of("fallback");
  }

  default Part failed(String user) {
    return Part.of("fallback");
  }

  /** The names of the features, one per part; {@code extras} turns all three off at once. */
  final class Features {
    static final String PARENT = "extras";
    static final String COMMENTS = "extras.comments";
    static final String AVATARS = "extras.avatars";
    static final String RECOMMENDATIONS = "extras.recommendations";

    private Features() {}
  }

  /**
   * The parts fetched over HTTP, with no resilience of their own; comments through their backend's
   * migration.
   */
  final class Live implements QuestionExtras {
    private final Downstream downstream;
    private final CommentsMigration comments;

    Live(Downstream downstream, CommentsMigration comments) {
      this.downstream = downstream;
      this.comments = comments;
    }

    @Override
    public Part comments(int question) throws IOException {
      return Part.live(comments.comments(question).lines());
    }

    @Override
    public Part avatar(String user) throws IOException {
      return Part.live(List.of(downstream.avatar(user)));
    }

    @Override
    public Part recommendations(int question) throws IOException {
      return Part.live(downstream.recommendations(question));
    }
  }
}
