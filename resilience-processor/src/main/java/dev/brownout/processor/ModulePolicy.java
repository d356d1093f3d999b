package dev.brownout.processor;

import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ExecutableElement;

/**
 * A policy whose annotation lives in a module other than core, known to the processor by the
 * annotation's name only (the processor does not depend on that module). It checks the annotation on a
 * guarded method and writes the Java expression that creates the policy at run time; the generated
 * class hands that expression to the {@code GuardSpec} hook for the policy's place in the guard's
 * order: {@code recovery} (outermost) or {@code admission} (the feature switch, next).
 *
 * <p>A new module's annotation joins by implementing this and being listed in {@link
 * GuardProcessor#MODULE_POLICIES}; {@link Model} and {@link SourceWriter} need no change.
 */
interface ModulePolicy {

  /** The qualified name of the annotation. */
  String annotation();

  /** The {@code GuardSpec} method that installs the policy: {@code "recovery"} or {@code "admission"}. */
  String hook();

  /**
   * Checks {@code mirror} as it applies to {@code method} and returns the expression that creates the
   * policy (the generated constructor's {@code brownout} and {@code delegate} are in scope), or empty
   * after reporting an error through {@code model}.
   */
  Optional<String> expression(Model model, ExecutableElement method, AnnotationMirror mirror);

  /**
   * The name of a method of the type that the annotation names as a handler (like a fallback); such a
   * method is not guarded by an annotation on the type.
   */
  default Optional<String> handler(AnnotationMirror mirror) {
    return Optional.empty();
  }
}
