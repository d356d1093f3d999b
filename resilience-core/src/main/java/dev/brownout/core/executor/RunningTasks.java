package dev.brownout.core.executor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The tasks running now, one slot per permit, for the watchdog and the drain. A task holds a running
 * permit from before it takes a slot until after it leaves it, so there are never more tasks than
 * slots and a free one always exists. A worker starts looking at a slot derived from its thread id, so
 * pooled workers keep to their own slots and rarely collide.
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
    for (int i = start; ; i = i + 1 == size ? 0 : i + 1) {
      if (slots.get(i) == null && slots.compareAndSet(i, null, task)) {
        return i;
      }
    }
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
