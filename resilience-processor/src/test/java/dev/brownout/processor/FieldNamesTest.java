package dev.brownout.processor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The generated class names each field after its method, and after its parameter types when the
 * method is overloaded, so a field keeps its name when other methods are added or removed.
 */
class FieldNamesTest {

  private static String generated(String members) throws Exception {
    Compilation compilation =
        Compilation.compile(
            "shop.Prices",
            """
        package shop;
        import dev.brownout.core.annotation.*;
        public interface Prices {
        """
                + members
                + "}\n");
    assertThat(compilation.errors()).isEmpty();
    return compilation.generated("shop.Guarded_Prices");
  }

  @Test
  void aFieldIsNamedAfterItsMethod() throws Exception {
    assertThat(generated("@Bulkhead long size();\n"))
        .contains("private final Guard sizeGuard;")
        .contains("private final Callable<Long> sizeTask;");
  }

  @Test
  void anOverloadedMethodsFieldsAddItsParameterTypes() throws Exception {
    assertThat(
            generated(
                """
        @Retry(name = "a") String price();
        @Retry(name = "b") String price(String item);
        @Retry(name = "c") String price(String item, int[] quantities);
        """))
        .contains("private final Guard priceGuard;")
        .contains("private final Guard price_StringGuard;")
        .contains("private final Guard price_String_intArrayGuard;");
  }

  @Test
  void aFieldKeepsItsNameWhenAnotherMethodComesBeforeIt() throws Exception {
    String alone = generated("@Bulkhead long size();\n");
    String after =
        generated("@Timeout(\"1s\") String first(String a, String b);\n@Bulkhead long size();\n");

    assertThat(alone).contains("this.sizeTask = () -> delegate.size();");
    assertThat(after)
        .contains("this.sizeTask = () -> delegate.size();")
        .contains("this.firstGuard = ");
  }
}
