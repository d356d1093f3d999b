package dev.brownout.demo;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToIntFunction;

/**
 * The time the fan-out's threads spend on each part of the pages, from which the scenario measures
 * the service's capacity: the pages a second at which the busiest of its threads (a partition's, or
 * all of them) would never rest.
 */
final class FanoutUse {

  /** Pages that reached the fan-out, and the nanoseconds its threads spent on each part. */
  record Reading(long pages, Map<String, Long> busyNanos) {

    Reading since(Reading earlier) {
      Map<String, Long> busy = new TreeMap<>();
      busyNanos.forEach(
          (part, nanos) -> busy.put(part, nanos - earlier.busyNanos.getOrDefault(part, 0L)));
      return new Reading(pages - earlier.pages, busy);
    }

    /**
     * The pages a second the fan-out can serve at this use (the utilization law: a pool of n
     * threads, each page holding them for t seconds, serves at most n / t pages a second): the
     * least of the whole pool's and each partition's; 0 with no pages.
     *
     * @param threads the threads of a partition, or of the whole pool for null
     */
    double capacityPerSecond(List<String> parts, ToIntFunction<String> threads) {
      if (pages <= 0) {
        return 0;
      }
      long all = 0;
      double least = Double.MAX_VALUE;
      for (String part : parts) {
        long nanos = busyNanos.getOrDefault(part, 0L);
        all += nanos;
        if (nanos > 0) {
          least = Math.min(least, threads.applyAsInt(part) * 1e9 * pages / nanos);
        }
      }
      return all == 0 ? 0 : Math.min(least, threads.applyAsInt(null) * 1e9 * pages / all);
    }
  }

  private final LongAdder pages = new LongAdder();
  private final Map<String, LongAdder> busy = new ConcurrentHashMap<>();

  /** Counts a page that fans out to its parts. */
  void page() {
    pages.increment();
  }

  /** {@code task}, adding the time it holds a thread to {@code part}'s. */
  <T> Callable<T> timed(String part, Callable<T> task) {
    LongAdder spent = busy.computeIfAbsent(part, p -> new LongAdder());
    return () -> {
      long start = System.nanoTime();
      try {
        return task.call();
      } finally {
        spent.add(System.nanoTime() - start);
      }
    };
  }

  Reading read() {
    Map<String, Long> nanos = new TreeMap<>();
    busy.forEach((part, spent) -> nanos.put(part, spent.sum()));
    return new Reading(pages.sum(), nanos);
  }
}
