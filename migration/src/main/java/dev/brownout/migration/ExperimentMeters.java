package dev.brownout.migration;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * One experiment's meters. Judging adds to striped counters; the meters read them when a registry
 * publishes, so a judged call never touches a meter and a runtime bound to a registry later still
 * sees every call.
 *
 * <ul>
 *   <li>{@code brownout.experiment.verdicts} (counter; tags {@code experiment}, {@code verdict})
 *   <li>{@code brownout.experiment.duration} (timer; tags {@code experiment}, {@code arm} = {@code
 *       control} or {@code candidate}): sampled calls only
 *   <li>{@code brownout.experiment.errors} (counter; tags {@code experiment}, {@code hook}): user
 *       hooks that threw
 * </ul>
 *
 * <p>No value, field or key ever becomes a tag: the tags are the experiment's name and fixed words.
 */
final class ExperimentMeters implements MeterBinder {

  private final String experiment;
  private final Map<Verdict, LongAdder> verdicts = adders(Verdict.class);
  private final Map<Hook, LongAdder> hookErrors = adders(Hook.class);
  private final LongAdder controlCount = new LongAdder();
  private final LongAdder controlNanos = new LongAdder();
  private final LongAdder candidateCount = new LongAdder();
  private final LongAdder candidateNanos = new LongAdder();

  ExperimentMeters(String experiment) {
    this.experiment = experiment;
  }

  /** One adder per constant, made up front: the map is only read afterwards. */
  private static <E extends Enum<E>> Map<E, LongAdder> adders(Class<E> type) {
    Map<E, LongAdder> adders = new EnumMap<>(type);
    for (E constant : type.getEnumConstants()) {
      adders.put(constant, new LongAdder());
    }
    return adders;
  }

  void verdict(Verdict verdict) {
    verdicts.get(verdict).increment();
  }

  void control(long nanos) {
    controlCount.increment();
    controlNanos.add(nanos);
  }

  void candidate(long nanos) {
    candidateCount.increment();
    candidateNanos.add(nanos);
  }

  void hookFailed(Hook hook) {
    hookErrors.get(hook).increment();
  }

  long verdicts(Verdict verdict) {
    return verdicts.get(verdict).sum();
  }

  long hookErrors(Hook hook) {
    return hookErrors.get(hook).sum();
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (Verdict verdict : Verdict.values()) {
      FunctionCounter.builder("brownout.experiment.verdicts", verdicts.get(verdict), LongAdder::sum)
          .description("Sampled calls of an experiment, by verdict")
          .tags("experiment", experiment, "verdict", verdict.name())
          .register(registry);
    }
    timer(registry, "control", controlCount, controlNanos);
    timer(registry, "candidate", candidateCount, candidateNanos);
    for (Hook hook : Hook.values()) {
      FunctionCounter.builder("brownout.experiment.errors", hookErrors.get(hook), LongAdder::sum)
          .description("Experiment hooks that threw; the caller never saw it")
          .tags("experiment", experiment, "hook", hook.tag)
          .register(registry);
    }
  }

  private void timer(MeterRegistry registry, String arm, LongAdder count, LongAdder nanos) {
    FunctionTimer.builder(
            "brownout.experiment.duration",
            this,
            m -> count.sum(),
            m -> nanos.sum(),
            TimeUnit.NANOSECONDS)
        .description("How long each path of an experiment's sampled calls took")
        .tags("experiment", experiment, "arm", arm)
        .register(registry);
  }
}
