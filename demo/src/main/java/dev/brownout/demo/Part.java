package dev.brownout.demo;

import java.util.List;

/**
 * One optional part of a response, with what served it: {@code live} (the dependency answered),
 * {@code last-good} or {@code default} (its feature is off), or {@code fallback} (the call failed,
 * timed out or was rejected while the feature was still on).
 */
record Part(String servedBy, List<String> items) {

  static Part live(List<String> items) {
    return new Part("live", items);
  }

  static Part of(String servedBy) {
    return new Part(servedBy, List.of());
  }

  boolean isLive() {
    return servedBy.equals("live");
  }
}
