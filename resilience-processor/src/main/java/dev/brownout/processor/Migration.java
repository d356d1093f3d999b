package dev.brownout.processor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Types;

/**
 * {@code @ExperimentWith} or {@code @ShiftTo} of {@code migration} on one method, as read: the
 * method is the old path, the method the annotation names the new one, and the generated class
 * calls them through an {@code Experiment} or a {@code Shift} instead of a guard.
 *
 * <p>A migration is not a guard policy: the shift runs each path through guards of its own, and an
 * experiment's new path runs on a lane, so a migrated method takes no other Brownout annotation
 * (its type's do not apply to it) rather than a policy order nobody would guess.
 *
 * @param all every migration annotation on the method, for the check that there is one
 * @param values the annotation's attributes, defaults included
 * @param target the method the annotation names
 * @param marked the parameters marked {@code @ShiftKey}
 * @param key the parameter whose value routes or samples the call, if one is marked or found
 */
record Migration(
    Kind kind,
    ExecutableElement method,
    AnnotationMirror mirror,
    List<AnnotationMirror> all,
    Map<String, AnnotationValue> values,
    NamedMethod target,
    List<VariableElement> marked,
    Optional<VariableElement> key) {

  /** The two annotations: each names its new path by one attribute and builds one runtime type. */
  enum Kind {
    EXPERIMENT(Annotations.EXPERIMENT_WITH, "candidate", "Experiment"),
    SHIFT(Annotations.SHIFT_TO, "method", "Shift");

    final String annotation;
    final String attribute;
    final String runtimeType;

    Kind(String annotation, String attribute, String runtimeType) {
      this.annotation = annotation;
      this.attribute = attribute;
      this.runtimeType = runtimeType;
    }

    String simpleName() {
      return annotation.substring(annotation.lastIndexOf('.') + 1);
    }

    /** The qualified name of the runtime type, in package {@code dev.brownout.migration}. */
    String runtimeName() {
      return "dev.brownout.migration." + runtimeType;
    }
  }

  /** The types a key may have: the ones the routing hashes by value, the same on every JVM. */
  static final Set<String> KEY_TYPES =
      Set.of(
          "java.lang.String",
          "java.util.UUID",
          "long",
          "int",
          "java.lang.Long",
          "java.lang.Integer");

  private static final Pattern SHIFT_NAME = Pattern.compile("[a-z][a-z0-9-]*");

  /** The migration on {@code method}, if it carries one; reports nothing. */
  static Optional<Migration> read(TypeContext context, ExecutableElement method) {
    List<AnnotationMirror> all = new ArrayList<>();
    for (AnnotationMirror mirror : method.getAnnotationMirrors()) {
      if (kindOf(mirror).isPresent()) {
        all.add(mirror);
      }
    }
    if (all.isEmpty()) {
      return Optional.empty();
    }
    AnnotationMirror mirror = all.get(0);
    Kind kind = kindOf(mirror).orElseThrow();
    Map<String, AnnotationValue> values = new HashMap<>();
    context
        .elements()
        .getElementValuesWithDefaults(mirror)
        .forEach((name, value) -> values.put(name.getSimpleName().toString(), value));
    List<VariableElement> marked = new ArrayList<>();
    for (VariableElement parameter : method.getParameters()) {
      if (parameter.getAnnotationMirrors().stream()
          .anyMatch(m -> m.getAnnotationType().toString().equals(Annotations.SHIFT_KEY))) {
        marked.add(parameter);
      }
    }
    Optional<VariableElement> key =
        marked.size() == 1 ? Optional.of(marked.get(0)) : Optional.empty();
    if (marked.isEmpty() && kind == Kind.SHIFT) {
      // Only an unambiguous key is taken unmarked: in (int size, String user) the first int would
      // route every call of a size alike.
      List<VariableElement> keys = keyTyped(method);
      key = keys.size() == 1 ? Optional.of(keys.get(0)) : Optional.empty();
    }
    return Optional.of(
        new Migration(
            kind,
            method,
            mirror,
            List.copyOf(all),
            Map.copyOf(values),
            NamedMethod.find(
                context, mirror, kind.attribute, candidate -> mismatch(context, method, candidate)),
            List.copyOf(marked),
            key));
  }

  /** The parameters whose type a key may have. */
  private static List<VariableElement> keyTyped(ExecutableElement method) {
    List<VariableElement> keys = new ArrayList<>();
    for (VariableElement parameter : method.getParameters()) {
      if (KEY_TYPES.contains(parameter.asType().toString())) {
        keys.add(parameter);
      }
    }
    return keys;
  }

  /** Whether {@code mirror} is one of the migration annotations, and which. */
  static Optional<Kind> kindOf(AnnotationMirror mirror) {
    String name = mirror.getAnnotationType().toString();
    for (Kind kind : Kind.values()) {
      if (kind.annotation.equals(name)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }

  String text(String attribute) {
    return values.get(attribute).getValue().toString();
  }

  double number(String attribute) {
    return ((Number) values.get(attribute).getValue()).doubleValue();
  }

  boolean flag(String attribute) {
    return (Boolean) values.get(attribute).getValue();
  }

  /** The percents of {@code @ShiftTo(steps)}. */
  List<Double> steps() {
    List<Double> steps = new ArrayList<>();
    for (Object item : (List<?>) values.get("steps").getValue()) {
      steps.add(((Number) ((AnnotationValue) item).getValue()).doubleValue());
    }
    return steps;
  }

  /**
   * Every mistake; empty when the class can be written. {@code overridable} says whether the
   * generated class can override the method at all.
   */
  List<Problem> validate(TypeContext context, boolean overridable) {
    List<Problem> problems = new ArrayList<>();
    String at = "@" + kind.simpleName() + " on " + method.getSimpleName();
    if (context.elements().getTypeElement(kind.runtimeName()) == null) {
      problems.add(
          problem(
              ErrorId.MIGRATION_MODULE_MISSING,
              at
                  + ": "
                  + kind.runtimeName()
                  + " is not on the compile classpath; add the dependency dev.brownout:migration"));
      return problems;
    }
    if (all.size() > 1) {
      problems.add(
          problem(
              ErrorId.MIGRATION_BOTH,
              method.getSimpleName()
                  + " carries both @ExperimentWith and @ShiftTo: compare first with"
                  + " @ExperimentWith, then replace it by @ShiftTo (compareFirst = true holds"
                  + " every key on the old path until the shift is started)"));
    }
    methodProblem(context, overridable, at).ifPresent(problems::add);
    for (AnnotationMirror other : method.getAnnotationMirrors()) {
      if (Annotations.isBrownout(other.getAnnotationType().toString())) {
        problems.add(
            problem(
                ErrorId.MIGRATION_GUARDED,
                at
                    + ": a migrated method takes no @"
                    + TypeContext.simpleName(other)
                    + "; guard the old and new implementations inside, or guard the callers"));
      }
    }
    target
        .problem(
            context,
            method,
            mirror,
            ErrorId.MIGRATION_MISSING,
            ErrorId.MIGRATION_MISMATCH,
            context.resultType(method)
                + " "
                + target.name()
                + "("
                + TypeContext.parameters(method)
                + ")",
            ", the new path",
            candidate -> mismatch(context, method, candidate))
        .ifPresent(problems::add);
    keyProblem(at).ifPresent(problems::add);
    problems.addAll(valueProblems());
    return problems;
  }

  private Optional<Problem> methodProblem(TypeContext context, boolean overridable, String at) {
    if (!overridable) {
      return Optional.of(
          problem(
              ErrorId.MIGRATION_METHOD,
              at
                  + ": the generated class cannot override it; make it a public, non-final"
                  + " instance method (or an interface method)"));
    }
    if (context.isAsync(method.getReturnType())) {
      return Optional.of(
          problem(
              ErrorId.MIGRATION_METHOD,
              at
                  + ": it returns "
                  + method.getReturnType()
                  + ", but a migration compares and routes synchronous calls; migrate the"
                  + " method that does the work"));
    }
    if (!method.getTypeParameters().isEmpty()) {
      return Optional.of(
          problem(
              ErrorId.MIGRATION_METHOD,
              at
                  + ": it declares type variables, which the experiment or shift, built once for"
                  + " every call, cannot carry"));
    }
    return Optional.empty();
  }

  private Optional<Problem> keyProblem(String at) {
    if (marked.size() > 1) {
      return Optional.of(
          problem(
              ErrorId.MIGRATION_KEY, at + ": mark one parameter @ShiftKey, not " + marked.size()));
    }
    if (marked.size() == 1 && !KEY_TYPES.contains(marked.get(0).asType().toString())) {
      return Optional.of(
          problem(
              ErrorId.MIGRATION_KEY,
              at
                  + ": @ShiftKey "
                  + marked.get(0).getSimpleName()
                  + " is a "
                  + marked.get(0).asType()
                  + "; a key is a String, UUID, long, int, Long or Integer, hashed the same on"
                  + " every instance"));
    }
    List<String> keys = keyTyped(method).stream().map(p -> p.getSimpleName().toString()).toList();
    if (kind == Kind.SHIFT && key.isEmpty() && keys.size() > 1) {
      return Optional.of(
          problem(
              ErrorId.MIGRATION_KEY,
              at
                  + ": "
                  + String.join(", ", keys)
                  + " could each be the key that routes a call; mark one @ShiftKey"));
    }
    if (kind == Kind.SHIFT && key.isEmpty()) {
      return Optional.of(
          problem(
              ErrorId.MIGRATION_KEY,
              at
                  + ": a shift routes by a key, and no parameter is one; add a String, UUID, long"
                  + " or int parameter, or mark one @ShiftKey"));
    }
    return Optional.empty();
  }

  private List<Problem> valueProblems() {
    List<Problem> problems = new ArrayList<>();
    if (kind == Kind.EXPERIMENT) {
      String feature = text("feature");
      if (!DegradablePolicy.FEATURE.matcher(feature).matches()) {
        problems.add(
            value(
                "feature",
                "\"" + feature + "\"",
                "a feature name is dotted lower-case words such as \"comments.v2-store\""));
      }
      double percent = number("percent");
      if (!(percent >= 0 && percent <= 100)) {
        problems.add(value("percent", percent, "must be a share in percent, from 0 to 100"));
      }
      String timeout = text("timeout");
      if (!timeout.isEmpty() && !DegradablePolicy.isPositiveDuration(timeout)) {
        problems.add(
            value(
                "timeout",
                "\"" + timeout + "\"",
                "must be a positive duration such as 200ms, 1s or PT0.2S"));
      }
      if (!text("lane").isEmpty() && flag("onCallerThread")) {
        problems.add(
            value(
                "lane",
                "\"" + text("lane") + "\"",
                "a candidate runs on a lane or on the caller's thread, not both; drop lane or"
                    + " onCallerThread"));
      }
      double noise = number("noise");
      if (!(noise >= 0 && noise <= 1)) {
        problems.add(value("noise", noise, "must be 0 (off) or a share in (0, 1]"));
      }
    } else {
      String name = text("name");
      if (!SHIFT_NAME.matcher(name).matches()) {
        problems.add(
            value(
                "name",
                "\"" + name + "\"",
                "must be lower-case words joined by hyphens, such as \"comments-backend\""));
      }
      List<Double> steps = steps();
      boolean rising = !steps.isEmpty();
      for (int i = 0; i < steps.size(); i++) {
        double step = steps.get(i);
        rising &= step > 0 && step <= 100 && (i == 0 || step > steps.get(i - 1));
      }
      if (!rising) {
        problems.add(
            value(
                "steps",
                steps,
                "must rise from above 0 to at most 100, such as {1, 5, 10, 25, 50, 100}"));
      }
      int epoch = (int) number("epoch");
      if (epoch < 0) {
        problems.add(value("epoch", epoch, "must be zero or more"));
      }
      String checkEvery = text("checkEvery");
      if (!checkEvery.isEmpty() && !DegradablePolicy.isPositiveDuration(checkEvery)) {
        problems.add(
            value(
                "checkEvery",
                "\"" + checkEvery + "\"",
                "must be a positive duration such as 30s or PT30S, or empty for no schedule"));
      }
    }
    return problems;
  }

  private Problem value(String attribute, Object shown, String rule) {
    return new Problem(
        ErrorId.MIGRATION_VALUE,
        method,
        mirror,
        values.get(attribute),
        "@" + kind.simpleName() + "(" + attribute + " = " + shown + "): " + rule);
  }

  private Problem problem(ErrorId id, String message) {
    return Problem.on(id, method, mirror, message);
  }

  /** Why {@code candidate} cannot be {@code method}'s new path, or null if it can. */
  private static String mismatch(
      TypeContext context, ExecutableElement method, ExecutableElement candidate) {
    Types types = context.types();
    String name = candidate.getSimpleName().toString();
    if (candidate.equals(method)) {
      return name + " is the annotated method itself";
    }
    String uncallable = TypeContext.uncallable(candidate);
    if (uncallable != null) {
      return uncallable;
    }
    for (AnnotationMirror mirror : candidate.getAnnotationMirrors()) {
      // A guard policy on it would guard direct calls only: the migration calls the implementation.
      if (kindOf(mirror).isPresent()
          || Annotations.isBrownout(mirror.getAnnotationType().toString())) {
        return name
            + " is itself annotated @"
            + TypeContext.simpleName(mirror)
            + "; a new path is a plain method";
      }
    }
    List<? extends VariableElement> wanted = method.getParameters();
    List<? extends VariableElement> given = candidate.getParameters();
    boolean same = wanted.size() == given.size();
    for (int i = 0; same && i < wanted.size(); i++) {
      same = types.isSameType(wanted.get(i).asType(), given.get(i).asType());
    }
    if (!same) {
      return name
          + " takes ("
          + TypeContext.parameters(candidate)
          + "), but "
          + method.getSimpleName()
          + " takes ("
          + TypeContext.parameters(method)
          + "); a new path takes the same parameter types";
    }
    TypeMirror expected = method.getReturnType();
    TypeMirror returned = candidate.getReturnType();
    if ((expected.getKind() == TypeKind.VOID) != (returned.getKind() == TypeKind.VOID)
        || (expected.getKind() != TypeKind.VOID && !types.isAssignable(returned, expected))) {
      return name
          + " returns "
          + returned
          + ", but "
          + method.getSimpleName()
          + " returns "
          + expected;
    }
    for (TypeMirror thrown : candidate.getThrownTypes()) {
      boolean declared =
          method.getThrownTypes().stream().anyMatch(t -> types.isAssignable(thrown, t));
      if (context.isChecked(thrown) && !declared) {
        return name
            + " throws "
            + thrown
            + ", which "
            + method.getSimpleName()
            + " does not declare, so its callers could not handle it";
      }
    }
    return null;
  }
}
