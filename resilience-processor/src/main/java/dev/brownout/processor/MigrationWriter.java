package dev.brownout.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import dev.brownout.core.internal.Durations;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;

/**
 * The generated class's part of a {@link Migration}: a field holding its {@code Experiment} or
 * {@code Shift}, the code that builds it in the constructor (from the runtime and its {@code
 * Features}, as {@code @Degradable} gets them), the call of the migrated method through it, and an
 * accessor. {@link GuardedClassWriter} places them.
 */
final class MigrationWriter {

  private static final String MIGRATION = "dev.brownout.migration";
  private static final ClassName SWITCH = ClassName.get("dev.brownout.degradation", "Switch");

  private final TypeElement type;

  MigrationWriter(TypeElement type) {
    this.type = type;
  }

  /** {@code Experiment<R>} or {@code Shift<R>}, for a method whose call gives {@code result}. */
  TypeName fieldType(Migration migration, TypeName result) {
    return ParameterizedTypeName.get(
        ClassName.get(MIGRATION, migration.kind().runtimeType), result);
  }

  /**
   * The expression that builds the migration; the constructor's {@code brownout} and a local {@code
   * features} are in scope.
   */
  CodeBlock builder(Migration migration, TypeName result) {
    return migration.kind() == Migration.Kind.EXPERIMENT
        ? experiment(migration, result)
        : shift(migration, result);
  }

  private CodeBlock experiment(Migration migration, TypeName result) {
    CodeBlock.Builder code = CodeBlock.builder();
    String feature = migration.text("feature");
    code.add(
        "$T.<$T>builder(brownout, features.find($S) != null\n$>$>? features.feature($S)\n"
            + ": features.define($S).initially($T.rollout($L)).register()$<$<)",
        ClassName.get(MIGRATION, "Experiment"),
        result,
        feature,
        feature,
        feature,
        SWITCH,
        migration.number("percent"));
    String timeout = migration.text("timeout");
    if (!timeout.isEmpty()) {
      code.add(
          "\n.timeout($L)", DegradablePolicy.durationLiteral(Durations.parse("timeout", timeout)));
    }
    String lane = migration.text("lane");
    if (!lane.isEmpty()) {
      // Looked up, not created: the executor's config is the application's, and one built here
      // would differ from it.
      code.add(
          "\n.lane(brownout.executors().stream()\n$>$>.filter(executor -> executor.name().equals($S))"
              + "\n.findFirst()\n.orElseThrow(() -> new $T($S))$<$<)",
          lane,
          IllegalStateException.class,
          "@ExperimentWith(lane = \""
              + lane
              + "\") on "
              + migration.method().getSimpleName()
              + ": the runtime has no executor '"
              + lane
              + "'; create it with brownout.executor(\""
              + lane
              + "\", config) before wrapping "
              + type.getSimpleName());
    }
    if (migration.flag("onCallerThread")) {
      code.add("\n.onCallerThread()");
    }
    if (migration.number("noise") > 0) {
      code.add("\n.noise($L)", migration.number("noise"));
    }
    return code.add("\n.build()").build();
  }

  private static CodeBlock shift(Migration migration, TypeName result) {
    CodeBlock.Builder code = CodeBlock.builder();
    code.add(
        "$T.<$T>builder($S, brownout, features)",
        ClassName.get(MIGRATION, "Shift"),
        result,
        migration.text("name"));
    List<CodeBlock> steps = new ArrayList<>();
    for (double step : migration.steps()) {
      steps.add(CodeBlock.of("$L", step));
    }
    code.add("\n.steps($L)", CodeBlock.join(steps, ", "));
    int epoch = (int) migration.number("epoch");
    if (epoch != 0) {
      code.add("\n.epoch($L)", epoch);
    }
    if (migration.flag("fallBackToOld")) {
      code.add("\n.fallBackToOld(true)");
    }
    if (migration.flag("compareFirst")) {
      code.add("\n.compareFirst()");
    }
    String checkEvery = migration.text("checkEvery");
    if (!checkEvery.isEmpty()) {
      code.add(
          "\n.checkEvery($L)",
          DegradablePolicy.durationLiteral(Durations.parse("checkEvery", checkEvery)));
    }
    return code.add("\n.build()").build();
  }

  /**
   * The call of the migrated method through {@code field}: both paths as lambdas on the delegate,
   * with the key if there is one. It may throw any Exception; the caller's override rethrows.
   */
  CodeBlock call(Migration migration, String field) {
    ExecutableElement method = migration.method();
    String arguments = GuardedClassWriter.argumentNames(method);
    CodeBlock oldPath = path(method, method.getSimpleName().toString(), arguments);
    CodeBlock newPath =
        path(
            method,
            migration.target().chosen().orElseThrow().getSimpleName().toString(),
            arguments);
    CodeBlock key =
        migration
            .key()
            .map(k -> CodeBlock.of("$N, ", k.getSimpleName().toString()))
            .orElse(CodeBlock.of(""));
    // The experiment's exception type is Exception: an old path may throw several checked types.
    return migration.kind() == Migration.Kind.EXPERIMENT
        ? CodeBlock.of("this.$N.<$T>run($L$L, $L)", field, Exception.class, key, oldPath, newPath)
        : CodeBlock.of("this.$N.call($L$L, $L)", field, key, oldPath, newPath);
  }

  /** A lambda that calls {@code name} on the delegate, giving null for a void method. */
  private static CodeBlock path(ExecutableElement method, String name, String arguments) {
    return method.getReturnType().getKind() == TypeKind.VOID
        ? CodeBlock.of("() -> {\n$>delegate.$N($L);\nreturn null;\n$<}", name, arguments)
        : CodeBlock.of("() -> delegate.$N($L)", name, arguments);
  }

  /** The accessor that gives the migration out, for its report, checks and operators. */
  MethodSpec accessor(Migration migration, String field, TypeName result) {
    return MethodSpec.methodBuilder(field)
        .addJavadoc(
            "The $L that $L runs through.\n",
            migration.kind().runtimeType.toLowerCase(Locale.ROOT),
            migration.method().getSimpleName().toString())
        .addModifiers(Modifier.PUBLIC)
        .returns(fieldType(migration, result))
        .addStatement("return this.$N", field)
        .build();
  }
}
