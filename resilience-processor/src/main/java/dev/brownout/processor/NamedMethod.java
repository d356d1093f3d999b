package dev.brownout.processor;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ExecutableElement;

/**
 * A method that an annotation names as text (a fallback, a recovery method): the guarded type's
 * methods of that name, and the first of them that fits. Read once; validation says why none does.
 *
 * @param attribute the annotation's attribute that names it
 * @param name the name as written; empty when the annotation names none
 */
record NamedMethod(
    String attribute,
    String name,
    List<ExecutableElement> candidates,
    Optional<ExecutableElement> chosen) {

  /**
   * The methods named by {@code attribute} of {@code mirror}, and the first that {@code mismatch}
   * finds nothing wrong with (it returns null).
   */
  static NamedMethod find(
      TypeContext context,
      AnnotationMirror mirror,
      String attribute,
      Function<ExecutableElement, String> mismatch) {
    String name = TypeContext.stringValue(mirror, attribute);
    List<ExecutableElement> candidates = context.named(name);
    return new NamedMethod(
        attribute,
        name,
        candidates,
        candidates.stream().filter(c -> mismatch.apply(c) == null).findFirst());
  }

  /**
   * What is wrong, if no method serves: no method has the name ({@code missing}, suggesting {@code
   * shape} with {@code note}), or none fits ({@code mismatched}, saying why the first does not).
   */
  Optional<Problem> problem(
      TypeContext context,
      ExecutableElement method,
      AnnotationMirror mirror,
      ErrorId missing,
      ErrorId mismatched,
      String shape,
      String note,
      Function<ExecutableElement, String> mismatch) {
    String prefix =
        "@" + TypeContext.simpleName(mirror) + "(" + attribute + " = \"" + name + "\"): ";
    if (chosen.isPresent()) {
      return Optional.empty();
    }
    if (candidates.isEmpty()) {
      return Optional.of(
          context.problem(
              missing,
              method,
              mirror,
              prefix
                  + context.type().getSimpleName()
                  + " has no method "
                  + name
                  + "; declare "
                  + shape
                  + note));
    }
    String why = mismatch.apply(candidates.get(0));
    return Optional.of(
        context.problem(mismatched, method, mirror, prefix + why + "; declare " + shape));
  }
}
