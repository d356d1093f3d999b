package dev.brownout.processor;

import dev.brownout.core.Durations;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Types;

/**
 * {@code @Degradable} of {@code degradation}: the feature switch as the guard's admission policy, with
 * its strategy (last good value, then a fallback method, then a fast failure) checked at compile time.
 */
final class DegradablePolicy implements ModulePolicy {

  static final String ANNOTATION = "dev.brownout.degradation.annotation.Degradable";
  private static final String DEGRADATION = "dev.brownout.degradation.";
  private static final Pattern FEATURE = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)*");

  @Override
  public String annotation() {
    return ANNOTATION;
  }

  @Override
  public String hook() {
    return "admission";
  }

  @Override
  public Optional<String> handler(AnnotationMirror mirror) {
    String method = Model.stringValue(mirror, "fallback");
    return method.isEmpty() ? Optional.empty() : Optional.of(method);
  }

  @Override
  public Optional<String> expression(Model model, ExecutableElement method, AnnotationMirror mirror) {
    String feature = Model.stringValue(mirror, "feature");
    boolean lastGood = Model.stringValue(mirror, "lastGood").equals("true");
    String maxEntries = Model.stringValue(mirror, "lastGoodMaxEntries");
    String maxAge = Model.stringValue(mirror, "lastGoodMaxAge");
    String fallback = Model.stringValue(mirror, "fallback");
    TypeMirror expected = model.resultType(method);
    String result = boxed(model, expected);
    boolean ok = true;
    if (!FEATURE.matcher(feature).matches()) {
      model.error(method, mirror, "@Degradable(feature = \"" + feature + "\"): a feature name is dotted lower-case words such as"
          + " \"feed.recommendations\" (letters, digits and '-', each word starting with a letter)");
      ok = false;
    }
    if (lastGood && (expected.getKind() == TypeKind.VOID || result.equals("java.lang.Void"))) {
      model.error(method, mirror, "@Degradable(lastGood = true): " + method.getSimpleName() + " returns nothing, so there is no"
          + " last good value to serve; leave lastGood out");
      ok = false;
    }
    long entries = maxEntries.isEmpty() ? 10_000 : Long.parseLong(maxEntries);
    if (entries < 1) {
      model.error(method, mirror, "@Degradable(lastGoodMaxEntries = " + entries + "): the last-good cache needs at least 1 entry");
      ok = false;
    }
    String age = maxAge.isEmpty() ? "10m" : maxAge;
    try {
      if (Durations.parse("lastGoodMaxAge", age).isZero()) {
        throw new IllegalArgumentException("must be positive");
      }
    } catch (IllegalArgumentException e) {
      model.error(method, mirror, "@Degradable(lastGoodMaxAge = \"" + age + "\"): must be a positive duration such as 10m, 30s or PT0.25S");
      ok = false;
    }
    String strategy = DEGRADATION + "DegradationStrategy.<" + result + ">fail()";
    if (!fallback.isEmpty()) {
      Optional<String> call = fallbackCall(model, method, mirror, fallback, expected);
      if (call.isEmpty()) {
        return Optional.empty();
      }
      strategy = DEGRADATION + "DegradationStrategy.<" + result + ">fallback((key, reason) -> " + call.get() + ")";
    }
    if (!ok) {
      return Optional.empty();
    }
    if (lastGood) {
      strategy = DEGRADATION + "DegradationStrategy.<" + result + ">lastGood(" + entries + "L, dev.brownout.core.Durations.parse("
          + SourceWriter.literal("lastGoodMaxAge") + ", " + SourceWriter.literal(age) + ")).orElse(" + strategy + ")";
    }
    return Optional.of(DEGRADATION + "Features.of(brownout).feature(" + SourceWriter.literal(feature) + ").degradeTo(" + strategy + ")");
  }

  private static String boxed(Model model, TypeMirror type) {
    if (type.getKind() == TypeKind.VOID) {
      return "java.lang.Void";
    }
    if (type.getKind().isPrimitive()) {
      return model.env().getTypeUtils().boxedClass(model.env().getTypeUtils().getPrimitiveType(type.getKind())).getQualifiedName().toString();
    }
    return type.toString();
  }

  /** The fallback call as an expression of {@code key} and {@code reason}, or empty after reporting why not. */
  private static Optional<String> fallbackCall(Model model, ExecutableElement method, AnnotationMirror mirror, String name,
      TypeMirror expected) {
    TypeElement type = model.type();
    List<ExecutableElement> candidates = Handlers.named(model, name);
    String prefix = "@Degradable(fallback = \"" + name + "\"): ";
    if (candidates.isEmpty()) {
      model.error(method, mirror, prefix + type.getSimpleName() + " has no method " + name + "; declare " + shape(method, expected, name));
      return Optional.empty();
    }
    String mismatch = null;
    for (ExecutableElement candidate : candidates) {
      String problem = mismatch(model, method, candidate, expected);
      if (problem == null) {
        return Optional.of(call(method, candidate, expected));
      }
      if (mismatch == null) {
        mismatch = problem;
      }
    }
    model.error(method, mirror, prefix + mismatch + "; declare " + shape(method, expected, name));
    return Optional.empty();
  }

  private static String call(ExecutableElement method, ExecutableElement candidate, TypeMirror expected) {
    List<? extends VariableElement> parameters = method.getParameters();
    boolean passesArguments = candidate.getParameters().size() >= parameters.size() && !parameters.isEmpty();
    List<String> arguments = passesArguments ? SourceWriter.argumentsFromKey(method) : new ArrayList<>();
    if (candidate.getParameters().size() == (passesArguments ? parameters.size() : 0) + 1) {
      arguments.add("reason");
    }
    String call = "delegate." + candidate.getSimpleName() + "(" + String.join(", ", arguments) + ")";
    return expected.getKind() == TypeKind.VOID ? "{\n          " + call + ";\n          return null;\n        }" : call;
  }

  /** Why {@code candidate} cannot give the substitute, or null if it can. */
  private static String mismatch(Model model, ExecutableElement method, ExecutableElement candidate, TypeMirror expected) {
    Types types = model.env().getTypeUtils();
    String name = candidate.getSimpleName().toString();
    String uncallable = Handlers.uncallable(candidate);
    if (uncallable != null) {
      return uncallable;
    }
    List<? extends VariableElement> wanted = method.getParameters();
    List<? extends VariableElement> given = candidate.getParameters();
    TypeMirror string = model.env().getElementUtils().getTypeElement("java.lang.String").asType();
    boolean takesArguments = given.size() >= wanted.size() && !wanted.isEmpty();
    int extra = given.size() - (takesArguments ? wanted.size() : 0);
    if (extra > 1 || extra < 0 || (extra == 1 && !types.isSameType(given.get(given.size() - 1).asType(), string))) {
      return name + " takes (" + parameters(given) + "), but a fallback takes the parameters of " + method.getSimpleName()
          + " (" + parameters(wanted) + "), then optionally a String reason";
    }
    if (takesArguments) {
      for (int i = 0; i < wanted.size(); i++) {
        if (!types.isAssignable(types.erasure(wanted.get(i).asType()), types.erasure(given.get(i).asType()))) {
          return "its parameter " + (i + 1) + " is " + given.get(i).asType() + ", which cannot hold a " + wanted.get(i).asType();
        }
      }
    }
    return Handlers.resultProblem(model, candidate, expected, "a fallback for a degraded feature");
  }

  private static String parameters(List<? extends VariableElement> parameters) {
    List<String> types = new ArrayList<>();
    for (VariableElement parameter : parameters) {
      types.add(parameter.asType().toString());
    }
    return String.join(", ", types);
  }

  private static String shape(ExecutableElement method, TypeMirror expected, String name) {
    List<String> declared = new ArrayList<>();
    for (VariableElement parameter : method.getParameters()) {
      declared.add(parameter.asType() + " " + parameter.getSimpleName());
    }
    String parameters = String.join(", ", declared);
    return expected + " " + name + "(" + parameters + (parameters.isEmpty() ? "" : ", ") + "String reason) (the reason is optional)";
  }
}
