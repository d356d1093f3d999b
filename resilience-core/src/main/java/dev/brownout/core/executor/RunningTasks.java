package dev.brownout.core.executor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The tasks running now, for the watchdog, the drain and termination: two slots per permit. A task
 * takes a slot after its running permit and leaves it just after giving the permit back (once its
 * future is done), so a task holding a permit always finds a free slot, bar a moment's wait while
 * tasks that gave theirs back finish. A worker starts looking at a slot derived from its thread id,
 * so pooled workers keep to their own slots and rarely collide.
 */
final class RunningTasks {

  private final AtomicReferenceArray<BoundedTask<?>> slots;

  RunningTasks(int size) {
    this.slots = new AtomicReferenceArray<>(size);
  }

  @SuppressWarnings("deprecation") // Thread.getId: threadId() exists only from JDK 19 on.
  int enter(BoundedTask<?> task) {
    int size = slots.length();
    int start = (int) ((Thread.currentThread().getId() & Integer.MAX_VALUE) % size);
    int i = start;
    while (true) {
      if (slots.get(i) == null && slots.compareAndSet(i, null, task)) {
        return i;
      }
      i = i + 1 == size ? 0 : i + 1;
      if (i == start) {
        LockSupport.parkNanos(1_000); // a full round: tasks finishing hold the rest; let them leave
      }
    }
  }

  /** Whether any task is in a slot (a racy read, exact once no task starts). */
  boolean anyOccupied() {
    for (int i = 0; i < slots.length(); i++) {
      if (slots.get(i) != null) {
        return true;
      }
    }
    return false;
  }

  void leave(int slot) {
    slots.set(slot, null);
  }

  List<BoundedTask<?>> snapshot() {
    List<BoundedTask<?>> tasks = new ArrayList<>();
    for (int i = 0; i < slots.length(); i++) {
      BoundedTask<?> task = slots.get(i);
      if (task != null) {
        tasks.add(task);
      }
    }
    return tasks;
  }
}
