package dev.brownout.processor;

import dev.brownout.core.GuardSpec;
import dev.brownout.processor.GuardedType.Annotated;
import dev.brownout.processor.GuardedType.CorePolicy;
import dev.brownout.processor.GuardedType.FallbackUse;
import dev.brownout.processor.GuardedType.GuardedMethod;
import dev.brownout.processor.GuardedType.Naming;
import dev.brownout.processor.GuardedType.Setting;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;

/**
 * The validation stage: every mistake in a {@link GuardedType}, each as a {@link Problem} with its
 * {@link ErrorId}, in the order a reader meets them (the type, then its methods). A model is
 * written only when this finds nothing. Values are checked by the runtime's own {@link
 * GuardSpec#check}, so what compiles is what the runtime accepts.
 */
final class Validator {

  private final GuardedType model;
  private final TypeContext context;
  private final TypeElement type;

  Validator(GuardedType model) {
    this.model = model;
    this.context = model.context();
    this.type = model.type();
  }

  List<Problem> validate() {
    List<Problem> problems = new ArrayList<>(typeProblems());
    if (!problems.isEmpty()) {
      return problems;
    }
    for (Annotated annotated : model.annotated()) {
      overridable(annotated).ifPresent(problems::add);
    }
    Map<String, ExecutableElement> names = new LinkedHashMap<>();
    for (GuardedMethod guarded : model.guarded()) {
      problems.addAll(guardProblems(guarded));
      ExecutableElement other = names.putIfAbsent(guarded.guardName(), guarded.method());
      if (other != null) {
        problems.add(
            Problem.on(
                ErrorId.NAME_TAKEN,
                guarded.method(),
                "guard name '"
                    + guarded.guardName()
                    + "' is already used by "
                    + other.getSimpleName()
                    + "("
                    + TypeContext.parameters(other)
                    + "); give one of them"
                    + " its own name, e.g. @"
                    + namingAnnotation(guarded)
                    + "(name = \""
                    + guarded.guardName()
                    + "2\")"));
      }
    }
    for (Migration migration : model.migrations()) {
      problems.addAll(migration.validate(context, model.delegated().contains(migration.method())));
    }
    if (problems.isEmpty() && model.guarded().isEmpty() && model.migrations().isEmpty()) {
      problems.add(
          Problem.on(
              ErrorId.TYPE_NOTHING_GUARDED,
              type,
              "no method of "
                  + type.getSimpleName()
                  + " is guarded: annotate a method that a subclass can override"));
    }
    return problems;
  }

  /**
   * The simple name of an annotation of {@code guarded} that can carry its name: one it has, never
   * another.
   */
  private static String namingAnnotation(GuardedMethod guarded) {
    if (!guarded.names().isEmpty()) {
      return TypeContext.simpleName(guarded.names().get(0).mirror());
    }
    if (!guarded.policies().isEmpty()) {
      return TypeContext.simpleName(guarded.policies().get(0).mirror());
    }
    if (!guarded.modules().isEmpty()) {
      return TypeContext.simpleName(guarded.modules().get(0).mirror());
    }
    return "CircuitBreaker"; // a @Fallback alone, refused on its own (FALLBACK_NO_POLICY)
  }

  private List<Problem> typeProblems() {
    List<Problem> problems = new ArrayList<>();
    Set<Modifier> modifiers = type.getModifiers();
    String name = type.getSimpleName().toString();
    if (type.getKind() != ElementKind.INTERFACE && type.getKind() != ElementKind.CLASS) {
      problems.add(
          Problem.on(
              ErrorId.TYPE_KIND,
              type,
              "Brownout annotations guard interfaces and classes, not a "
                  + type.getKind().toString().toLowerCase(Locale.ROOT)
                  + ": annotate an interface that "
                  + name
                  + " implements"));
      return problems;
    }
    if (modifiers.contains(Modifier.FINAL)) {
      problems.add(
          Problem.on(
              ErrorId.TYPE_FINAL,
              type,
              "a guarded class cannot be final: remove 'final' from "
                  + name
                  + ", or annotate an interface it implements"));
    }
    if (modifiers.contains(Modifier.PRIVATE)) {
      problems.add(
          Problem.on(
              ErrorId.TYPE_PRIVATE,
              type,
              "a guarded type cannot be private: make " + name + " package-private or public"));
    }
    boolean inner =
        type.getNestingKind() == NestingKind.MEMBER && !modifiers.contains(Modifier.STATIC);
    if (inner && type.getKind() == ElementKind.CLASS) {
      problems.add(
          Problem.on(
              ErrorId.TYPE_INNER,
              type,
              "a guarded nested class must be static: write 'static class " + name + "'"));
    }
    if (type.getNestingKind() == NestingKind.LOCAL
        || type.getNestingKind() == NestingKind.ANONYMOUS) {
      problems.add(
          Problem.on(
              ErrorId.TYPE_LOCAL,
              type,
              "a guarded type must be a top-level or member type, not a local or"
                  + " anonymous class"));
    }
    if (type.getKind() == ElementKind.CLASS) {
      boolean noArgs =
          ElementFilter.constructorsIn(type.getEnclosedElements()).stream()
              .anyMatch(
                  c -> c.getParameters().isEmpty() && !c.getModifiers().contains(Modifier.PRIVATE));
      if (!noArgs) {
        problems.add(
            Problem.on(
                ErrorId.TYPE_CONSTRUCTOR,
                type,
                "a guarded class needs a non-private constructor without"
                    + " parameters, which the generated subclass calls; add one, or annotate an interface instead"));
      }
      for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
        Set<Modifier> m = method.getModifiers();
        if (m.contains(Modifier.PUBLIC)
            && m.contains(Modifier.FINAL)
            && !m.contains(Modifier.STATIC)) {
          problems.add(
              Problem.on(
                  ErrorId.TYPE_FINAL_METHOD,
                  method,
                  "a guarded class cannot have public final methods: "
                      + method.getSimpleName()
                      + " would run on the wrapper instead of the implementation; remove 'final'"));
        }
      }
    }
    return problems;
  }

  /** Why the generated class cannot override an annotated method, if it cannot. */
  private Optional<Problem> overridable(Annotated annotated) {
    ExecutableElement method = annotated.method();
    AnnotationMirror annotation = annotated.annotation();
    String simple = "@" + TypeContext.simpleName(annotation);
    String name = method.getSimpleName().toString();
    Set<Modifier> m = method.getModifiers();
    if (m.contains(Modifier.PRIVATE)) {
      return Optional.of(
          context.problem(
              ErrorId.METHOD_PRIVATE,
              method,
              annotation,
              simple
                  + " cannot guard a private method:"
                  + " the generated class cannot override it; make "
                  + name
                  + " public"));
    } else if (m.contains(Modifier.STATIC)) {
      return Optional.of(
          context.problem(
              ErrorId.METHOD_STATIC,
              method,
              annotation,
              simple + " cannot guard a static method:" + " make " + name + " an instance method"));
    } else if (m.contains(Modifier.FINAL)) {
      return Optional.of(
          context.problem(
              ErrorId.METHOD_FINAL,
              method,
              annotation,
              simple + " cannot guard a final method:" + " remove 'final' from " + name));
    } else if (type.getKind() == ElementKind.CLASS && !m.contains(Modifier.PUBLIC)) {
      return Optional.of(
          context.problem(
              ErrorId.METHOD_NOT_PUBLIC,
              method,
              annotation,
              simple + " guards public methods" + " only: make " + name + " public"));
    }
    return Optional.empty();
  }

  private List<Problem> guardProblems(GuardedMethod guarded) {
    ExecutableElement method = guarded.method();
    List<Problem> problems = new ArrayList<>();
    for (int i = 1; i < guarded.names().size(); i++) {
      Naming earlier = guarded.names().get(i - 1);
      Naming later = guarded.names().get(i);
      if (!earlier.name().equals(later.name())) {
        problems.add(
            context.problem(
                ErrorId.NAME_CONTRADICTS,
                method,
                later.mirror(),
                "@"
                    + TypeContext.simpleName(later.mirror())
                    + "(name = \""
                    + later.name()
                    + "\") contradicts @"
                    + TypeContext.simpleName(earlier.mirror())
                    + "(name = \""
                    + earlier.name()
                    + "\"): one method has one guard; give both the same name or leave one empty"));
      }
    }
    for (CorePolicy policy : guarded.policies()) {
      problems.addAll(valueProblems(method, policy));
      Annotations.Narrowing narrowing = Annotations.NARROWINGS.get(policy.policy());
      if (narrowing != null) {
        problems.addAll(
            narrowingProblems(
                method,
                policy.mirror(),
                narrowing,
                narrowing.narrowed(),
                policy.exceptions(narrowing.attribute()),
                policy.exceptions(narrowing.narrowed())));
      }
    }
    for (ModulePolicy.Use use : guarded.modules()) {
      problems.addAll(use.validate(context));
    }
    guarded.fallback().ifPresent(fallback -> problems.addAll(fallbackProblems(guarded, fallback)));
    return problems;
  }

  private List<Problem> valueProblems(ExecutableElement method, CorePolicy policy) {
    List<Problem> problems = new ArrayList<>();
    boolean own = method.getAnnotationMirrors().contains(policy.mirror());
    Map<String, String> values = new LinkedHashMap<>();
    for (Setting setting : policy.settings()) {
      GuardSpec.check(policy.policy(), setting.key(), setting.text())
          .ifPresent(
              problem ->
                  problems.add(
                      new Problem(
                          ErrorId.VALUE_INVALID,
                          own ? method : type,
                          policy.mirror(),
                          setting.value(),
                          "invalid "
                              + setting.attribute()
                              + " in @"
                              + TypeContext.simpleName(policy.mirror())
                              + ": "
                              + problem)));
      values.put(setting.key(), setting.text());
    }
    if (problems.isEmpty()) {
      // Each value is valid alone: now the annotation as a whole (a timeout with neither a duration
      // nor a deadline, a retry's maxDuration within its wait).
      GuardSpec.check(policy.policy(), values)
          .ifPresent(
              problem ->
                  problems.add(
                      context.problem(
                          ErrorId.VALUE_COMBINATION,
                          method,
                          policy.mirror(),
                          "invalid @" + TypeContext.simpleName(policy.mirror()) + ": " + problem)));
    }
    return problems;
  }

  private List<Problem> fallbackProblems(GuardedMethod guarded, FallbackUse fallback) {
    ExecutableElement method = guarded.method();
    AnnotationMirror mirror = fallback.mirror();
    List<Problem> problems = new ArrayList<>();
    if (fallback.setsOnAndApplyOn()) {
      problems.add(
          context.problem(
              ErrorId.FALLBACK_ON_TWICE,
              method,
              mirror,
              "@Fallback sets both on and applyOn, two names"
                  + " for the failures it handles; keep one of them"));
    }
    problems.addAll(
        narrowingProblems(
            method,
            mirror,
            Annotations.FALLBACK_SKIP_ON,
            fallback.onName(),
            fallback.skipOn(),
            fallback.on()));
    TypeMirror expected = context.resultType(method);
    fallback
        .method()
        .problem(
            context,
            method,
            mirror,
            ErrorId.FALLBACK_MISSING,
            ErrorId.FALLBACK_MISMATCH,
            FallbackMethods.shape(expected, fallback.method().name(), method),
            " (the failure parameter is optional)",
            candidate ->
                FallbackMethods.mismatch(context, method, candidate, fallback.on(), expected))
        .ifPresent(problems::add);
    if (guarded.policies().isEmpty() && guarded.modules().isEmpty()) {
      problems.add(
          context.problem(
              ErrorId.FALLBACK_NO_POLICY,
              method,
              mirror,
              "@Fallback needs a policy to fall back from:"
                  + " add @CircuitBreaker, @Bulkhead, @Timeout or @Retry to "
                  + method.getSimpleName()));
    }
    return problems;
  }

  /**
   * Checks that each type of a narrowing list ({@code abortOn}, {@code skipOn}) narrows the list it
   * overrides ({@code retryOn}, {@code on}): one that covers a whole entry of it makes that entry
   * dead, and one outside all of its entries does nothing. Both are mistakes worth a compile error.
   * An empty list to narrow means every exception; an {@link Error} is never retried, nor a
   * rejection unless {@code retryOnRejection} names it.
   */
  private List<Problem> narrowingProblems(
      ExecutableElement method,
      AnnotationMirror mirror,
      Annotations.Narrowing rule,
      String narrowed,
      List<TypeMirror> narrowers,
      List<TypeMirror> entries) {
    List<Problem> problems = new ArrayList<>();
    String simple = "@" + TypeContext.simpleName(mirror);
    String narrowing = rule.attribute();
    List<TypeMirror> effective =
        entries.isEmpty() ? List.of(context.typeOf("java.lang.Exception")) : entries;
    for (TypeMirror narrower : narrowers) {
      String written = simple + "(" + narrowing + " = " + narrower + ".class)";
      if (narrowing.equals("abortOn")
          && (context.isA(narrower, "java.lang.Error")
              || context.isA(narrower, "dev.brownout.core.RejectedCallException"))) {
        problems.add(
            context.problem(
                ErrorId.RETRY_NEVER_RETRIED,
                method,
                mirror,
                written
                    + " does nothing: errors are never"
                    + " retried, and rejections only as retryOnRejection names them; remove it"));
        continue;
      }
      boolean inside = false;
      for (TypeMirror entry : effective) {
        if (context.types().isAssignable(entry, narrower)) {
          problems.add(
              context.problem(
                  rule.covers(),
                  method,
                  mirror,
                  written
                      + " covers "
                      + entry
                      + " from "
                      + simple
                      + "("
                      + narrowed
                      + "), so no "
                      + entry
                      + " is ever "
                      + rule.verb()
                      + "; remove one of them or narrow "
                      + narrowing));
          inside = true;
          break;
        }
        inside |= context.types().isAssignable(narrower, entry);
      }
      if (!inside) {
        problems.add(
            context.problem(
                rule.outside(),
                method,
                mirror,
                written
                    + " does nothing: it is not a subtype of any"
                    + " type in "
                    + simple
                    + "("
                    + narrowed
                    + "); remove it or name a subtype of one of them"));
      }
    }
    return problems;
  }
}
