package dev.brownout.migration;

/** A piece of user code an experiment calls besides the two paths; a failure in one is counted. */
enum Hook {
  RUN_IF("runIf"),
  COMPARE("compare"),
  COMPARE_ERRORS("compareErrors"),
  IGNORE("ignore"),
  CLEAN("clean"),
  PUBLISHER("publisher");

  /** The value of the {@code hook} tag, as the builder method is named. */
  final String tag;

  Hook(String tag) {
    this.tag = tag;
  }
}
