package dev.brownout.core.executor;

/**
 * A lane's waiting tasks, first in first out, linked through the tasks themselves so that queueing
 * one allocates nothing (a {@link java.util.concurrent.ConcurrentLinkedQueue} adds a node per
 * task).
 *
 * <p>Concurrency note: one monitor guards the links. Each critical section is a few field reads and
 * writes, and the queue's bound and its counts live in {@link Lane}, outside the lock, so admission
 * never waits here for long. A task is offered at most once in its life (a queued task is never
 * queued again), so its link is free whenever it is offered. {@link #remove} walks the list; it
 * runs only when a waiting task is cancelled. {@link #hasWaiting} walks past cancelled tasks not
 * yet removed, so it reads the head and stops there unless a cancel is under way.
 */
final class TaskQueue {

  private BoundedTask<?> head;
  private BoundedTask<?> tail;

  synchronized void offer(BoundedTask<?> task) {
    if (tail == null) {
      head = task;
    } else {
      tail.next = task;
    }
    tail = task;
  }

  synchronized BoundedTask<?> poll() {
    BoundedTask<?> task = head;
    if (task != null) {
      head = task.next;
      if (head == null) {
        tail = null;
      }
      task.next = null;
    }
    return task;
  }

  /**
   * Whether a task here still waits to be claimed: the lane's count also covers a task being
   * offered right now and one cancelled but not yet unlinked, which a dispatcher cannot take.
   */
  synchronized boolean hasWaiting() {
    for (BoundedTask<?> each = head; each != null; each = each.next) {
      if (each.waiting()) {
        return true;
      }
    }
    return false;
  }

  /** Unlinks {@code task} if it is still here. */
  synchronized void remove(BoundedTask<?> task) {
    BoundedTask<?> before = null;
    for (BoundedTask<?> each = head; each != null; before = each, each = each.next) {
      if (each == task) {
        if (before == null) {
          head = each.next;
        } else {
          before.next = each.next;
        }
        if (tail == each) {
          tail = before;
        }
        each.next = null;
        return;
      }
    }
  }
}
