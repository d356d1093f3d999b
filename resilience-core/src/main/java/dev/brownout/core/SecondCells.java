package dev.brownout.core;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Striped per-second counters over a window of whole seconds.
 *
 * <p>Each cell packs the low 32 bits of its second (the tag) with a 32-bit count, so a thread can
 * move a cell to a new second and count in one CAS, without a lock and without a separate reset.
 * Rows are per stripe, 128 bytes apart, so threads on different stripes never write the same cache
 * line; a reader sums the cells whose tag lies in the window. A row has a power-of-two number of
 * cells, at least the window's seconds, so a second finds its cell with a mask: a modulo by the
 * window's size is an integer division on every call (~10 ns, a third of a time window's cost).
 */
final class SecondCells {

  private final int seconds;

  /** Cells per row minus one: the rows hold a power of two of cells. */
  private final int mask;

  private final int rowLength;
  private final AtomicLongArray cells;

  SecondCells(int seconds) {
    this.seconds = seconds;
    this.mask = (seconds <= 1 ? 1 : Integer.highestOneBit(seconds - 1) << 1) - 1;
    this.rowLength = mask + 1 + Stripes.LONG_PAD;
    this.cells = new AtomicLongArray(Stripes.COUNT * rowLength + Stripes.LONG_PAD);
  }

  /** Adds {@code delta} to the current thread's cell for {@code second}. */
  void add(long second, int delta) {
    int index = Stripes.current() * rowLength + ((int) second & mask);
    int tag = (int) second;
    for (; ; ) {
      long cell = cells.get(index);
      int cellTag = (int) (cell >>> 32);
      long next;
      if (cellTag == tag || tag - cellTag < 0) {
        // The same second, or a thread that read the clock just before another moved the cell on:
        // count it in the newer second rather than reset the cell backwards.
        next = cell + delta;
      } else {
        next = ((long) tag << 32) | (delta & 0xFFFF_FFFFL);
      }
      if (cells.compareAndSet(index, cell, next)) {
        return;
      }
    }
  }

  /** The sum over all stripes of the cells for the seconds in {@code (now - seconds, now]}. */
  long sum(long now) {
    int nowTag = (int) now;
    long sum = 0;
    for (int stripe = 0; stripe < Stripes.COUNT; stripe++) {
      int row = stripe * rowLength;
      for (int i = 0; i <= mask; i++) {
        long cell = cells.get(row + i);
        int age = nowTag - (int) (cell >>> 32);
        if (age >= 0 && age < seconds) {
          sum += (int) cell;
        }
      }
    }
    return sum;
  }
}
