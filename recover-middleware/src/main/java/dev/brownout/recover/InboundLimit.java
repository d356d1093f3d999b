package dev.brownout.recover;

import dev.brownout.core.BulkheadFullException;
import dev.brownout.core.CallTimeoutException;
import dev.brownout.core.Limiter;
import dev.brownout.core.internal.Settings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * How a server filter holds inbound requests to a {@link Limiter}: which partition a request
 * belongs to, which requests bypass the limit (health checks, the admin page), and how a refused
 * request is answered (503, or 429, as {@code application/problem+json} with a {@code Retry-After}
 * header). The filters of the JDK server ({@code dev.brownout.recover.httpserver.LimitFilter}) and
 * of Servlet containers ({@code dev.brownout.recover.servlet.LimitFilter}) apply it.
 *
 * <pre>{@code
 * Limiter limiter = brownout.limiter("inbound", LimiterConfig.builder()
 *     .partition("checkout", 0.7).partition("browse", 0.3).build());
 * InboundLimit<HttpExchange> limit = InboundLimit.<HttpExchange>builder(limiter)
 *     .partitionBy(exchange -> exchange.getRequestURI().getPath().startsWith("/checkout") ? "checkout" : "browse")
 *     .bypass(exchange -> exchange.getRequestURI().getPath().equals("/health"))
 *     .build();
 * server.createContext("/", handler).getFilters().add(new LimitFilter(limit));
 * }</pre>
 *
 * <p>What a request tells the limiter when it ends: a response of 503 or 504 (by default), or a
 * {@link CallTimeoutException} or {@link BulkheadFullException} escaping the handler (or wrapped in
 * what escapes), is a drop (the service behind is overloaded: enough of them cut the limit);
 * another exception says nothing about load (ignored); any other response is a success whose
 * latency is a sample.
 *
 * @param <R> the server's request type
 */
public final class InboundLimit<R> {

  private final Limiter limiter;
  private final Function<? super R, ? extends @Nullable String> partitionBy;
  private final Predicate<? super R> bypass;
  private final IntPredicate dropOn;
  private final int status;
  private final long retryAfterSeconds;
  private final byte[] body;
  private final Map<String, Limiter.Partition> partitions = new HashMap<>();
  private final Limiter.Partition unnamed;

  private InboundLimit(Builder<R> b) {
    this.limiter = b.limiter;
    this.partitionBy = b.partitionBy;
    this.bypass = b.bypass;
    this.dropOn = b.dropOn;
    this.status = b.status;
    this.retryAfterSeconds = (b.retryAfter.toNanos() + 999_999_999L) / 1_000_000_000L;
    this.body =
        JsonProblemWriter.INSTANCE.write(Problem.of(status, null)).getBytes(StandardCharsets.UTF_8);
    Limiter.Partition none = null;
    for (Limiter.Partition partition : limiter.partitions()) {
      if (partition.name().isEmpty()) {
        none = partition;
      } else {
        partitions.put(partition.name(), partition);
      }
    }
    this.unnamed = none;
  }

  public static <R> Builder<R> builder(Limiter limiter) {
    return new Builder<>(limiter);
  }

  public Limiter limiter() {
    return limiter;
  }

  /**
   * The partition {@code request} is admitted through, or null if it bypasses the limit. A request
   * whose partition is not one of the limiter's (or that the function cannot name) is a call of no
   * partition.
   */
  public Limiter.@Nullable Partition partitionOf(R request) {
    if (bypass.test(request)) {
      return null;
    }
    @Nullable String name;
    try {
      name = partitionBy.apply(request);
    } catch (RuntimeException unnamable) {
      name = null;
    }
    Limiter.@Nullable Partition partition = name == null ? null : partitions.get(name);
    return partition != null ? partition : unnamed;
  }

  /** Gives back the permit of a request answered with {@code responseStatus}. */
  public void release(Limiter.Partition partition, long permit, int responseStatus) {
    if (dropOn.test(responseStatus)) {
      partition.onDropped(permit);
    } else {
      partition.onSuccess(permit);
    }
  }

  /**
   * Gives back the permit of a request whose handler threw {@code thrown}: a drop if it, or an
   * exception it wraps, is a timeout ({@link CallTimeoutException}) or a full bulkhead or executor
   * ({@link BulkheadFullException}), the signs of a dependency with no room; ignored otherwise.
   * Other rejections are not load: an open breaker, a rate limit or a switched-off feature would
   * otherwise cut the limit, and a feature shed to relieve load would shed more.
   */
  public void release(Limiter.Partition partition, long permit, Throwable thrown) {
    if (overloaded(thrown)) {
      partition.onDropped(permit);
    } else {
      partition.onIgnored(permit);
    }
  }

  @SuppressWarnings("ReferenceEquality") // identity: a cause that is its own cause ends the walk
  private static boolean overloaded(Throwable thrown) {
    for (Throwable t = thrown, seen = null; t != null && t != seen; seen = t, t = t.getCause()) {
      if (t instanceof CallTimeoutException || t instanceof BulkheadFullException) {
        return true;
      }
    }
    return false;
  }

  /** The status a refused request gets: 503 or 429. */
  public int status() {
    return status;
  }

  /** The {@code Retry-After} header a refused request gets, in seconds. */
  public String retryAfter() {
    return Long.toString(retryAfterSeconds);
  }

  /** The content type of a refusal's body. */
  public String contentType() {
    return JsonProblemWriter.CONTENT_TYPE;
  }

  /** The body of a refusal: a problem+json document with the status and no incident (a copy). */
  public byte[] body() {
    return body.clone();
  }

  /** Settings of an {@link InboundLimit}; checked as they are set. */
  public static final class Builder<R> {
    private final Limiter limiter;
    private Function<? super R, ? extends @Nullable String> partitionBy = request -> null;
    private Predicate<? super R> bypass = request -> false;
    private IntPredicate dropOn = s -> s == 503 || s == 504;
    private int status = 503;
    private Duration retryAfter = Duration.ofSeconds(1);

    private Builder(Limiter limiter) {
      this.limiter = Settings.notNull("inboundLimit.limiter", limiter);
    }

    /** The partition of a request, by name; none (null) by default. */
    public Builder<R> partitionBy(Function<? super R, ? extends @Nullable String> partition) {
      this.partitionBy = Settings.notNull("inboundLimit.partitionBy", partition);
      return this;
    }

    /** Requests that are never limited nor counted (health checks, the admin page). */
    public Builder<R> bypass(Predicate<? super R> bypass) {
      this.bypass = Settings.notNull("inboundLimit.bypass", bypass);
      return this;
    }

    /** The response statuses that count as drops; 503 and 504 by default. */
    public Builder<R> dropOn(IntPredicate statuses) {
      this.dropOn = Settings.notNull("inboundLimit.dropOn", statuses);
      return this;
    }

    /** The status of a refusal: 503 (the default: the service is overloaded) or 429. */
    public Builder<R> status(int refusal) {
      if (refusal != 503 && refusal != 429) {
        throw Settings.invalid("inboundLimit.status", refusal, "must be 503 or 429");
      }
      this.status = refusal;
      return this;
    }

    /**
     * The {@code Retry-After} of a refusal, rounded up to whole seconds (at least 1); 1 s by
     * default.
     */
    public Builder<R> retryAfter(Duration after) {
      Settings.notNull("inboundLimit.retryAfter", after);
      if (after.toSeconds() < 1) {
        throw Settings.invalid("inboundLimit.retryAfter", after, "must be at least one second");
      }
      this.retryAfter = after;
      return this;
    }

    public InboundLimit<R> build() {
      return new InboundLimit<>(this);
    }
  }
}
