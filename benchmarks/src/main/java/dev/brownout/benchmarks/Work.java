package dev.brownout.benchmarks;

import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The protected call: about a nanosecond of real work (a read of a field the JIT cannot treat as a
 * constant), offered as each library's functional type so no adapter is allocated per call.
 */
@State(Scope.Benchmark)
public class Work {

  /** Not final and written in setup, so the JIT has to read it. */
  public volatile int seed = 42;

  public final Callable<Integer> callable = () -> seed;
  public final Supplier<Integer> supplier = () -> seed;
}
