package dev.brownout.recover;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The default {@link IncidentLog}. The trace goes into the message rather than as SLF4J's throwable
 * argument: a backend prints a throwable's messages verbatim, and a message can carry client text
 * with line breaks in it. One event still holds everything, so "logged once" means one line to
 * grep.
 */
final class Slf4jIncidentLog implements IncidentLog {

  static final Slf4jIncidentLog INSTANCE = new Slf4jIncidentLog();

  /** The MDC key that holds the incident id while the event is logged. */
  static final String MDC_KEY = "incident";

  private static final Logger LOG = LoggerFactory.getLogger(Recover.class);

  private Slf4jIncidentLog() {}

  @Override
  public void incident(Incident incident, Throwable thrown) {
    String previous = MDC.get(MDC_KEY);
    MDC.put(MDC_KEY, incident.id());
    try {
      LOG.error(
          "Incident {} at {}: {} ({})\n{}",
          incident.id(),
          incident.place(),
          incident.throwableClass(),
          describe(incident.outcome()),
          LogSafe.stackTrace(thrown));
    } finally {
      restore(previous);
    }
  }

  @Override
  public void problemWriterFailed(Incident incident, Throwable failure) {
    String previous = MDC.get(MDC_KEY);
    MDC.put(MDC_KEY, incident.id());
    try {
      LOG.warn(
          "Incident {}: the problem writer failed, so the client got the built-in problem body\n{}",
          incident.id(),
          LogSafe.stackTrace(failure));
    } finally {
      restore(previous);
    }
  }

  private static String describe(Incident.Outcome outcome) {
    return switch (outcome) {
      case RECOVERED -> "recovered";
      case CONNECTION_CLOSED -> "recovered; the response had started, so the connection was closed";
      case RETHROWN -> "fatal, rethrown";
      case THREAD_ENDED -> "the thread ended";
    };
  }

  private static void restore(String previous) {
    if (previous == null) {
      MDC.remove(MDC_KEY);
    } else {
      MDC.put(MDC_KEY, previous);
    }
  }
}
