package dev.brownout.migration;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
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
  private final LongAdder[] verdicts = adders(Verdict.values().length);
  private final LongAdder[] hookErrors = adders(Hook.values().length);
  private final LongAdder controlCount = new LongAdder();
  private final LongAdder controlNanos = new LongAdder();
  private final LongAdder candidateCount = new LongAdder();
  private final LongAdder candidateNanos = new LongAdder();

  ExperimentMeters(String experiment) {
    this.experiment = experiment;
  }

  private static LongAdder[] adders(int n) {
    LongAdder[] adders = new LongAdder[n];
    for (int i = 0; i < n; i++) {
      adders[i] = new LongAdder();
    }
    return adders;
  }

  void verdict(Verdict verdict) {
    verdicts[verdict.ordinal()].increment();
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
    hookErrors[hook.ordinal()].increment();
  }

  long verdicts(Verdict verdict) {
    return verdicts[verdict.ordinal()].sum();
  }

  long hookErrors(Hook hook) {
    return hookErrors[hook.ordinal()].sum();
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (Verdict verdict : Verdict.values()) {
      FunctionCounter.builder(
              "brownout.experiment.verdicts", verdicts[verdict.ordinal()], LongAdder::sum)
          .description("Sampled calls of an experiment, by verdict")
          .tags("experiment", experiment, "verdict", verdict.name())
          .register(registry);
    }
    timer(registry, "control", controlCount, controlNanos);
    timer(registry, "candidate", candidateCount, candidateNanos);
    for (Hook hook : Hook.values()) {
      FunctionCounter.builder(
              "brownout.experiment.errors", hookErrors[hook.ordinal()], LongAdder::sum)
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
