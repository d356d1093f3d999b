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
    assertThat(Switch.parse("OFF until=2026-11-25T18:00:00Z").until())
        .isEqualTo(Instant.parse("2026-11-25T18:00:00Z"));
  }

  @Test
  void badTextNamesWhatIsWrong() {
    assertThatThrownBy(() -> Switch.parse("DIM"))
        .hasMessageContaining("'DIM'")
        .hasMessageContaining("ON, OFF, ROLLOUT");
    assertThatThrownBy(() -> Switch.parse("ROLLOUT lots")).hasMessageContaining("ROLLOUT 25%");
    assertThatThrownBy(() -> Switch.parse("ROLLOUT 101"))
        .hasMessageContaining("switch.rollout")
        .hasMessageContaining("101");
    assertThatThrownBy(() -> Switch.parse("ROLLOUT 3.333")).hasMessageContaining("two decimals");
    assertThatThrownBy(() -> Switch.parse("OFF colour=red"))
        .hasMessageContaining("unknown attribute 'colour'");
    assertThatThrownBy(() -> Switch.parse("OFF for=soon"))
        .hasMessageContaining("switch.for")
        .hasMessageContaining("'soon'");
    assertThatThrownBy(() -> Switch.parse("OFF until=tomorrow"))
        .hasMessageContaining("switch.until")
        .hasMessageContaining("'tomorrow'");
    assertThatThrownBy(() -> Switch.parse("ON for=1m"))
        .hasMessageContaining("switch.lasting")
        .hasMessageContaining("only to an OFF switch");
    assertThatThrownBy(() -> Switch.off("line\nbreak")).hasMessageContaining("switch.reason");
    assertThatThrownBy(() -> Switch.off("x").by("two words")).hasMessageContaining("switch.by");
  }

  @Property(tries = 500)
  void theTextFormReadsBackToTheSameSwitch(@ForAll("switches") Switch original) {
    assertThat(Switch.parse(original.toString())).isEqualTo(original);
  }

  /**
   * Every text {@link Switch#parse} accepts reads back from its {@link Switch#toString} to the same
   * switch; the texts mix the grammar with what is near it (signs, exponents, hex and suffixed
   * numbers, far expiries, repeated attributes), and anything else fails with an {@link
   * IllegalArgumentException}.
   */
  @Property(tries = 2000)
  void everyAcceptedTextReadsBackToTheSameSwitch(@ForAll("texts") String text) {
    Switch parsed;
    try {
      parsed = Switch.parse(text);
    } catch (IllegalArgumentException refused) {
      return;
    }
    Switch again = Switch.parse(parsed.toString());
    assertThat(again).as(text).isEqualTo(parsed);
    assertThat(again.toString()).as(text).isEqualTo(parsed.toString());
  }

  @Provide
  Arbitrary<String> texts() {
    Arbitrary<String> digits =
        Arbitraries.strings().withCharRange('0', '9').ofMinLength(1).ofMaxLength(4);
    Arbitrary<String> shares =
        Arbitraries.oneOf(
            digits,
            Combinators.combine(digits, digits).as((a, b) -> a + "." + b),
            Arbitraries.of(
                "-0",
                "-0.0",
                "+5",
                "25d",
                "25f",
                "0x1p4",
                "1e2",
                "1E1",
                ".5",
                "5.",
                "NaN",
                "Infinity",
                "1_0",
                "０",
                "100.00",
                "0.00"));
    Arbitrary<String> share =
        Combinators.combine(shares, Arbitraries.of("", "%", "%%")).as((n, pct) -> n + pct);
    Arbitrary<String> head =
        Arbitraries.oneOf(
            Arbitraries.of("ON", "OFF", "AUTO", "off", "Auto", "DIM"),
            share.map(s -> "ROLLOUT " + s),
            share.map(s -> "rollout " + s));
    Arbitrary<String> attribute =
        Arbitraries.oneOf(
            Arbitraries.of("by=alice", "by=", "by=a=b", "colour=red", "=x"),
            Arbitraries.of(
                    "1m",
                    "30s",
                    "PT30M",
                    "P1D",
                    "0s",
                    "-1m",
                    "36500d",
                    "36501d",
                    "110000d",
                    "99999999999999999999d",
                    "1e2s")
                .map(d -> "for=" + d),
            Arbitraries.of(
                    "2026-11-25T18:00:00Z",
                    "1970-01-01T00:00:00Z",
                    "2200-01-01T00:00:00Z",
                    "2500-01-01T00:00:00Z",
                    "1600-01-01T00:00:00Z",
                    "1969-12-31T23:59:59Z",
                    "2026-11-25T18:00:00.5Z",
                    "tomorrow")
                .map(u -> "until=" + u),
            Arbitraries.strings().withChars("ab =%\t").ofMaxLength(6).map(r -> "reason=" + r));
    return Combinators.combine(
            head, attribute.list().ofMaxSize(4), Arbitraries.of(" ", "  ", " \t"))
        .as(
            (h, attributes, gap) ->
                h + (attributes.isEmpty() ? "" : gap + String.join(gap, attributes)));
  }

  @Provide
  Arbitrary<Switch> switches() {
    Arbitrary<String> words =
        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8);
    Arbitrary<String> reasons =
        words.list().ofMinSize(1).ofMaxSize(4).map(w -> String.join(" ", w) + " =x");
    Arbitrary<Switch> off =
        Combinators.combine(
                reasons,
                words.injectNull(0.3),
                Arbitraries.integers().between(0, 2),
                Arbitraries.longs().between(1, 100_000))
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
    Arbitrary<Switch> rollout =
        Arbitraries.integers().between(0, 10_000).map(p -> Switch.rollout(p / 100.0));
    return Arbitraries.oneOf(
        off,
        rollout,
        Arbitraries.of(Switch.on(), Switch.auto()),
        reasons.map(r -> Switch.auto().because(r)));
  }
}
