package dev.brownout.processor;

import com.palantir.javapoet.CodeBlock;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ExecutableElement;

/**
 * A policy whose annotation lives in a module other than core, known to the processor by the
 * annotation's name only (the processor does not depend on that module). Like the processor, it
 * works in stages: {@link #read} turns the annotation on a guarded method into an immutable {@link
 * Use}; the use's {@link Use#validate} lists its mistakes; its {@link Use#expression} is the Java
 * expression that creates the policy at run time, which the generated class hands to the {@code
 * GuardSpec} hook for the policy's place in the guard's order: {@code recovery} (outermost) or
 * {@code admission} (the feature switch, next).
 *
 * <p>A new module's annotation joins by implementing this and being listed in {@link
 * Annotations#MODULE_POLICIES}; the stages need no change.
 */
interface ModulePolicy {

  /** The qualified name of the annotation. */
  String annotation();

  /**
   * The name of a method of the type that the annotation names as a handler (like a fallback); such
   * a method is not guarded by an annotation on the type.
   */
  Optional<String> handler(AnnotationMirror mirror);

  /** The annotation {@code mirror} as it applies to {@code method}; reports nothing. */
  Use read(TypeContext context, ExecutableElement method, AnnotationMirror mirror);

  /** A module policy's annotation on one guarded method, as read. */
  interface Use {

    /** The annotation as written. */
    AnnotationMirror mirror();

    /**
     * The {@code GuardSpec} method that installs the policy: {@code "recovery"} or {@code
     * "admission"}.
     */
    String hook();

    /** Every mistake in the annotation; empty when the expression can be written. */
    List<Problem> validate(TypeContext context);

    /**
     * The expression that creates the policy; the generated constructor's {@code brownout} and
     * {@code delegate} are in scope. Called only when {@link #validate} found nothing.
     */
    CodeBlock expression(TypeContext context);
  }
}
