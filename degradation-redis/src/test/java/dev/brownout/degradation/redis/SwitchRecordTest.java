package dev.brownout.degradation.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.degradation.Switch;
import java.time.Instant;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The text Redis holds; needs no Redis. */
class SwitchRecordTest {

  @Provide
  Arbitrary<Switch> switches() {
    return Arbitraries.oneOf(
        Arbitraries.just(Switch.on()),
        Arbitraries.just(Switch.auto()),
        Arbitraries.integers()
            .between(0, 10_000)
            .map(hundredths -> Switch.rollout(hundredths / 100.0)),
        Arbitraries.strings()
            .withChars("abc xyz=:%")
            .ofMinLength(1)
            .ofMaxLength(20)
            .filter(r -> !r.isBlank())
            .map(reason -> Switch.off(reason)),
        Arbitraries.longs()
            .between(0, 4_000_000_000L)
            .map(s -> Switch.off("until").by("ops").until(Instant.ofEpochSecond(s, 123))));
  }

  @Property(tries = 200)
  void aRecordReadsBackAsWritten(
      @ForAll("switches") Switch setting,
      @ForAll @LongRange(min = 1, max = SwitchRecord.MAX_VERSION) long version)
      throws Exception {
    SwitchRecord record = new SwitchRecord(version, "checkout-1", setting);

    assertThat(SwitchRecord.parse(record.toString())).isEqualTo(record);
    assertThat(SwitchRecord.parseChange("feed.avatars " + record))
        .isEqualTo(new SwitchRecord.Change("feed.avatars", record));
  }

  @Property(tries = 200)
  void aVersionOutsideOneToTheLargestIsRejected(@ForAll("outOfRange") String version) {
    assertThatThrownBy(() -> SwitchRecord.parse(version + " a OFF"))
        .isInstanceOf(SwitchRecord.MalformedException.class)
        .hasMessageContaining("is not a whole number from 1 to " + SwitchRecord.MAX_VERSION);
  }

  @Provide
  Arbitrary<String> outOfRange() {
    return Arbitraries.oneOf(
        Arbitraries.longs()
            .between(SwitchRecord.MAX_VERSION + 1, Long.MAX_VALUE)
            .map(String::valueOf),
        Arbitraries.longs().between(Long.MIN_VALUE, 0).map(String::valueOf),
        Arbitraries.strings().numeric().ofMinLength(20).ofMaxLength(40).map(digits -> "1" + digits),
        Arbitraries.longs().between(1, SwitchRecord.MAX_VERSION).map(v -> "0" + v),
        Arbitraries.longs().between(1, SwitchRecord.MAX_VERSION).map(v -> "+" + v),
        Arbitraries.doubles().between(1e14, 1e30).map(v -> String.format(Locale.ROOT, "%.14g", v)));
  }

  @Test
  void aMalformedRecordIsRejectedWithWhatIsWrong() {
    assertThatThrownBy(() -> SwitchRecord.parse("OFF"))
        .hasMessageContaining("<version> <instance> <switch>");
    assertThatThrownBy(() -> SwitchRecord.parse("0 a OFF"))
        .hasMessageContaining("'0' is not a whole number from 1 to 9007199254740991");
    assertThatThrownBy(() -> SwitchRecord.parse("1e+14 a OFF"))
        .hasMessageContaining("'1e+14' is not a whole number");
    assertThatThrownBy(() -> SwitchRecord.parse("+7 a OFF")).hasMessageContaining("'+7'");
    assertThatThrownBy(() -> SwitchRecord.parse("9007199254740992 a OFF"))
        .hasMessageContaining("'9007199254740992'");
    assertThatThrownBy(() -> SwitchRecord.parse("7 a ROLLOUT many"))
        .hasMessageContaining("ROLLOUT needs a percentage");
    assertThatThrownBy(() -> SwitchRecord.parseChange("Feed 7 a OFF"))
        .hasMessageContaining("'Feed'");
    assertThatThrownBy(() -> SwitchRecord.parseChange("feed"))
        .hasMessageContaining("<feature> <version>");
  }
}
