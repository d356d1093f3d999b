package dev.brownout.core.executor;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one JVM shutdown hook that drains every executor built with {@code drainOnExit(true)}, all at
 * once (each on its own thread, for its own drain timeout), so the JVM waits for the slowest, not
 * for the sum. An executor leaves the set when it terminates.
 */
final class ExitDrain {

  private static final Logger LOG = LoggerFactory.getLogger(BoundedExecutor.class);
  private static final Set<Dispatcher> EXECUTORS = ConcurrentHashMap.newKeySet();
  private static boolean hooked;

  private ExitDrain() {}

  static void register(Dispatcher executor) {
    EXECUTORS.add(executor);
    synchronized (ExitDrain.class) {
      if (!hooked) {
        Runtime.getRuntime()
            .addShutdownHook(new Thread(ExitDrain::drainAll, "brownout-exit-drain"));
        hooked = true;
      }
    }
  }

  static void forget(Dispatcher executor) {
    EXECUTORS.remove(executor);
  }

  static void drainAll() {
    List<Thread> drains = new ArrayList<>();
    for (Dispatcher executor : List.copyOf(EXECUTORS)) {
      Thread drain =
          new Thread(
              () -> {
                DrainReport report = executor.drain(executor.config.drainTimeout());
                if (!report.clean()) {
                  LOG.warn("executor '{}' drained at JVM exit: {}", executor.name, report);
                }
              },
              "brownout-exit-drain-" + executor.name);
      drain.start();
      drains.add(drain);
    }
    for (Thread drain : drains) {
      try {
        drain.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
