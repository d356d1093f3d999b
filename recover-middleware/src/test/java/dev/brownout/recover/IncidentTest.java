package dev.brownout.recover;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class IncidentTest {

  @Test
  void recordsThePlaceTheTimeAndTheThrowableClassButNotTheMessage() {
    Instant time = Instant.parse("2026-11-25T10:00:00Z");
    Incident incident =
        Incident.of("GET /questions/7", new IllegalStateException("secret detail"), time);

    assertThat(incident.place()).isEqualTo("GET /questions/7");
    assertThat(incident.time()).isEqualTo(time);
    assertThat(incident.throwableClass()).isEqualTo("java.lang.IllegalStateException");
    assertThat(incident.toString()).doesNotContain("secret detail");
  }

  @Test
  void idsAreUniqueAndUrlSafe() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      ids.add(Incident.newId());
    }
    assertThat(ids).hasSize(100_000).allMatch(id -> id.matches("inc-[0-9a-z]{12}"));
  }

  @Test
  void neutralisesAPlaceThatTriesToForgeALogLine() {
    Incident incident = Incident.of("GET /a\r\nINFO forged", new RuntimeException(), Instant.EPOCH);

    assertThat(incident.place()).isEqualTo("GET /a\\r\\nINFO forged").doesNotContain("\n", "\r");
  }

  @Property(tries = 500)
  void neutralisedTextHasNoLineBreaksAndIsBounded(@ForAll String text) {
    String safe = LogSafe.neutralise(text);

    assertThat(safe).doesNotContain("\n", "\r", "\u2028", "\u2029");
    assertThat(safe.chars().noneMatch(Character::isISOControl)).isTrue();
    assertThat(safe.length()).isLessThanOrEqualTo(LogSafe.MAX_LENGTH * 6 + 32);
  }

  @Test
  void capsHugeText() {
    String huge = "x".repeat(1_000_000);

    assertThat(LogSafe.neutralise(huge))
        .startsWith("xxx")
        .endsWith("...(1000000 chars)")
        .hasSize(LogSafe.MAX_LENGTH + 18);
  }
}
