package dev.brownout.migration;

import java.util.List;

/**
 * What an experiment with noise cancellation has seen so far, field path by field path: how often
 * the new path's value differed from the old one's there, how often two runs of the old path
 * differed there, and what that makes of the path. Built on request by {@link Experiment#report()};
 * paths never become meter tags.
 *
 * @param experiment the experiment's name
 * @param compared calls whose both paths returned a value, compared old against new
 * @param noiseSamples calls whose old path ran a second time and both runs returned a value
 * @param noiseSamplesLost second runs of the old path that found no room on the lane, threw, or
 *     overran the timeout: not counted in {@code noiseSamples}
 * @param paths every path that differed at least once, most differing first
 */
public record ExperimentReport(
    String experiment,
    long compared,
    long noiseSamples,
    long noiseSamplesLost,
    List<PathReport> paths) {

  /** Copies the list. */
  public ExperimentReport {
    paths = List.copyOf(paths);
  }

  /** What the counts make of one path. */
  public enum Finding {
    /** The new path differs there clearly more often than the old path differs from itself. */
    REAL,
    /** The old path differs from itself there about as often as the new one differs from it. */
    NOISE,
    /** Too few samples to say either: its mismatches still count as mismatches. */
    UNSETTLED
  }

  /**
   * One field path.
   *
   * @param path the path, list indexes as {@code [*]} ({@code comments[*].author}); {@code
   *     comments[order]} for a list holding the same elements in another order, {@code
   *     comments[size]} for one of another size, {@code $} for the value as a whole
   * @param oldVsNew calls of {@link #compared} whose values differed there
   * @param oldVsOld calls of {@link #noiseSamples} whose two old values differed there
   * @param finding what the counts make of it
   * @param samples a few places where it differed; types only, unless the experiment keeps values
   */
  public record PathReport(
      String path, long oldVsNew, long oldVsOld, Finding finding, List<String> samples) {

    /** Copies the list. */
    public PathReport {
      samples = List.copyOf(samples);
    }
  }
}
