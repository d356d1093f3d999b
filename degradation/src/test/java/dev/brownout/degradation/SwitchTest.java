package dev.brownout.degradation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class SwitchTest {

  @Test
  void theTextFormReadsEveryAttribute() {
    Switch off = Switch.parse("OFF by=alice for=30m reason=store is down, see INC-1");
    assertThat(off.kind()).isEqualTo(Switch.Kind.OFF);
    assertThat(off.by()).isEqualTo("alice");
    assertThat(off.lasting()).isEqualTo(Duration.ofMinutes(30));
    assertThat(off.reason()).isEqualTo("store is down, see INC-1");
    assertThat(Switch.parse("rollout 25%").percent()).isEqualTo(25.0);
    assertThat(Switch.parse("ROLLOUT 2.5").percent()).isEqualTo(2.5);
    assertThat(Switch.parse(" auto ")).isEqualTo(Switch.auto());
    assertThat(Switch.parse("OFF until=2026-11-25T18:00:00Z").until()).isEqualTo(Instant.parse("2026-11-25T18:00:00Z"));
  }

  @Test
  void badTextNamesWhatIsWrong() {
    assertThatThrownBy(() -> Switch.parse("DIM")).hasMessageContaining("'DIM'").hasMessageContaining("ON, OFF, ROLLOUT");
    assertThatThrownBy(() -> Switch.parse("ROLLOUT lots")).hasMessageContaining("ROLLOUT 25%");
    assertThatThrownBy(() -> Switch.parse("ROLLOUT 101")).hasMessageContaining("switch.rollout").hasMessageContaining("101");
    assertThatThrownBy(() -> Switch.parse("ROLLOUT 3.333")).hasMessageContaining("two decimals");
    assertThatThrownBy(() -> Switch.parse("OFF colour=red")).hasMessageContaining("unknown attribute 'colour'");
    assertThatThrownBy(() -> Switch.parse("OFF for=soon")).hasMessageContaining("switch.for").hasMessageContaining("'soon'");
    assertThatThrownBy(() -> Switch.parse("OFF until=tomorrow")).hasMessageContaining("switch.until").hasMessageContaining("'tomorrow'");
    assertThatThrownBy(() -> Switch.parse("ON for=1m")).hasMessageContaining("switch.lasting").hasMessageContaining("only to an OFF switch");
    assertThatThrownBy(() -> Switch.off("line\nbreak")).hasMessageContaining("switch.reason");
    assertThatThrownBy(() -> Switch.off("x").by("two words")).hasMessageContaining("switch.by");
  }

  @Property(tries = 500)
  void theTextFormReadsBackToTheSameSwitch(@ForAll("switches") Switch original) {
    assertThat(Switch.parse(original.toString())).isEqualTo(original);
  }

  @Provide
  Arbitrary<Switch> switches() {
    Arbitrary<String> words = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8);
    Arbitrary<String> reasons = words.list().ofMinSize(1).ofMaxSize(4).map(w -> String.join(" ", w) + " =x");
    Arbitrary<Switch> off =
        Combinators.combine(reasons, words.injectNull(0.3), Arbitraries.integers().between(0, 2), Arbitraries.longs().between(1, 100_000))
            .as(
                (reason, by, expiry, amount) -> {
                  Switch s = Switch.off(reason);
                  if (by != null) {
                    s = s.by(by);
                  }
                  return switch (expiry) {
                    case 1 -> s.lasting(Duration.ofSeconds(amount));
                    case 2 -> s.until(Instant.ofEpochSecond(1_700_000_000L + amount));
                    default -> s;
                  };
                });
    Arbitrary<Switch> rollout = Arbitraries.integers().between(0, 10_000).map(p -> Switch.rollout(p / 100.0));
    return Arbitraries.oneOf(off, rollout, Arbitraries.of(Switch.on(), Switch.auto()), reasons.map(r -> Switch.auto().because(r)));
  }
}
