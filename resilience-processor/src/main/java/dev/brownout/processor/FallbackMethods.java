package dev.brownout.processor;

import java.util.List;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Types;

/**
 * What a {@code @Fallback} method must be: the guarded method's parameters, then optionally the
 * failure; a result the guarded method can return; no checked exception it does not declare. The
 * read stage picks the first method that fits; the validation stage says why none does.
 */
final class FallbackMethods {

  private FallbackMethods() {}

  /** Why {@code candidate} cannot be the fallback of {@code method}, or null if it can. */
  static String mismatch(
      TypeContext context,
      ExecutableElement method,
      ExecutableElement candidate,
      List<TypeMirror> on,
      TypeMirror expected) {
    Types types = context.types();
    String uncallable = TypeContext.uncallable(candidate);
    if (uncallable != null) {
      return uncallable;
    }
    List<? extends VariableElement> wanted = method.getParameters();
    List<? extends VariableElement> given = candidate.getParameters();
    if (given.size() != wanted.size() && given.size() != wanted.size() + 1) {
      return candidate.getSimpleName()
          + " takes "
          + given.size()
          + " parameters, but the guarded method takes "
          + wanted.size()
          + " (plus, optionally, the failure)";
    }
    for (int i = 0; i < wanted.size(); i++) {
      if (!types.isSameType(
          types.erasure(wanted.get(i).asType()), types.erasure(given.get(i).asType()))) {
        return "parameter "
            + (i + 1)
            + " of "
            + candidate.getSimpleName()
            + " is "
            + given.get(i).asType()
            + ", but the guarded method's is "
            + wanted.get(i).asType();
      }
    }
    if (given.size() == wanted.size() + 1) {
      TypeMirror failure = given.get(given.size() - 1).asType();
      for (TypeMirror handled : on) {
        if (!types.isAssignable(handled, failure)) {
          return "its failure parameter is "
              + failure
              + ", which cannot hold a "
              + handled
              + " from @Fallback(on)";
        }
      }
    }
    if (expected.getKind() == TypeKind.VOID) {
      if (candidate.getReturnType().getKind() != TypeKind.VOID) {
        return candidate.getSimpleName()
            + " returns "
            + candidate.getReturnType()
            + ", but the guarded method returns void";
      }
    } else if (!types.isAssignable(candidate.getReturnType(), expected)) {
      return candidate.getSimpleName()
          + " returns "
          + candidate.getReturnType()
          + ", which is not a "
          + expected;
    }
    for (TypeMirror thrown : candidate.getThrownTypes()) {
      if (context.isChecked(thrown) && !declares(types, method, thrown)) {
        return candidate.getSimpleName()
            + " throws "
            + thrown
            + ", which the guarded method does not declare";
      }
    }
    return null;
  }

  private static boolean declares(Types types, ExecutableElement method, TypeMirror thrown) {
    for (TypeMirror declared : method.getThrownTypes()) {
      if (types.isAssignable(thrown, declared)) {
        return true;
      }
    }
    return false;
  }

  /** The declaration a fallback called {@code name} should have, for messages. */
  static String shape(TypeMirror expected, String name, ExecutableElement method) {
    String params = TypeContext.parameters(method);
    return expected
        + " "
        + name
        + "("
        + params
        + (params.isEmpty() ? "" : ", ")
        + "Exception failure)";
  }
}
