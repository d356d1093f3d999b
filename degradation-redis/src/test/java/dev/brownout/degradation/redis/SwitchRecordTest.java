package dev.brownout.degradation.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.degradation.Switch;
import java.time.Instant;
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
        Arbitraries.integers().between(0, 10_000).map(hundredths -> Switch.rollout(hundredths / 100.0)),
        Arbitraries.strings().withChars("abc xyz=:%").ofMinLength(1).ofMaxLength(20).filter(r -> !r.isBlank()).map(reason -> Switch.off(reason)),
        Arbitraries.longs().between(0, 4_000_000_000L).map(s -> Switch.off("until").by("ops").until(Instant.ofEpochSecond(s, 123))));
  }

  @Property(tries = 200)
  void aRecordReadsBackAsWritten(@ForAll("switches") Switch setting, @ForAll @LongRange(min = 1) long version) throws Exception {
    SwitchRecord record = new SwitchRecord(version, "checkout-1", setting);

    assertThat(SwitchRecord.parse(record.toString())).isEqualTo(record);
    assertThat(SwitchRecord.parseChange("feed.avatars " + record)).isEqualTo(new SwitchRecord.Change("feed.avatars", record));
  }

  @Test
  void aMalformedRecordIsRejectedWithWhatIsWrong() {
    assertThatThrownBy(() -> SwitchRecord.parse("OFF")).hasMessageContaining("<version> <instance> <switch>");
    assertThatThrownBy(() -> SwitchRecord.parse("0 a OFF")).hasMessageContaining("not positive");
    assertThatThrownBy(() -> SwitchRecord.parse("7 a ROLLOUT many")).hasMessageContaining("ROLLOUT needs a percentage");
    assertThatThrownBy(() -> SwitchRecord.parseChange("Feed 7 a OFF")).hasMessageContaining("'Feed'");
    assertThatThrownBy(() -> SwitchRecord.parseChange("feed")).hasMessageContaining("<feature> <version>");
  }
}
