package dev.brownout.migration;

import org.jspecify.annotations.Nullable;

/**
 * Where a {@link Shift} stands, for a page or a log: built on request by {@link Shift#status()}.
 *
 * @param name the shift's name
 * @param state where it is in its life
 * @param step the index of the current step in the builder's steps
 * @param share the share of keys routed to the new path now, in percent
 * @param epoch the epoch, which orders the keys
 * @param lastDecision the judge's last decision, or null before the first
 * @param oldCalls calls of the old path since the step began
 * @param oldErrors failures and timeouts among them
 * @param newCalls calls of the new path since the step began
 * @param newErrors failures and timeouts among them
 * @param fellBack calls that fell back to the old path after the new one failed, in all
 * @param safeToRetire whether the old path can be deleted: the shift is {@link Shift.State#DONE}
 */
public record ShiftStatus(
    String name,
    Shift.State state,
    int step,
    double share,
    int epoch,
    @Nullable ShiftDecision lastDecision,
    long oldCalls,
    long oldErrors,
    long newCalls,
    long newErrors,
    long fellBack,
    boolean safeToRetire) {}
