package dev.brownout.processor;

import java.util.List;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Types;

/**
 * {@code @Recover} of {@code recover-middleware}: the recovery policy, built from the runtime's own
 * {@code Recover.of(brownout)}. The caller's value for an incident comes from the method named by
 * {@code method}, which takes the incident or nothing; a method returning nothing needs none.
 */
final class RecoverPolicy implements ModulePolicy {

  static final String ANNOTATION = "dev.brownout.recover.annotation.Recover";
  private static final String RECOVER = "dev.brownout.recover.Recover";
  private static final String INCIDENT = "dev.brownout.recover.Incident";

  @Override
  public String annotation() {
    return ANNOTATION;
  }

  @Override
  public String hook() {
    return "recovery";
  }

  @Override
  public Optional<String> handler(AnnotationMirror mirror) {
    String method = Model.stringValue(mirror, "method");
    return method.isEmpty() ? Optional.empty() : Optional.of(method);
  }

  @Override
  public Optional<String> expression(Model model, ExecutableElement method, AnnotationMirror mirror) {
    String place = Model.stringValue(mirror, "place");
    String handler = Model.stringValue(mirror, "method");
    TypeMirror expected = model.resultType(method);
    boolean ok = true;
    if (!place.isEmpty() && place.isBlank()) {
      model.error(method, mirror, "@Recover(place = \"" + place + "\"): a place must be a non-blank name, such as a route"
          + " or task name; leave place out to record incidents at the guard's name");
      ok = false;
    }
    String value;
    if (handler.isEmpty()) {
      if (!returnsNothing(expected)) {
        model.error(method, mirror, "@Recover without a method cannot give " + method.getSimpleName() + " a " + expected
            + " for an incident; write @Recover(method = \"" + method.getSimpleName() + "OnIncident\") and declare "
            + shape(expected, method.getSimpleName() + "OnIncident"));
        return Optional.empty();
      }
      value = "null";
    } else {
      Optional<String> call = handlerCall(model, method, mirror, handler, expected);
      if (call.isEmpty()) {
        return Optional.empty();
      }
      value = call.get();
    }
    if (!ok) {
      return Optional.empty();
    }
    String lambda = value.endsWith(";") ? "incident -> {\n          " + value + "\n          return null;\n        }" : "incident -> " + value;
    String placeArgument = place.isEmpty() ? "" : SourceWriter.literal(place) + ", ";
    return Optional.of(RECOVER + ".of(brownout).policy(" + placeArgument + lambda + ")");
  }

  /** The handler call (ending in ';' when it returns nothing), or empty after reporting why it cannot serve. */
  private static Optional<String> handlerCall(Model model, ExecutableElement method, AnnotationMirror mirror, String name,
      TypeMirror expected) {
    TypeElement type = model.type();
    List<ExecutableElement> candidates = Handlers.named(model, name);
    String prefix = "@Recover(method = \"" + name + "\"): ";
    if (candidates.isEmpty()) {
      model.error(method, mirror, prefix + type.getSimpleName() + " has no method " + name + "; declare "
          + shape(expected, name) + " (the incident parameter is optional)");
      return Optional.empty();
    }
    String mismatch = null;
    for (ExecutableElement candidate : candidates) {
      String problem = mismatch(model, candidate, expected);
      if (problem == null) {
        String call = "delegate." + name + "(" + (candidate.getParameters().isEmpty() ? "" : "incident") + ")";
        return Optional.of(candidate.getReturnType().getKind() == TypeKind.VOID ? call + ";" : call);
      }
      if (mismatch == null) {
        mismatch = problem;
      }
    }
    model.error(method, mirror, prefix + mismatch + "; declare " + shape(expected, name));
    return Optional.empty();
  }

  /** Why {@code candidate} cannot give the caller's value, or null if it can. */
  private static String mismatch(Model model, ExecutableElement candidate, TypeMirror expected) {
    Types types = model.env().getTypeUtils();
    String name = candidate.getSimpleName().toString();
    String uncallable = Handlers.uncallable(candidate);
    if (uncallable != null) {
      return uncallable;
    }
    if (candidate.getParameters().size() > 1) {
      return name + " takes " + candidate.getParameters().size() + " parameters, but a recovery method takes the incident or nothing";
    }
    if (candidate.getParameters().size() == 1) {
      TypeElement incident = model.env().getElementUtils().getTypeElement(INCIDENT);
      TypeMirror parameter = candidate.getParameters().get(0).asType();
      if (incident == null || !types.isAssignable(incident.asType(), parameter)) {
        return "its parameter is " + parameter + ", which cannot hold the " + INCIDENT;
      }
    }
    return Handlers.resultProblem(model, candidate, expected, "a recovery method");
  }

  private static boolean returnsNothing(TypeMirror expected) {
    return expected.getKind() == TypeKind.VOID || expected.toString().equals("java.lang.Void");
  }

  private static String shape(TypeMirror expected, String name) {
    return expected + " " + name + "(" + INCIDENT + " incident)";
  }
}
