package dev.brownout.spring.recovering;

import dev.brownout.recover.Incident;
import dev.brownout.recover.annotation.Recover;

/** A guarded type with a {@code @Recover} method, whose incidents the context must keep. */
public interface Quotes {

  @Recover(method = "noQuote")
  String quote(String item);

  default String noQuote(Incident incident) {
    return "no quote";
  }
}
