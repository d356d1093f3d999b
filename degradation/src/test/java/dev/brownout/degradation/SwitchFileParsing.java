package dev.brownout.degradation;

import java.util.Map;

/** The switch-file parsers, opened to the regression tests of {@code dev.brownout.degradation.regressions}. */
public final class SwitchFileParsing {

  private SwitchFileParsing() {}

  public static Map<String, Switch> json(CharSequence text) {
    return FileSwitchSource.SwitchFiles.json(text);
  }
}
