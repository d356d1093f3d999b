package dev.brownout.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * {@code @Recover} of {@code recover-middleware}: the recovery policy, built from the runtime's own
 * {@code Recover.of(brownout)}. The caller's value for an incident comes from the method named by
 * {@code method}, which takes the incident or nothing; a method returning nothing needs none.
 */
final class RecoverPolicy implements ModulePolicy {

  static final String ANNOTATION = "dev.brownout.recover.annotation.Recover";
  private static final ClassName RECOVER = ClassName.get("dev.brownout.recover", "Recover");
  private static final String INCIDENT = "dev.brownout.recover.Incident";

  @Override
  public String annotation() {
    return ANNOTATION;
  }

  @Override
  public Optional<String> handler(AnnotationMirror mirror) {
    String method = TypeContext.stringValue(mirror, "method");
    return method.isEmpty() ? Optional.empty() : Optional.of(method);
  }

  @Override
  public Use read(TypeContext context, ExecutableElement method, AnnotationMirror mirror) {
    TypeMirror expected = context.resultType(method);
    NamedMethod handler =
        NamedMethod.find(
            context, mirror, "method", candidate -> mismatch(context, candidate, expected));
    return new Recovery(
        method, mirror, TypeContext.stringValue(mirror, "place"), handler, expected);
  }

  /**
   * {@code @Recover} on one method: where incidents are recorded, and the method that gives the
   * caller's value.
   */
  record Recovery(
      ExecutableElement method,
      AnnotationMirror mirror,
      String place,
      NamedMethod handler,
      TypeMirror expected)
      implements Use {

    @Override
    public String hook() {
      return "recovery";
    }

    @Override
    public List<Problem> validate(TypeContext context) {
      List<Problem> problems = new ArrayList<>();
      if (!place.isEmpty() && place.isBlank()) {
        problems.add(
            context.problem(
                ErrorId.RECOVER_PLACE,
                method,
                mirror,
                "@Recover(place = \""
                    + place
                    + "\"): a place must"
                    + " be a non-blank name, such as a route or task name; leave place out to record incidents at the guard's name"));
      }
      if (handler.name().isEmpty()) {
        if (!returnsNothing(expected)) {
          String name = method.getSimpleName() + "OnIncident";
          problems.add(
              context.problem(
                  ErrorId.RECOVER_NO_METHOD,
                  method,
                  mirror,
                  "@Recover without a method cannot give "
                      + method.getSimpleName()
                      + " a "
                      + expected
                      + " for an incident; write @Recover(method = \""
                      + name
                      + "\") and declare "
                      + shape(expected, name)));
        }
        return problems;
      }
      handler
          .problem(
              context,
              method,
              mirror,
              ErrorId.RECOVER_MISSING,
              ErrorId.RECOVER_MISMATCH,
              shape(expected, handler.name()),
              " (the incident parameter is optional)",
              candidate -> mismatch(context, candidate, expected))
          .ifPresent(problems::add);
      return problems;
    }

    @Override
    public CodeBlock expression(TypeContext context) {
      CodeBlock lambda;
      if (handler.name().isEmpty()) {
        lambda = CodeBlock.of("incident -> null");
      } else {
        ExecutableElement candidate = handler.chosen().orElseThrow();
        CodeBlock call =
            CodeBlock.of(
                "delegate.$N($L)",
                candidate.getSimpleName().toString(),
                candidate.getParameters().isEmpty() ? "" : "incident");
        lambda =
            candidate.getReturnType().getKind() == TypeKind.VOID
                ? CodeBlock.of("incident -> {\n$>$L;\nreturn null;\n$<}", call)
                : CodeBlock.of("incident -> $L", call);
      }
      return place.isEmpty()
          ? CodeBlock.of("$T.of(brownout).policy($L)", RECOVER, lambda)
          : CodeBlock.of("$T.of(brownout).policy($S, $L)", RECOVER, place, lambda);
    }
  }

  /** Why {@code candidate} cannot give the caller's value, or null if it can. */
  private static String mismatch(
      TypeContext context, ExecutableElement candidate, TypeMirror expected) {
    String name = candidate.getSimpleName().toString();
    String uncallable = TypeContext.uncallable(candidate);
    if (uncallable != null) {
      return uncallable;
    }
    if (candidate.getParameters().size() > 1) {
      return name
          + " takes "
          + candidate.getParameters().size()
          + " parameters, but a recovery method takes the incident"
          + " or nothing";
    }
    if (candidate.getParameters().size() == 1) {
      TypeElement incident = context.elements().getTypeElement(INCIDENT);
      TypeMirror parameter = candidate.getParameters().get(0).asType();
      if (incident == null || !context.types().isAssignable(incident.asType(), parameter)) {
        return "its parameter is " + parameter + ", which cannot hold the " + INCIDENT;
      }
    }
    return context.resultProblem(candidate, expected, "a recovery method");
  }

  private static boolean returnsNothing(TypeMirror expected) {
    return expected.getKind() == TypeKind.VOID || expected.toString().equals("java.lang.Void");
  }

  private static String shape(TypeMirror expected, String name) {
    return expected + " " + name + "(" + INCIDENT + " incident)";
  }
}
