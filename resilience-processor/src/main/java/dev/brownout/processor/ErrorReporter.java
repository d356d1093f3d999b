package dev.brownout.processor;

import java.util.List;
import javax.annotation.processing.Messager;
import javax.tools.Diagnostic;

/**
 * The one way the processor reports an error: every {@link Problem} goes through here, so every
 * message carries its {@link ErrorId} and points javac at the offending element, annotation or
 * value.
 */
final class ErrorReporter {

  private final Messager messager;

  ErrorReporter(Messager messager) {
    this.messager = messager;
  }

  void report(List<Problem> problems) {
    for (Problem problem : problems) {
      report(problem);
    }
  }

  void report(Problem problem) {
    if (problem.mirror() == null) {
      messager.printMessage(Diagnostic.Kind.ERROR, problem.text(), problem.element());
    } else if (problem.value() == null) {
      messager.printMessage(
          Diagnostic.Kind.ERROR, problem.text(), problem.element(), problem.mirror());
    } else {
      messager.printMessage(
          Diagnostic.Kind.ERROR,
          problem.text(),
          problem.element(),
          problem.mirror(),
          problem.value());
    }
  }
}
