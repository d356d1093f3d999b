package dev.brownout.migration;

/**
 * What both paths did since their step began, in the same process and over the same span of time:
 * calls, failed calls, and the judged latency quantile (nanoseconds; 0 when unknown).
 */
record ShiftLook(
    long oldCalls,
    long oldErrors,
    long oldLatencyNanos,
    long newCalls,
    long newErrors,
    long newLatencyNanos) {}
