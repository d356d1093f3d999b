package dev.brownout.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void writesOneLineThatCannotCloseAScriptOrForgeALine() {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("text", "a\"b\\c\nd</script>&\u2028");
    value.put("list", Arrays.asList(1, 2.5, true, null));
    value.put("nan", Double.NaN);

    assertThat(Json.write(value))
        .isEqualTo(
            "{\"text\":\"a\\\"b\\\\c\\nd\\u003c/script\\u003e\\u0026\\u2028\","
                + "\"list\":[1,2.5,true,null],\"nan\":null}");
  }

  @Test
  void readsAnObjectBack() {
    Map<String, Object> read =
        Json.readObject(
            " {\"s\":\"x\\u0041\\n\",\"n\":-1.5e2,\"b\":false,\"z\":null,\"l\":[1,{}]} ");

    assertThat(read)
        .containsEntry("s", "xA\n")
        .containsEntry("n", -150.0)
        .containsEntry("b", false)
        .containsEntry("z", null)
        .containsEntry("l", List.of(1.0, Map.of()));
  }

  @Test
  void refusesWhatIsNotOneObject() {
    for (String text :
        List.of(
            "",
            "[]",
            "{\"a\":1",
            "{\"a\":1}x",
            "{\"a\":1,\"a\":2}",
            "{a:1}",
            "{\"a\":\"unterminated}",
            "{\"a\":tru}",
            "{\"a\":[[[[[[[[[[1]]]]]]]]]]}")) {
      assertThatThrownBy(() -> Json.readObject(text))
          .as(text)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("at character");
    }
  }

  @Test
  void nestsEightLevelsAndRefusesTheNinth() {
    // the object itself is level 1; each list opens one more
    String eight = "{\"a\":" + "[".repeat(7) + "1" + "]".repeat(7) + "}";
    String nine = "{\"a\":" + "[".repeat(8) + "1" + "]".repeat(8) + "}";

    assertThat(Json.readObject(eight)).containsKey("a");
    assertThatThrownBy(() -> Json.readObject(nine))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("nested deeper than 8 at character 12");
  }
}
