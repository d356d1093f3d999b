package dev.brownout.degradation.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.degradation.Switch;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The scripts, run on a real Redis straight through the store. */
class SwitchStoreTest {

  @RegisterExtension static final RedisFleet fleet = new RedisFleet();

  @Test
  void theScriptsReadARecordsVersionAsJavaDoes() {
    SwitchStore store = new SwitchStore(fleet.prefix());
    SwitchRecord known = new SwitchRecord(1_000, "known", Switch.off("known"));
    List<String> held =
        List.of(
            "999 x ON",
            "1000 x ON",
            "1001 x ON",
            " 5000 x ON",
            "5000\tx ON",
            "+5000 x ON",
            "05000 x ON",
            "1e+14 x ON",
            "9007199254740991 x ON",
            "9007199254740992 x ON",
            "99999999999999999999 x ON",
            "ON");
    for (String text : held) {
      fleet.redis().hset(store.hash, "feed", text);

      long restored = store.restore(fleet.redis(), Map.of("feed", known));

      boolean newerInJava;
      try {
        newerInJava = SwitchRecord.parse(text).version() >= known.version();
      } catch (SwitchRecord.MalformedException e) {
        newerInJava = false;
      }
      assertThat(restored).as("put back over '%s'", text).isEqualTo(newerInJava ? 0 : 1);
    }
  }

  @Test
  void aWriteIsAboveTheFeaturesRecordAsJavaReadsIt() {
    SwitchStore store = new SwitchStore(fleet.prefix());
    fleet.redis().hset(store.hash, "feed", " 9000000000000000 x ON");

    long version = store.write(fleet.redis(), "feed", "a", "OFF", 0, counter -> {});

    assertThat(version).isEqualTo(9_000_000_000_000_001L);
  }
}
