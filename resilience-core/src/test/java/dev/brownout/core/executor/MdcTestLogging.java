package dev.brownout.core.executor;

import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.simple.SimpleServiceProvider;
import org.slf4j.spi.MDCAdapter;

/**
 * slf4j-simple with a working MDC (its own is a no-op), so tests can see what a task's MDC holds.
 * Surefire selects it through the {@code slf4j.provider} system property.
 */
public final class MdcTestLogging extends SimpleServiceProvider {

  private final MDCAdapter mdc = new BasicMDCAdapter();

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }
}
