package dev.brownout.core.executor;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds the monitor of one lane's queue on a thread of its own until closed, so that a test can
 * stop a submitter, a canceller or a dispatch pass at the queue and let them go on in an order it
 * chooses. Public for the regression tests, which live in another package.
 */
public final class LaneQueueHold implements AutoCloseable {

  private final CountDownLatch held = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private final Thread holder;

  private LaneQueueHold(TaskQueue queue) {
    holder =
        new Thread(
            () -> {
              synchronized (queue) {
                held.countDown();
                try {
                  release.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            },
            "lane-queue-hold");
    holder.setDaemon(true);
  }

  /** Holds the queue of the lane {@code view} submits to (the executor's own, or a partition's). */
  public static LaneQueueHold of(BoundedExecutor view) throws InterruptedException {
    Lane lane = view.dispatcher().lane(view.partitionName());
    LaneQueueHold hold = new LaneQueueHold(lane.queue);
    hold.holder.start();
    if (!hold.held.await(10, TimeUnit.SECONDS)) {
      throw new AssertionError("the queue's monitor was not taken");
    }
    return hold;
  }

  /** Whether {@code thread} is blocked waiting for this queue. */
  @SuppressWarnings("deprecation") // Thread.getId: threadId() exists only from JDK 19 on.
  public boolean blocks(Thread thread) {
    ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(thread.getId());
    return info != null
        && info.getThreadState() == Thread.State.BLOCKED
        && info.getLockOwnerId() == holder.getId();
  }

  /** Lets the queue go; threads blocked on it go on in whatever order the JVM picks. */
  @Override
  public void close() {
    release.countDown();
  }
}
