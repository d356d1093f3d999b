package dev.brownout.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import org.junit.jupiter.api.Test;

/**
 * A guarded type that mentions a type another processor generates later is read in the round after
 * that type exists, not refused; a type nothing ever generates is refused once, naming it.
 */
class DeferralTest {

  private static final String SERVICE =
      """
      package shop;
      import dev.brownout.core.annotation.CircuitBreaker;
      import dev.brownout.core.annotation.Fallback;
      import shop.model.Price;
      public interface Prices {
        @CircuitBreaker @Fallback(method = "listed")
        Price price(String item);

        default Price listed(String item) { return new Price(100); }
      }
      """;

  /** Generates {@code shop.model.Price} in its first round, as a value-class processor would. */
  static final class PriceProcessor extends AbstractProcessor {
    private boolean done;

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return Set.of("*");
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      if (!done) {
        done = true;
        try (Writer writer =
            processingEnv.getFiler().createSourceFile("shop.model.Price").openWriter()) {
          writer.write("package shop.model;\npublic record Price(long cents) {}\n");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return false;
    }
  }

  @Test
  void aTypeMentioningATypeGeneratedLaterIsGeneratedInALaterRound() throws Exception {
    Compilation compilation =
        Compilation.compileWith(List.of(new PriceProcessor()), "shop.Prices", SERVICE);

    assertThat(compilation.errors()).isEmpty();
    assertThat(compilation.generated("shop.Guarded_Prices"))
        .contains("public Price price(String item)");
  }

  @Test
  void aTypeMentioningATypeNothingGeneratesIsRefusedNamingIt() {
    Compilation compilation = Compilation.compile("shop.Prices", SERVICE);

    assertThat(compilation.succeeded()).isFalse();
    assertThat(
            compilation.lineOfError(
                "[BRO-TYPE-009] no guarded class was generated for Prices: it mentions"
                    + " Price, which no source or processor has defined"))
        .contains("public interface Prices {");
  }
}
