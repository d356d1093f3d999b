package dev.brownout.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import dev.brownout.core.internal.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Types;

/**
 * {@code @Degradable} of {@code degradation}: the feature switch as the guard's admission policy,
 * with its strategy (last good value, then a fallback method, then a fast failure) checked at
 * compile time.
 */
final class DegradablePolicy implements ModulePolicy {

  static final String ANNOTATION = "dev.brownout.degradation.annotation.Degradable";
  private static final String DEGRADATION = "dev.brownout.degradation";
  static final ClassName FEATURES = ClassName.get(DEGRADATION, "Features");
  private static final ClassName STRATEGY = ClassName.get(DEGRADATION, "DegradationStrategy");
  static final Pattern FEATURE = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)*");
  private static final long DEFAULT_MAX_ENTRIES = 10_000;
  private static final String DEFAULT_MAX_AGE = "10m";

  @Override
  public String annotation() {
    return ANNOTATION;
  }

  @Override
  public Optional<String> handler(AnnotationMirror mirror) {
    String method = TypeContext.stringValue(mirror, "fallback");
    return method.isEmpty() ? Optional.empty() : Optional.of(method);
  }

  @Override
  public Use read(TypeContext context, ExecutableElement method, AnnotationMirror mirror) {
    String maxEntries = TypeContext.stringValue(mirror, "lastGoodMaxEntries");
    String maxAge = TypeContext.stringValue(mirror, "lastGoodMaxAge");
    TypeMirror expected = context.resultType(method);
    return new Degradation(
        method,
        mirror,
        TypeContext.stringValue(mirror, "feature"),
        TypeContext.stringValue(mirror, "lastGood").equals("true"),
        maxEntries.isEmpty() ? DEFAULT_MAX_ENTRIES : Long.parseLong(maxEntries),
        maxAge.isEmpty() ? DEFAULT_MAX_AGE : maxAge,
        expected,
        NamedMethod.find(
            context,
            mirror,
            "fallback",
            candidate -> mismatch(context, method, candidate, expected)));
  }

  /**
   * {@code @Degradable} on one method: the feature, the last-good cache's bounds and the fallback.
   */
  record Degradation(
      ExecutableElement method,
      AnnotationMirror mirror,
      String feature,
      boolean lastGood,
      long maxEntries,
      String maxAge,
      TypeMirror expected,
      NamedMethod fallback)
      implements Use {

    @Override
    public String hook() {
      return "admission";
    }

    @Override
    public List<Problem> validate(TypeContext context) {
      List<Problem> problems = new ArrayList<>();
      if (!FEATURE.matcher(feature).matches()) {
        problems.add(
            context.problem(
                ErrorId.DEGRADABLE_FEATURE,
                method,
                mirror,
                "@Degradable(feature = \""
                    + feature
                    + "\"): a feature name is dotted lower-case words such as \"feed.recommendations\" (letters, digits and '-',"
                    + " each word starting with a letter)"));
      }
      if (lastGood && returnsNothing()) {
        problems.add(
            context.problem(
                ErrorId.DEGRADABLE_NOTHING_TO_KEEP,
                method,
                mirror,
                "@Degradable(lastGood = true): "
                    + method.getSimpleName()
                    + " returns nothing, so there is no last good value to serve; leave lastGood out"));
      }
      if (maxEntries < 1) {
        problems.add(
            context.problem(
                ErrorId.DEGRADABLE_ENTRIES,
                method,
                mirror,
                "@Degradable(lastGoodMaxEntries = "
                    + maxEntries
                    + "): the last-good cache needs at least 1 entry"));
      }
      if (!isPositiveDuration(maxAge)) {
        problems.add(
            context.problem(
                ErrorId.DEGRADABLE_AGE,
                method,
                mirror,
                "@Degradable(lastGoodMaxAge = \""
                    + maxAge
                    + "\"): must be a positive duration such as 10m, 30s or PT0.25S"));
      }
      if (!fallback.name().isEmpty()) {
        fallback
            .problem(
                context,
                method,
                mirror,
                ErrorId.DEGRADABLE_MISSING,
                ErrorId.DEGRADABLE_MISMATCH,
                shape(method, expected, fallback.name()),
                "",
                candidate -> mismatch(context, method, candidate, expected))
            .ifPresent(problems::add);
      }
      return problems;
    }

    private boolean returnsNothing() {
      return expected.getKind() == TypeKind.VOID || boxed().toString().equals("java.lang.Void");
    }

    private TypeName boxed() {
      return expected.getKind() == TypeKind.VOID
          ? ClassName.get(Void.class)
          : TypeName.get(expected).box();
    }

    @Override
    public CodeBlock expression(TypeContext context) {
      TypeName result = boxed();
      CodeBlock strategy =
          fallback.name().isEmpty()
              ? CodeBlock.of("$T.<$T>fail()", STRATEGY, result)
              : CodeBlock.of(
                  "$T.<$T>fallback((key, reason) -> $L)",
                  STRATEGY,
                  result,
                  call(fallback.chosen().orElseThrow()));
      if (lastGood) {
        strategy =
            CodeBlock.of(
                "$T.<$T>lastGood($LL, $L).orElse($L)",
                STRATEGY,
                result,
                maxEntries,
                durationLiteral(Durations.parse("lastGoodMaxAge", maxAge)),
                strategy);
      }
      return CodeBlock.of("$T.of(brownout).feature($S).degradeTo($L)", FEATURES, feature, strategy);
    }

    private CodeBlock call(ExecutableElement candidate) {
      List<? extends VariableElement> parameters = method.getParameters();
      boolean passesArguments =
          candidate.getParameters().size() >= parameters.size() && !parameters.isEmpty();
      List<TypeMirror> types =
          method.getParameters().stream().map(VariableElement::asType).toList();
      List<CodeBlock> arguments =
          new ArrayList<>(passesArguments ? GuardedClassWriter.argumentsFromKey(types) : List.of());
      if (candidate.getParameters().size() == (passesArguments ? parameters.size() : 0) + 1) {
        arguments.add(CodeBlock.of("reason"));
      }
      CodeBlock call =
          CodeBlock.of(
              "delegate.$N($L)",
              candidate.getSimpleName().toString(),
              CodeBlock.join(arguments, ", "));
      return expected.getKind() == TypeKind.VOID
          ? CodeBlock.of("{\n$>$L;\nreturn null;\n$<}", call)
          : call;
    }
  }

  /** {@code duration} as code: checked here, so the generated class parses nothing at run time. */
  static CodeBlock durationLiteral(Duration duration) {
    return duration.getNano() == 0
        ? CodeBlock.of("$T.ofSeconds($LL)", Duration.class, duration.getSeconds())
        : CodeBlock.of(
            "$T.ofSeconds($LL, $LL)", Duration.class, duration.getSeconds(), duration.getNano());
  }

  /** Whether {@code text} is a positive duration, as {@code Durations} reads it. */
  static boolean isPositiveDuration(String text) {
    try {
      return !Durations.parse("lastGoodMaxAge", text).isZero();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Why {@code candidate} cannot give the substitute, or null if it can. */
  private static String mismatch(
      TypeContext context,
      ExecutableElement method,
      ExecutableElement candidate,
      TypeMirror expected) {
    Types types = context.types();
    String name = candidate.getSimpleName().toString();
    String uncallable = TypeContext.uncallable(candidate);
    if (uncallable != null) {
      return uncallable;
    }
    List<? extends VariableElement> wanted = method.getParameters();
    List<? extends VariableElement> given = candidate.getParameters();
    TypeMirror string = context.typeOf("java.lang.String");
    boolean takesArguments = given.size() >= wanted.size() && !wanted.isEmpty();
    int extra = given.size() - (takesArguments ? wanted.size() : 0);
    if (extra > 1
        || extra < 0
        || (extra == 1 && !types.isSameType(given.get(given.size() - 1).asType(), string))) {
      return name
          + " takes ("
          + parameterTypes(given)
          + "), but a fallback takes the parameters of "
          + method.getSimpleName()
          + " ("
          + parameterTypes(wanted)
          + "), then optionally a String reason";
    }
    if (takesArguments) {
      for (int i = 0; i < wanted.size(); i++) {
        if (!types.isAssignable(
            types.erasure(wanted.get(i).asType()), types.erasure(given.get(i).asType()))) {
          return "its parameter "
              + (i + 1)
              + " is "
              + given.get(i).asType()
              + ", which cannot hold a "
              + wanted.get(i).asType();
        }
      }
    }
    return context.resultProblem(candidate, expected, "a fallback for a degraded feature");
  }

  private static String parameterTypes(List<? extends VariableElement> parameters) {
    List<String> types = new ArrayList<>();
    for (VariableElement parameter : parameters) {
      types.add(parameter.asType().toString());
    }
    return String.join(", ", types);
  }

  private static String shape(ExecutableElement method, TypeMirror expected, String name) {
    String parameters = TypeContext.parameters(method);
    return expected
        + " "
        + name
        + "("
        + parameters
        + (parameters.isEmpty() ? "" : ", ")
        + "String reason) (the reason is optional)";
  }
}
