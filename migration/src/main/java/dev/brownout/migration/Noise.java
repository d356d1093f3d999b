package dev.brownout.migration;

import dev.brownout.migration.ExperimentReport.Finding;
import dev.brownout.migration.ExperimentReport.PathReport;
import dev.brownout.migration.FieldDiff.Difference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The noise of one experiment: per field path, how often the new path's value differs from the old
 * one's, and how often two runs of the old path differ, as Diffy separates real differences from
 * fields that differ on every call (a timestamp, a request id, the order of a hash set).
 *
 * <p>The rule. Let {@code a} of {@code n} compared calls differ at a path old-vs-new and {@code b}
 * of {@code m} noise samples differ there old-vs-old. With at least {@value #MIN_SAMPLES} noise
 * samples:
 *
 * <ul>
 *   <li>REAL when old-vs-new clearly exceeds old-vs-old: a one-sided two-proportion z test with the
 *       Agresti–Caffo adjustment (one success and one failure added to each side, so that a path
 *       never seen old-vs-old still gets an honest error) above the 0.999 quantile;
 *   <li>NOISE when the old path has differed from itself there ({@code b > 0}) and the old-vs-new
 *       rate lies within the upper 97.5% Wilson bound of the old-vs-old rate: what the new path
 *       shows there is what the old path shows against itself;
 *   <li>UNSETTLED otherwise (too few samples, or never seen old-vs-old and not yet clearly above
 *       zero).
 * </ul>
 *
 * Only NOISE excuses a mismatch: a call whose differing paths are all NOISE is judged {@link
 * Verdict#IGNORED}; a path that is UNSETTLED keeps its calls MISMATCH. A rare real difference is
 * never called noise just because the noise samples are few.
 *
 * <p>Bounded: at most {@value #MAX_PATHS} paths (later ones count under {@value #OTHER}) and
 * {@value #SAMPLES_PER_PATH} samples per path. Counts are {@link LongAdder}s, written by the lane's
 * workers and read on request.
 */
final class Noise {

  static final int MIN_SAMPLES = 10;
  static final int MAX_PATHS = 128;
  static final int SAMPLES_PER_PATH = 3;
  static final String OTHER = "(other paths)";

  private static final double Z_REAL = Normal.quantile(0.999);
  private static final double Z_BOUND = Normal.quantile(0.975);
  private static final int SAMPLE_TEXT = 120;

  private final String experiment;
  private final boolean keepValues;
  private final LongAdder compared = new LongAdder();
  private final LongAdder noiseSamples = new LongAdder();
  private final LongAdder noiseSamplesLost = new LongAdder();
  private final Map<String, Counts> paths = new ConcurrentHashMap<>();

  Noise(String experiment, boolean keepValues) {
    this.experiment = experiment;
    this.keepValues = keepValues;
  }

  private static final class Counts {
    final LongAdder oldVsNew = new LongAdder();
    final LongAdder oldVsOld = new LongAdder();
    private final List<String> samples = new ArrayList<>(SAMPLES_PER_PATH);

    synchronized boolean wantsSample() {
      return samples.size() < SAMPLES_PER_PATH;
    }

    synchronized void sample(String text) {
      if (samples.size() < SAMPLES_PER_PATH) {
        samples.add(text);
      }
    }

    synchronized List<String> samples() {
      return List.copyOf(samples);
    }
  }

  boolean keepsValues() {
    return keepValues;
  }

  /**
   * Counts one call whose both paths returned: {@code differences} of the raw values, and, when
   * values are kept, {@code shown} of the cleaned ones (for the samples only).
   */
  void compared(List<Difference> differences, @Nullable List<Difference> shown) {
    compared.increment();
    count(differences, shown, false);
  }

  /** Counts one noise sample: two runs of the old path that both returned. */
  void sampled(List<Difference> differences, @Nullable List<Difference> shown) {
    noiseSamples.increment();
    count(differences, shown, true);
  }

  void lost() {
    noiseSamplesLost.increment();
  }

  private void count(List<Difference> differences, @Nullable List<Difference> shown, boolean old) {
    List<String> seen = new ArrayList<>(differences.size());
    for (Difference difference : differences) {
      Counts counts = counts(difference.path());
      if (!seen.contains(difference.path())) {
        seen.add(difference.path());
        (old ? counts.oldVsOld : counts.oldVsNew).increment();
      }
      if (counts.wantsSample()) {
        counts.sample((old ? "old vs old, " : "old vs new, ") + sample(difference, shown));
      }
    }
  }

  private Counts counts(String path) {
    Counts counts = paths.get(path);
    if (counts != null) {
      return counts;
    }
    if (paths.size() >= MAX_PATHS) {
      return paths.computeIfAbsent(OTHER, p -> new Counts());
    }
    return paths.computeIfAbsent(path, p -> new Counts());
  }

  private String sample(Difference difference, @Nullable List<Difference> shown) {
    if (!keepValues) {
      return difference.at()
          + ": "
          + type(difference.control())
          + " vs "
          + type(difference.candidate());
    }
    if (shown != null) {
      for (Difference cleaned : shown) {
        if (cleaned.at().equals(difference.at())) {
          return difference.at()
              + ": "
              + text(cleaned.control())
              + " vs "
              + text(cleaned.candidate());
        }
      }
    }
    return difference.at() + ": (equal once cleaned)";
  }

  /** What a redacted sample shows of a value: its type, and a collection's size. */
  private static String type(@Nullable Object value) {
    if (value instanceof List<?> list) {
      return "List[" + list.size() + "]";
    }
    if (value instanceof Map<?, ?> map) {
      return "Map[" + map.size() + "]";
    }
    return value == null ? "null" : value.getClass().getSimpleName();
  }

  private static String text(@Nullable Object value) {
    String text = String.valueOf(value);
    return text.length() <= SAMPLE_TEXT ? text : text.substring(0, SAMPLE_TEXT) + "...";
  }

  /** What the counts so far make of {@code path}. */
  Finding finding(String path) {
    Counts counts = paths.get(path);
    if (counts == null) {
      return Finding.UNSETTLED;
    }
    return finding(
        counts.oldVsNew.sum(), compared.sum(), counts.oldVsOld.sum(), noiseSamples.sum());
  }

  static Finding finding(long a, long n, long b, long m) {
    if (m < MIN_SAMPLES || n == 0) {
      return Finding.UNSETTLED;
    }
    double p1 = (a + 1.0) / (n + 2.0);
    double p2 = (b + 1.0) / (m + 2.0);
    double error = Math.sqrt(p1 * (1 - p1) / (n + 2.0) + p2 * (1 - p2) / (m + 2.0));
    if ((p1 - p2) / error > Z_REAL) {
      return Finding.REAL;
    }
    // The tolerance: at b = m the bound is 1 in exact arithmetic, a hair below it in doubles.
    if (b > 0 && (double) a / n <= wilsonUpper(b, m) + 1e-9) {
      return Finding.NOISE;
    }
    return Finding.UNSETTLED;
  }

  /** The upper end of the 95% Wilson interval of {@code b} successes in {@code m} trials. */
  static double wilsonUpper(long b, long m) {
    return Normal.wilsonUpper(b, m, Z_BOUND);
  }

  ExperimentReport report() {
    // The paths' counts first, then the totals: a call raises its total before its paths, so read
    // in this order no path has differed in more calls than the totals count, while calls go on.
    Map<String, long[]> counted = new LinkedHashMap<>();
    paths.forEach(
        (path, counts) ->
            counted.put(path, new long[] {counts.oldVsNew.sum(), counts.oldVsOld.sum()}));
    long n = compared.sum();
    long m = noiseSamples.sum();
    List<PathReport> rows = new ArrayList<>(counted.size());
    counted.forEach(
        (path, ab) ->
            rows.add(
                new PathReport(
                    path, ab[0], ab[1], finding(ab[0], n, ab[1], m), paths.get(path).samples())));
    rows.sort(
        Comparator.comparingLong(PathReport::oldVsNew).reversed().thenComparing(PathReport::path));
    return new ExperimentReport(experiment, n, m, noiseSamplesLost.sum(), rows);
  }
}
