package dev.brownout.processor;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;

/**
 * The methods a module policy's annotation names as handlers (a recovery method, a degraded feature's
 * fallback): found among the guarded type's members, and checked for what every handler must be.
 */
final class Handlers {

  private Handlers() {}

  /** The methods of the guarded type (inherited ones too) called {@code name}. */
  static List<ExecutableElement> named(Model model, String name) {
    List<ExecutableElement> candidates = new ArrayList<>();
    for (ExecutableElement candidate : ElementFilter.methodsIn(model.env().getElementUtils().getAllMembers(model.type()))) {
      if (candidate.getSimpleName().contentEquals(name)) {
        candidates.add(candidate);
      }
    }
    return candidates;
  }

  /** Why the generated class cannot call {@code candidate} on its delegate, or null if it can. */
  static String uncallable(ExecutableElement candidate) {
    Set<Modifier> modifiers = candidate.getModifiers();
    String name = candidate.getSimpleName().toString();
    if (modifiers.contains(Modifier.PRIVATE)) {
      return name + " is private, so the generated class cannot call it";
    }
    if (modifiers.contains(Modifier.STATIC)) {
      return name + " is static; make it an instance method";
    }
    return null;
  }

  /**
   * Why {@code candidate}'s result or exceptions do not fit a guarded method giving {@code expected},
   * or null if they do; {@code role} names the handler in the message ("a recovery method").
   */
  static String resultProblem(Model model, ExecutableElement candidate, TypeMirror expected, String role) {
    String name = candidate.getSimpleName().toString();
    if (expected.getKind() == TypeKind.VOID) {
      if (candidate.getReturnType().getKind() != TypeKind.VOID) {
        return name + " returns " + candidate.getReturnType() + ", but the guarded method returns void";
      }
    } else if (!model.env().getTypeUtils().isAssignable(candidate.getReturnType(), expected)) {
      return name + " returns " + candidate.getReturnType() + ", which is not a " + expected;
    }
    for (TypeMirror thrown : candidate.getThrownTypes()) {
      if (model.isChecked(thrown)) {
        return name + " throws " + thrown + ", but " + role + " may throw unchecked exceptions only";
      }
    }
    return null;
  }
}
