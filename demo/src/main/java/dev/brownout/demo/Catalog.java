package dev.brownout.demo;

import java.util.List;
import java.util.Optional;

/**
 * The core data of the Q&A service: questions and their answers, held in memory so they never fail.
 */
final class Catalog {

  /** Questions 1 to {@value #SIZE} exist. */
  static final int SIZE = 60;

  /** A question: the part of every response that must always be there. */
  record Question(int id, String title, String author, List<String> answers) {}

  Optional<Question> question(int id) {
    if (id < 1 || id > SIZE) {
      return Optional.empty();
    }
    return Optional.of(
        new Question(
            id,
            "How do I keep service " + id + " up when its dependencies are down?",
            "user-" + (id % 17),
            List.of(
                "Shed the optional features first (answer " + id + ".1).",
                "Put a breaker on every remote call (answer " + id + ".2).")));
  }
}
