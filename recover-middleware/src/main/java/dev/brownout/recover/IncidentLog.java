package dev.brownout.recover;

/**
 * Where incidents are written: SLF4J by default, anything else (a test's list, an error tracker) by
 * choice. {@link Recover} calls {@link #incident} exactly once per incident, on the thread that
 * crashed, and survives a log that throws.
 *
 * <pre>{@code
 * Recover recover = Recover.builder()
 *     .log((incident, thrown) -> errorTracker.send(incident.id(), thrown))
 *     .build();
 * }</pre>
 *
 * <p>A custom log gets the throwable as it is: its message may carry client text, so render it with
 * {@link LogSafe#stackTrace} (as the SLF4J log does) unless the destination escapes it.
 */
@FunctionalInterface
public interface IncidentLog {

  /** Records one incident with the throwable behind it. */
  void incident(Incident incident, Throwable thrown);

  /**
   * The configured {@link ProblemWriter} failed while answering {@code incident}; the client got
   * the built-in problem body instead. Goes to SLF4J unless overridden.
   */
  default void problemWriterFailed(Incident incident, Throwable failure) {
    Slf4jIncidentLog.INSTANCE.problemWriterFailed(incident, failure);
  }

  /**
   * Logs through SLF4J (logger {@code dev.brownout.recover.Recover}) at ERROR: one event with the
   * incident id in the MDC under {@code "incident"} and the full stack trace rendered by {@link
   * LogSafe#stackTrace} in the message.
   */
  static IncidentLog slf4j() {
    return Slf4jIncidentLog.INSTANCE;
  }
}
