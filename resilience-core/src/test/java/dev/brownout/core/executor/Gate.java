package dev.brownout.core.executor;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A task body that says when it has started and runs until the test opens it. */
final class Gate {

  private final CountDownLatch started = new CountDownLatch(1);
  private final CountDownLatch open = new CountDownLatch(1);

  /** Blocks until {@link #open()}; an interrupt ends the wait with an exception. */
  String pass(String value) throws InterruptedException {
    started.countDown();
    open.await();
    return value;
  }

  void awaitStarted() throws InterruptedException {
    if (!started.await(10, TimeUnit.SECONDS)) {
      throw new AssertionError("the task did not start");
    }
  }

  void open() {
    open.countDown();
  }
}
