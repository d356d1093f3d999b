package dev.brownout.recover;

import dev.brownout.core.Brownout;
import dev.brownout.core.RejectedCallException;
import dev.brownout.core.internal.Settings;
import dev.brownout.core.spi.Recovery;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The recovery core: turns a crash into an {@link Incident} (logged once, counted once) and decides
 * whether the crash may be recovered. The server filters, the task wrappers and the guard policy
 * are thin adapters over it.
 *
 * <pre>{@code
 * Recover recover = Recover.of(brownout);   // the runtime's own; counts brownout.recover.incidents{place, exception}
 *
 * executor.execute(recover.runnable("nightly-report", report::run));
 * Guard search = brownout.guard("search")
 *     .recovery(recover.policy(incident -> SearchResults.EMPTY))
 *     .build();
 * }</pre>
 *
 * <p>What is recovered: every throwable, {@link StackOverflowError} included (the stack has unwound
 * by the time it is caught), except the other {@link VirtualMachineError}s, such as {@link
 * OutOfMemoryError}: those are logged and counted, then rethrown, since a JVM in that state should
 * not go on serving. An {@link InterruptedException} is recovered with the thread's interrupt flag
 * set again, so the code that goes on on that thread still learns of the interrupt (but see {@link
 * #respond}). Recording never throws: a log or meter registry that fails is ignored, and hostile
 * throwables (cyclic causes, throwing getters, huge messages) are rendered safely.
 *
 * <p>Immutable once built and safe to share between threads.
 */
public final class Recover implements MeterBinder {

  private final IncidentLog log;
  private final Clock clock;
  private final Statuses statuses;
  private final ProblemWriter writer;
  private final String idHeader;
  private final IncidentMeters meters;

  private Recover(Builder b) {
    this.log = b.log;
    this.clock = b.clock;
    this.statuses = new Statuses(b.statuses);
    this.writer = b.writer;
    this.idHeader = b.idHeader;
    this.meters = new IncidentMeters(b.maxPlaces);
  }

  /**
   * The runtime's recovery core, created with the defaults on first use, so every adapter of one
   * runtime shares it; its meters go to every registry the runtime is bound to.
   */
  public static Recover of(Brownout brownout) {
    Settings.notNull("recover.brownout", brownout);
    return brownout.component(
        Recover.class,
        runtime -> {
          Recover recover = builder().build();
          runtime.bindMeters(recover);
          return recover;
        });
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Records {@code thrown}, which crashed the work at {@code place} (a task or route name), and
   * returns the incident. A fatal error is rethrown once recorded.
   */
  public Incident recover(String place, Throwable thrown) {
    Throwable crash = orNullPointer(thrown);
    Incident incident =
        record(
            place,
            crash,
            Fatal.is(crash) ? Incident.Outcome.RETHROWN : Incident.Outcome.RECOVERED,
            true);
    Fatal.rethrowIfFatal(crash);
    return incident;
  }

  /**
   * Records {@code thrown}, which crashed the request at {@code place}, and decides the response: a
   * problem response, or (if {@code committed}, i.e. the handler had started its response) a closed
   * connection. A fatal error is rethrown once recorded. This is what server adapters call.
   *
   * <p>Unlike {@link #recover}, this does not set the interrupt flag again for an {@link
   * InterruptedException}: the request ends with this answer, so the interrupt has done its work,
   * and a flag left set on a server thread fails the answer's own blocking write (and, on the JDK
   * server's dispatcher thread, every later request).
   */
  public ProblemResponse respond(String place, Throwable thrown, boolean committed) {
    Throwable crash = orNullPointer(thrown);
    if (Fatal.is(crash)) {
      record(place, crash, Incident.Outcome.RETHROWN, false);
      Fatal.rethrowIfFatal(crash);
    }
    if (committed) {
      return ProblemResponse.closing(
          record(place, crash, Incident.Outcome.CONNECTION_CLOSED, false));
    }
    Incident incident = record(place, crash, Incident.Outcome.RECOVERED, false);
    Problem problem = Problem.of(statuses.statusFor(crash), incident.id());
    Body body = render(incident, problem);
    Map<String, String> headers = idHeader == null ? Map.of() : Map.of(idHeader, incident.id());
    return ProblemResponse.of(
        incident,
        problem.status(),
        body.contentType(),
        body.text().getBytes(StandardCharsets.UTF_8),
        headers);
  }

  private record Body(String contentType, String text) {}

  /** The configured writer's body, or the built-in one if that writer fails. */
  private Body render(Incident incident, Problem problem) {
    Body standard =
        new Body(JsonProblemWriter.CONTENT_TYPE, JsonProblemWriter.INSTANCE.write(problem));
    if (writer == JsonProblemWriter.INSTANCE) {
      return standard;
    }
    try {
      String text = writer.write(problem);
      String contentType = writer.contentType();
      if (text != null && contentType != null) {
        return new Body(contentType, text);
      }
      writerFailed(
          incident,
          new NullPointerException(
              "the problem writer returned no " + (text == null ? "body" : "content type")));
    } catch (Throwable failure) {
      Fatal.rethrowIfFatal(failure);
      writerFailed(incident, failure);
    }
    return standard;
  }

  /**
   * {@code runnable}, except that a crash becomes an incident at {@code task} and the worker
   * carries on.
   */
  public Runnable runnable(String task, Runnable runnable) {
    Settings.name("recover.runnable.task", task);
    Settings.notNull("recover.runnable", runnable);
    return () -> {
      try {
        runnable.run();
      } catch (Throwable thrown) {
        recover(task, thrown);
      }
    };
  }

  /**
   * {@code callable}, except that a crash becomes an incident at {@code task} and the call returns
   * {@code fallback} applied to it; the fallback may also throw, to fail the call with its own
   * exception (one that names the incident, say).
   */
  public <T extends @Nullable Object> Callable<T> callable(
      String task, Callable<T> callable, Function<? super Incident, ? extends T> fallback) {
    Settings.name("recover.callable.task", task);
    Settings.notNull("recover.callable", callable);
    Settings.notNull("recover.callable.fallback", fallback);
    return () -> {
      try {
        return callable.call();
      } catch (Throwable thrown) {
        return fallback.apply(recover(task, thrown));
      }
    };
  }

  /**
   * Records a throwable that escaped a thread (place: {@link Places#thread}). Install it with
   * {@link Thread#setDefaultUncaughtExceptionHandler} or on a thread factory's threads; the thread
   * still ends, but the crash is an incident rather than a line on standard error.
   */
  public Thread.UncaughtExceptionHandler uncaughtExceptionHandler() {
    return (thread, thrown) ->
        record(Places.thread(thread), orNullPointer(thrown), Incident.Outcome.THREAD_ENDED, false);
  }

  /**
   * The guard policy: a call whose failure escapes the guard becomes an incident at the guard's
   * name, and the caller gets {@code fallback} applied to it. Rejections (open breaker, full
   * bulkhead, a switched-off feature) are the guard working, not crashes: they pass through
   * unrecorded, for the guard's {@code Fallback} to handle.
   *
   * <pre>{@code
   * brownout.guard("profile").recovery(recover.policy(incident -> Profile.ANONYMOUS)).build();
   * }</pre>
   */
  public Recovery policy(Function<? super Incident, ?> fallback) {
    Settings.notNull("recover.policy.fallback", fallback);
    return (guard, thrown) -> {
      if (thrown instanceof RejectedCallException rejection) {
        throw rejection;
      }
      return fallback.apply(recover(guard, thrown));
    };
  }

  /**
   * The guard policy, recording incidents at {@code place} rather than at the guard's name: for
   * guards that should share one place tag, or a place named after a route.
   */
  public Recovery policy(String place, Function<? super Incident, ?> fallback) {
    Settings.name("recover.policy.place", place);
    Recovery policy = policy(fallback);
    return (guard, thrown) -> policy.recover(place, thrown);
  }

  /**
   * Counts incidents on {@code registry} from now on; binding the same registry twice counts once.
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    meters.bindTo(Settings.notNull("recover.meterRegistry", registry));
  }

  private Incident record(
      String place, Throwable thrown, Incident.Outcome outcome, boolean restoreInterrupt) {
    Incident incident = Incident.of(place, thrown.getClass(), now(), outcome);
    try {
      log.incident(incident, thrown);
    } catch (Throwable broken) {
      Fatal.rethrowIfFatal(broken);
    }
    meters.count(incident);
    if (restoreInterrupt && thrown instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    return incident;
  }

  private void writerFailed(Incident incident, Throwable failure) {
    try {
      log.problemWriterFailed(incident, failure);
    } catch (Throwable broken) {
      Fatal.rethrowIfFatal(broken);
    }
  }

  private Instant now() {
    try {
      return clock.instant();
    } catch (RuntimeException broken) {
      return Instant.now();
    }
  }

  /**
   * A crash with no throwable (a buggy caller) is still a crash; record it rather than fail here.
   */
  private static Throwable orNullPointer(Throwable thrown) {
    return thrown != null ? thrown : new NullPointerException("recover was given no throwable");
  }

  /** Builds a {@link Recover}; every setting is optional. */
  public static final class Builder {
    private IncidentLog log = IncidentLog.slf4j();
    private Clock clock = Clock.systemUTC();
    private final Map<Class<? extends Throwable>, Integer> statuses = new HashMap<>();
    private ProblemWriter writer = ProblemWriter.json();
    private String idHeader;
    private int maxPlaces = 200;

    private Builder() {}

    /** Where incidents are logged; SLF4J by default. */
    public Builder log(IncidentLog log) {
      this.log = Settings.notNull("recover.log", log);
      return this;
    }

    /** The time stamped on incidents; the system clock by default. */
    public Builder clock(Clock clock) {
      this.clock = Settings.notNull("recover.clock", clock);
      return this;
    }

    /**
     * Answers crashes of {@code type} (or a subtype, or with such a cause) with {@code status}
     * rather than 500. The most specific mapped type wins.
     */
    public Builder status(Class<? extends Throwable> type, int status) {
      Settings.notNull("recover.status.type", type);
      String setting = "recover.status(" + type.getName() + ")";
      if (status < 400 || status > 599) {
        throw Settings.invalid(setting, status, "must be an HTTP error status in [400, 599]");
      }
      if (VirtualMachineError.class.isAssignableFrom(type)
          && !StackOverflowError.class.isAssignableFrom(type)) {
        throw Settings.invalid(
            setting, status, "cannot be mapped: fatal errors are rethrown, never answered");
      }
      statuses.put(type, status);
      return this;
    }

    /** Writes the response body; RFC 9457 problem+json by default. */
    public Builder problemWriter(ProblemWriter writer) {
      this.writer = Settings.notNull("recover.problemWriter", writer);
      return this;
    }

    /** Also sends the incident id in a response header of this name (none by default). */
    public Builder idHeader(String name) {
      this.idHeader = headerName("recover.idHeader", name);
      return this;
    }

    /**
     * Distinct places counted under their own tag before the rest count as "other" (200 by
     * default).
     */
    public Builder maxPlaces(int places) {
      this.maxPlaces = Settings.positive("recover.maxPlaces", places);
      return this;
    }

    public Recover build() {
      return new Recover(this);
    }
  }

  /** An HTTP field name: a non-empty RFC 9110 token. */
  private static String headerName(String setting, String value) {
    if (value == null || value.isEmpty() || !value.chars().allMatch(Recover::isTokenChar)) {
      throw Settings.invalid(
          setting,
          value == null ? null : "'" + LogSafe.neutralise(value) + "'",
          "must be an HTTP header name (letters, digits, !#$%&'*+-.^_`|~)");
    }
    return value;
  }

  private static boolean isTokenChar(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }
}
