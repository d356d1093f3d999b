package dev.brownout.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Scale;

/** The normal distribution's function and quantiles: known values, and each the other's inverse. */
class NormalProperties {

  @Example
  void knownValues() {
    assertThat(Normal.cdf(0)).isCloseTo(0.5, within(1e-7));
    assertThat(Normal.cdf(1.959964)).isCloseTo(0.975, within(1e-7));
    assertThat(Normal.cdf(-3)).isCloseTo(0.0013499, within(1e-7));
    assertThat(Normal.quantile(0.975)).isCloseTo(1.959964, within(1e-6));
    assertThat(Normal.quantile(0.95)).isCloseTo(1.644854, within(1e-6));
    assertThat(Normal.quantile(1e-6)).isCloseTo(-4.753424, within(1e-5));
    assertThatThrownBy(() -> Normal.quantile(1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Property
  void theQuantileInvertsTheFunction(
      @ForAll @DoubleRange(min = 1e-9, max = 0.999999) @Scale(12) double p) {
    assertThat(Normal.cdf(Normal.quantile(p))).isCloseTo(p, within(2e-7 + 1e-6 * p));
  }
}
