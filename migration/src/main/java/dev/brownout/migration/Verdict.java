package dev.brownout.migration;

/**
 * What an experiment concluded about one call: how the new path (the candidate) compared with the
 * old one (the control). Whatever the verdict, the caller got the old path's value or exception.
 */
public enum Verdict {
  /** Both paths ran and their values (or their exceptions) compared equal. */
  MATCH,
  /** Both paths ran and their results differ, and no ignore rule excused the difference. */
  MISMATCH,
  /** The results differ, but an ignore rule excused the difference. */
  IGNORED,
  /** The new path threw while the old one returned a value. */
  CANDIDATE_FAILED,
  /** The new path did not finish within the experiment's timeout. */
  CANDIDATE_TIMEOUT,
  /**
   * The new path did not run although the call was sampled: its lane was full, the brownout level
   * shed it, or a run condition said no. A skipped call is never queued.
   */
  SKIPPED
}
