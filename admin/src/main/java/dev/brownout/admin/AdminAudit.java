package dev.brownout.admin;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit of the admin's writes: one SLF4J line each (logger {@code dev.brownout.admin.audit},
 * INFO), and the breaker actions kept for the history the API shows (feature and level changes are
 * kept by the features' own history).
 */
final class AdminAudit {

  private static final Logger LOG = LoggerFactory.getLogger("dev.brownout.admin.audit");
  private static final int KEPT = 200;

  private final ArrayDeque<Map<String, @Nullable Object>> breakerActions = new ArrayDeque<>();

  /** Logs one write: what, on what, from what to what, and why. */
  void write(String kind, String target, String from, String to, String reason, String client) {
    if (LOG.isInfoEnabled()) {
      LOG.info(
          "admin {} {}: {} -> {} by {} reason={}",
          kind,
          oneLine(target),
          from,
          to,
          client,
          oneLine(reason));
    }
  }

  void breakerAction(Instant time, String breaker, String from, String to, String reason) {
    Map<String, @Nullable Object> entry = new LinkedHashMap<>();
    entry.put("time", time.toString());
    entry.put("kind", "breaker");
    entry.put("feature", breaker);
    entry.put("from", from);
    entry.put("to", to);
    entry.put("reason", reason);
    entry.put("by", Writes.BY);
    entry.put("source", Writes.BY);
    synchronized (breakerActions) {
      if (breakerActions.size() == KEPT) {
        breakerActions.removeFirst();
      }
      breakerActions.addLast(entry);
    }
  }

  List<Map<String, @Nullable Object>> breakerActions() {
    synchronized (breakerActions) {
      return new ArrayList<>(breakerActions);
    }
  }

  /** A client's text in a log line: control characters (forged line breaks) become spaces. */
  static String oneLine(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
    return out.toString();
  }
}
