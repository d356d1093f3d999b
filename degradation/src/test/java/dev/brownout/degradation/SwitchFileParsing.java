package dev.brownout.degradation;

import java.util.Map;

/**
 * The switch-file parsers, opened to the regression tests of {@code
 * dev.brownout.degradation.regressions}.
 */
public final class SwitchFileParsing {

  private SwitchFileParsing() {}

  public static Map<String, Switch> json(CharSequence text) {
    return SwitchFile.json(text).switches();
  }

  public static Map<String, Switch> properties(String text) {
    return SwitchFile.properties(text).switches();
  }

  /** Whether a properties file ends with its {@code # end} line. */
  public static boolean ended(String text) {
    return SwitchFile.properties(text).ended();
  }
}
