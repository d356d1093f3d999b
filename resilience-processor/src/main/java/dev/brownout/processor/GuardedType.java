package dev.brownout.processor;

import java.util.List;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;

/**
 * One annotated type as the read stage saw it: immutable, and not yet judged. The validation stage
 * finds its mistakes; the writing stage turns a model without mistakes into the generated class.
 *
 * @param generatedName the binary name of the class to generate
 * @param delegated every method the generated class overrides, in the order javac lists them
 * @param guarded the guarded ones among them, in the same order
 * @param annotated the type's own methods that carry a Brownout annotation, with the first one
 * @param migrations the methods that carry a migration annotation instead, in the order javac lists
 *     them
 */
record GuardedType(
    TypeContext context,
    String generatedName,
    List<ExecutableElement> delegated,
    List<GuardedMethod> guarded,
    List<Annotated> annotated,
    List<Migration> migrations) {

  TypeElement type() {
    return context.type();
  }

  /** The guarded method of {@code method}, if it is guarded. */
  Optional<GuardedMethod> guardOf(ExecutableElement method) {
    return guarded.stream().filter(g -> g.method().equals(method)).findFirst();
  }

  /** The migration of {@code method}, if it is migrated. */
  Optional<Migration> migrationOf(ExecutableElement method) {
    return migrations.stream().filter(m -> m.method().equals(method)).findFirst();
  }

  /** A method of the type and the first Brownout annotation on it. */
  record Annotated(ExecutableElement method, AnnotationMirror annotation) {}

  /**
   * A guarded method: its guard's name (set by an annotation, or the default), every annotation
   * that set a name, the core policies with their values, its fallback and the module policies.
   */
  record GuardedMethod(
      ExecutableElement method,
      String guardName,
      List<Naming> names,
      List<CorePolicy> policies,
      Optional<FallbackUse> fallback,
      List<ModulePolicy.Use> modules,
      boolean async) {

    /**
     * Whether the call's key (its arguments) is passed to the guard: only a fallback or an
     * admission policy reads it, and building it may allocate (a box, a list), so other calls pass
     * none.
     */
    boolean usesKey() {
      return fallback.isPresent()
          || modules.stream().anyMatch(use -> use.hook().equals("admission"));
    }
  }

  /** An annotation that names the guard. */
  record Naming(AnnotationMirror mirror, String name) {}

  /** A core policy's annotation: its {@code GuardSpec} policy, settings and exception lists. */
  record CorePolicy(
      String policy,
      AnnotationMirror mirror,
      List<Setting> settings,
      List<ExceptionList> exceptions) {

    /** The types of the exception list {@code attribute}; empty when it is not set. */
    List<TypeMirror> exceptions(String attribute) {
      return exceptions.stream()
          .filter(e -> e.attribute().equals(attribute))
          .findFirst()
          .map(ExceptionList::types)
          .orElse(List.of());
    }
  }

  /** One attribute as a {@code GuardSpec} setting: its key and the value's text. */
  record Setting(String attribute, String key, String text, AnnotationValue value) {}

  /** A {@code Class[]} attribute. */
  record ExceptionList(String attribute, List<TypeMirror> types) {}

  /**
   * A {@code @Fallback}: the failures it handles (under the attribute name the user wrote, {@code
   * on} or {@code applyOn}; {@code Exception} when unset), those it lets through, and the method it
   * names.
   */
  record FallbackUse(
      AnnotationMirror mirror,
      String onName,
      List<TypeMirror> on,
      List<TypeMirror> skipOn,
      boolean setsOnAndApplyOn,
      NamedMethod method) {

    /** Whether the chosen fallback takes the failure after the guarded method's arguments. */
    boolean takesFailure(ExecutableElement guarded) {
      return method.chosen().orElseThrow().getParameters().size() > guarded.getParameters().size();
    }
  }
}
