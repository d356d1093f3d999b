package dev.brownout.processor;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.TypeVariableName;
import com.palantir.javapoet.WildcardTypeName;
import dev.brownout.core.Brownout;
import dev.brownout.core.Fallback;
import dev.brownout.core.Guard;
import dev.brownout.core.GuardSpec;
import dev.brownout.processor.GuardedType.CorePolicy;
import dev.brownout.processor.GuardedType.ExceptionList;
import dev.brownout.processor.GuardedType.FallbackUse;
import dev.brownout.processor.GuardedType.GuardedMethod;
import dev.brownout.processor.GuardedType.Setting;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.TypeParameterElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Types;

/**
 * The writing stage: the guarded class of a {@link GuardedType} that validation passed, as plain
 * Java a reader can follow. One guard field per guarded method (and a task and a fallback field
 * where the method has them), all built once in the constructor; one override per method,
 * delegating through the guard or straight to the implementation.
 *
 * <p>Fields are named after their method ({@code quoteGuard}, {@code quoteTask}, {@code
 * quoteFallback}); an overloaded method's names add its parameter types ({@code
 * call_String_intGuard}), so a field keeps its name when other methods come and go.
 */
final class GuardedClassWriter {

  private static final ClassName GENERATED =
      ClassName.get("javax.annotation.processing", "Generated");
  private static final ClassName KEYED_CALL = ClassName.get(Guard.KeyedCall.class);
  private static final TypeName LIST_OF_ANY =
      ParameterizedTypeName.get(
          ClassName.get(List.class), WildcardTypeName.subtypeOf(Object.class));

  private final GuardedType model;
  private final TypeContext context;
  private final Types types;
  private final TypeElement type;
  private final Map<ExecutableElement, String> fieldNames;
  private final MigrationWriter migrations;

  GuardedClassWriter(GuardedType model) {
    this.model = model;
    this.context = model.context();
    this.types = context.types();
    this.type = model.type();
    this.fieldNames = fieldNames(model);
    this.migrations = new MigrationWriter(type);
  }

  JavaFile file() {
    String qualified = model.generatedName();
    int dot = qualified.lastIndexOf('.');
    TypeName self = TypeName.get(type.asType());
    TypeSpec.Builder spec =
        TypeSpec.classBuilder(qualified.substring(dot + 1))
            .addOriginatingElement(type)
            .avoidClashesWithNestedClasses(type)
            .addJavadoc(
                "Calls to {@link $T} through Brownout guards; generated, do not edit.\n",
                types.erasure(type.asType()))
            .addAnnotation(
                AnnotationSpec.builder(GENERATED)
                    .addMember("value", "$S", GuardProcessor.class.getName())
                    .build())
            .addModifiers(Modifier.PUBLIC, Modifier.FINAL);
    for (TypeParameterElement parameter : type.getTypeParameters()) {
      spec.addTypeVariable(TypeVariableName.get(parameter));
    }
    if (type.getKind() == ElementKind.INTERFACE) {
      spec.addSuperinterface(self);
    } else {
      spec.superclass(self);
    }
    spec.addField(self, "delegate", Modifier.PRIVATE, Modifier.FINAL);
    for (GuardedMethod guarded : model.guarded()) {
      String field = fieldNames.get(guarded.method());
      spec.addField(Guard.class, field + "Guard", Modifier.PRIVATE, Modifier.FINAL);
      if (prebuilt(guarded)) {
        spec.addField(
            FieldSpec.builder(taskType(guarded), field + "Task", Modifier.PRIVATE, Modifier.FINAL)
                .build());
      }
      if (guarded.fallback().isPresent()) {
        TypeName fallback =
            ParameterizedTypeName.get(ClassName.get(Fallback.class), boxed(resultType(guarded)));
        spec.addField(fallback, field + "Fallback", Modifier.PRIVATE, Modifier.FINAL);
      }
    }
    for (Migration migration : model.migrations()) {
      spec.addField(
          migrations.fieldType(migration, migrationResult(migration)),
          migrationField(migration),
          Modifier.PRIVATE,
          Modifier.FINAL);
    }
    spec.addMethod(constructor(self));
    for (ExecutableElement method : model.delegated()) {
      spec.addMethod(
          model
              .guardOf(method)
              .map(this::guarded)
              .or(() -> model.migrationOf(method).map(this::migrated))
              .orElseGet(() -> delegation(method)));
    }
    for (Migration migration : model.migrations()) {
      spec.addMethod(
          migrations.accessor(migration, migrationField(migration), migrationResult(migration)));
    }
    return JavaFile.builder(dot < 0 ? "" : qualified.substring(0, dot), spec.build())
        .indent("  ")
        .skipJavaLangImports(true)
        .build();
  }

  /** A field name per guarded method: its name, with its parameter types if it is overloaded. */
  private static Map<ExecutableElement, String> fieldNames(GuardedType model) {
    Map<String, Integer> uses = new HashMap<>();
    for (ExecutableElement method : model.delegated()) {
      uses.merge(method.getSimpleName().toString(), 1, Integer::sum);
    }
    NameAllocator names = new NameAllocator();
    names.newName("delegate");
    Map<ExecutableElement, String> fields = new HashMap<>();
    List<ExecutableElement> named = new ArrayList<>();
    model.guarded().forEach(guarded -> named.add(guarded.method()));
    model.migrations().forEach(migration -> named.add(migration.method()));
    for (ExecutableElement method : named) {
      StringBuilder name = new StringBuilder(method.getSimpleName());
      if (uses.get(method.getSimpleName().toString()) > 1) {
        for (VariableElement parameter : method.getParameters()) {
          name.append('_').append(simpleName(model.context().types().erasure(parameter.asType())));
        }
      }
      fields.put(method, names.newName(name.toString()));
    }
    return fields;
  }

  private static String simpleName(TypeMirror type) {
    return switch (type.getKind()) {
      case ARRAY -> simpleName(((ArrayType) type).getComponentType()) + "Array";
      case DECLARED -> ((DeclaredType) type).asElement().getSimpleName().toString();
      default -> type.toString();
    };
  }

  private MethodSpec constructor(TypeName self) {
    MethodSpec.Builder constructor =
        MethodSpec.constructorBuilder()
            .addModifiers(Modifier.PUBLIC)
            .addAnnotation(
                AnnotationSpec.builder(SuppressWarnings.class)
                    .addMember("value", "$S", "unchecked")
                    .build())
            .addParameter(Brownout.class, "brownout")
            .addParameter(self, "delegate")
            .addComment("unchecked: fallbacks cast the call's key back to its parameter types");
    if (type.getKind() == ElementKind.CLASS) {
      constructor.addStatement("super()");
    }
    constructor.addStatement(
        "this.delegate = $T.requireNonNull(delegate, $S)", Objects.class, "delegate");
    for (GuardedMethod guarded : model.guarded()) {
      String field = fieldNames.get(guarded.method());
      constructor.addStatement("this.$N = $L", field + "Guard", guardSpec(guarded));
      guarded
          .fallback()
          .ifPresent(
              fallback ->
                  constructor.addStatement(
                      "this.$N = $L", field + "Fallback", fallback(guarded, fallback)));
      if (prebuilt(guarded)) {
        constructor.addStatement("this.$N = $L", field + "Task", task(guarded));
      }
    }
    if (!model.migrations().isEmpty()) {
      constructor.addStatement(
          "$T features = $T.of(brownout)", DegradablePolicy.FEATURES, DegradablePolicy.FEATURES);
    }
    for (Migration migration : model.migrations()) {
      constructor.addStatement(
          "this.$N = $L",
          migrationField(migration),
          migrations.builder(migration, migrationResult(migration)));
    }
    // All of the class's guards are built: a key under its name that sets none of them is a
    // mistake.
    constructor.addStatement(
        "$T.checkClassKeys(brownout, $S)", GuardSpec.class, type.getSimpleName().toString());
    return constructor.build();
  }

  private CodeBlock guardSpec(GuardedMethod guarded) {
    CodeBlock.Builder spec =
        CodeBlock.builder()
            .add("$T.named($S)", GuardSpec.class, guarded.guardName())
            .add("\n.inClass($S)", type.getSimpleName().toString());
    for (CorePolicy policy : guarded.policies()) {
      spec.add("\n.policy($S)", policy.policy());
      for (Setting setting : policy.settings()) {
        spec.add("\n.set($S, $S, $S)", policy.policy(), setting.key(), setting.text());
      }
    }
    for (CorePolicy policy : guarded.policies()) {
      for (ExceptionList exceptions : policy.exceptions()) {
        spec.add("\n.exceptions($S, $S", policy.policy(), exceptions.attribute());
        for (TypeMirror exception : exceptions.types()) {
          spec.add(", $T.class", types.erasure(exception));
        }
        spec.add(")");
      }
    }
    for (ModulePolicy.Use use : guarded.modules()) {
      spec.add("\n.$L($L)", use.hook(), use.expression(context));
    }
    return spec.add("\n.build(brownout)").build();
  }

  private CodeBlock fallback(GuardedMethod guarded, FallbackUse fallback) {
    TypeName result = boxed(resultType(guarded));
    TypeMirror first = types.erasure(fallback.on().get(0));
    CodeBlock.Builder code =
        CodeBlock.builder()
            .add(
                "$T.<$T, $T>onKeyed($T.class, $L)",
                Fallback.class,
                result,
                first,
                first,
                fallbackLambda(guarded, fallback));
    for (TypeMirror on : fallback.on().subList(1, fallback.on().size())) {
      code.add("\n.orOnKeyed($T.class, $L)", types.erasure(on), fallbackLambda(guarded, fallback));
    }
    if (!fallback.skipOn().isEmpty()) {
      List<CodeBlock> skipped = new ArrayList<>();
      for (TypeMirror skip : fallback.skipOn()) {
        skipped.add(CodeBlock.of("$T.class", types.erasure(skip)));
      }
      code.add("\n.skipOn($L)", CodeBlock.join(skipped, ", "));
    }
    return code.build();
  }

  private CodeBlock fallbackLambda(GuardedMethod guarded, FallbackUse fallback) {
    List<CodeBlock> arguments =
        new ArrayList<>(argumentsFromKey(member(guarded.method()).getParameterTypes()));
    if (fallback.takesFailure(guarded.method())) {
      arguments.add(CodeBlock.of("failure"));
    }
    CodeBlock call =
        CodeBlock.of(
            "delegate.$N($L)",
            fallback.method().chosen().orElseThrow().getSimpleName().toString(),
            CodeBlock.join(arguments, ", "));
    return resultType(guarded).getKind() == TypeKind.VOID
        ? CodeBlock.of("(key, failure) -> {\n$>$L;\nreturn null;\n$<}", call)
        : CodeBlock.of("(key, failure) -> $L", call);
  }

  /**
   * A method's arguments read back from the call's key: the key itself for one parameter, the key's
   * list elements for several, each cast to its parameter's type.
   */
  static List<CodeBlock> argumentsFromKey(List<? extends TypeMirror> parameters) {
    List<CodeBlock> arguments = new ArrayList<>();
    for (int i = 0; i < parameters.size(); i++) {
      TypeName parameter = TypeName.get(parameters.get(i));
      arguments.add(
          parameters.size() == 1
              ? CodeBlock.of("($T) key", parameter)
              : CodeBlock.of("($T) (($T) key).get($L)", parameter, LIST_OF_ANY, i));
    }
    return arguments;
  }

  private MethodSpec delegation(ExecutableElement method) {
    MethodSpec.Builder override =
        MethodSpec.overriding(method, (DeclaredType) type.asType(), types);
    CodeBlock call =
        CodeBlock.of("delegate.$N($L)", method.getSimpleName().toString(), argumentNames(method));
    return method.getReturnType().getKind() == TypeKind.VOID
        ? override.addStatement("$L", call).build()
        : override.addStatement("return $L", call).build();
  }

  private MethodSpec guarded(GuardedMethod guarded) {
    ExecutableElement method = guarded.method();
    String field = fieldNames.get(method);
    MethodSpec.Builder override =
        MethodSpec.overriding(method, (DeclaredType) type.asType(), types);
    CodeBlock fallback =
        guarded.fallback().isEmpty()
            ? CodeBlock.of("null")
            : CodeBlock.of("this.$N", field + "Fallback");
    CodeBlock key = guarded.usesKey() ? key(method) : CodeBlock.of("null");
    CodeBlock task = prebuilt(guarded) ? CodeBlock.of("this.$N", field + "Task") : task(guarded);
    TypeName result = boxed(resultType(guarded));
    if (guarded.async()) {
      boolean future =
          types
              .erasure(member(method).getReturnType())
              .toString()
              .equals("java.util.concurrent.CompletableFuture");
      return override
          .addStatement(
              "return this.$N.<$T>callAsyncFor($L, $L, $L)$L",
              field + "Guard",
              result,
              key,
              task,
              fallback,
              future ? ".toCompletableFuture()" : "")
          .build();
    }
    CodeBlock invocation =
        keyed(guarded)
            ? CodeBlock.of(
                "this.$N.<$T, $T>callWith($N, $L, $L)",
                field + "Guard",
                boxed(member(method).getParameterTypes().get(0)),
                result,
                method.getParameters().get(0).getSimpleName().toString(),
                task,
                fallback)
            : CodeBlock.of(
                "this.$N.<$T>callFor($L, $L, $L)", field + "Guard", result, key, task, fallback);
    return rethrowing(override, method, invocation);
  }

  /**
   * {@code override} with a body that returns {@code invocation}, which may throw any Exception:
   * the method's own exceptions and unchecked ones pass as they are, any other is wrapped in an
   * {@link UndeclaredThrowableException}, as a proxy would.
   */
  private MethodSpec rethrowing(
      MethodSpec.Builder override, ExecutableElement method, CodeBlock invocation) {
    String returns = method.getReturnType().getKind() == TypeKind.VOID ? "" : "return ";
    if (declaresException(method)) {
      return override.addStatement("$L$L", returns, invocation).build();
    }
    override
        .beginControlFlow("try")
        .addStatement("$L$L", returns, invocation)
        .nextControlFlow("catch ($T | $T e)", RuntimeException.class, Error.class)
        .addStatement("throw e");
    for (TypeMirror thrown : checkedThrown(method)) {
      override.nextControlFlow("catch ($T e)", thrown).addStatement("throw e");
    }
    return override
        .nextControlFlow("catch ($T e)", Exception.class)
        .addStatement("throw new $T(e)", UndeclaredThrowableException.class)
        .endControlFlow()
        .build();
  }

  /** The override of a migrated method: the call through its experiment or shift. */
  private MethodSpec migrated(Migration migration) {
    ExecutableElement method = migration.method();
    MethodSpec.Builder override =
        MethodSpec.overriding(method, (DeclaredType) type.asType(), types);
    return rethrowing(override, method, migrations.call(migration, migrationField(migration)));
  }

  private String migrationField(Migration migration) {
    return fieldNames.get(migration.method()) + migration.kind().runtimeType;
  }

  private TypeName migrationResult(Migration migration) {
    return boxed(member(migration.method()).getReturnType());
  }

  /**
   * Whether the call's task is built once, in the constructor: so it is for a method without
   * parameters (nothing to capture, so nothing to allocate per call) or a keyed one, that declares
   * no type variables.
   */
  private static boolean prebuilt(GuardedMethod guarded) {
    return (guarded.method().getParameters().isEmpty() || keyed(guarded))
        && guarded.method().getTypeParameters().isEmpty();
  }

  /**
   * Whether the call's task takes the method's one argument as the call's key ({@code
   * Guard.callWith}): built once like a task without parameters, so a one-argument call captures
   * nothing per call.
   */
  private static boolean keyed(GuardedMethod guarded) {
    return !guarded.async()
        && guarded.method().getParameters().size() == 1
        && guarded.method().getTypeParameters().isEmpty();
  }

  /** The functional type of a guarded method's task. */
  private TypeName taskType(GuardedMethod guarded) {
    TypeName result = boxed(resultType(guarded));
    if (keyed(guarded)) {
      return ParameterizedTypeName.get(
          KEYED_CALL, boxed(member(guarded.method()).getParameterTypes().get(0)), result);
    }
    if (guarded.async()) {
      TypeMirror erased = types.erasure(member(guarded.method()).getReturnType());
      TypeName stage = ParameterizedTypeName.get((ClassName) TypeName.get(erased), result);
      return ParameterizedTypeName.get(ClassName.get(Supplier.class), stage);
    }
    return ParameterizedTypeName.get(ClassName.get(Callable.class), result);
  }

  /**
   * The lambda that calls the delegate: a keyed call, a Supplier of the stage, or a Callable of the
   * result.
   */
  private CodeBlock task(GuardedMethod guarded) {
    ExecutableElement method = guarded.method();
    String name = method.getSimpleName().toString();
    boolean isVoid = method.getReturnType().getKind() == TypeKind.VOID;
    if (keyed(guarded)) {
      return isVoid
          ? CodeBlock.of("key -> {\n$>delegate.$N(key);\nreturn null;\n$<}", name)
          : CodeBlock.of("key -> delegate.$N(key)", name);
    }
    CodeBlock call = CodeBlock.of("delegate.$N($L)", name, argumentNames(method));
    if (guarded.async() && !checkedThrown(method).isEmpty()) {
      return CodeBlock.builder()
          .add("() -> {\n$>")
          .beginControlFlow("try")
          .addStatement("return $L", call)
          .nextControlFlow("catch ($T | $T e)", RuntimeException.class, Error.class)
          .addStatement("throw e")
          .nextControlFlow("catch ($T e)", Exception.class)
          .addStatement("return $T.failedFuture(e)", CompletableFuture.class)
          .endControlFlow()
          .add("$<}")
          .build();
    }
    return isVoid && !guarded.async()
        ? CodeBlock.of("() -> {\n$>$L;\nreturn null;\n$<}", call)
        : CodeBlock.of("() -> $L", call);
  }

  /** The declared checked exceptions, without ones a broader one of them covers. */
  private List<TypeMirror> checkedThrown(ExecutableElement method) {
    List<TypeMirror> checked = new ArrayList<>();
    List<? extends TypeMirror> declared = method.getThrownTypes();
    for (TypeMirror thrown : declared) {
      if (!context.isChecked(thrown)) {
        continue;
      }
      boolean covered =
          declared.stream()
              .anyMatch(
                  other -> types.isAssignable(thrown, other) && !types.isSameType(thrown, other));
      if (!covered) {
        checked.add(thrown);
      }
    }
    return checked;
  }

  /**
   * Whether the method may throw any Exception, so the guard's own {@code throws Exception} fits.
   */
  private boolean declaresException(ExecutableElement method) {
    TypeMirror exception = context.typeOf("java.lang.Exception");
    return method.getThrownTypes().stream()
        .anyMatch(thrown -> types.isAssignable(exception, thrown));
  }

  /**
   * The method as a member of the guarded type: an inherited {@code T get()} of {@code
   * Repository<T>} is a {@code String get()} in a type that extends {@code Repository<String>}, as
   * the override that {@link MethodSpec#overriding} writes is.
   */
  private ExecutableType member(ExecutableElement method) {
    return (ExecutableType) types.asMemberOf((DeclaredType) type.asType(), method);
  }

  /** What a call of the method gives its caller: the return type, or a stage's type argument. */
  private TypeMirror resultType(GuardedMethod guarded) {
    TypeMirror returned = member(guarded.method()).getReturnType();
    return guarded.async() ? context.typeArgument(returned) : returned;
  }

  private static TypeName boxed(TypeMirror type) {
    return type.getKind() == TypeKind.VOID ? ClassName.OBJECT : TypeName.get(type).box();
  }

  private static CodeBlock key(ExecutableElement method) {
    List<? extends VariableElement> parameters = method.getParameters();
    if (parameters.isEmpty()) {
      return CodeBlock.of("null");
    }
    if (parameters.size() == 1) {
      return CodeBlock.of("$N", parameters.get(0).getSimpleName().toString());
    }
    return CodeBlock.of("$T.asList($L)", Arrays.class, argumentNames(method));
  }

  static String argumentNames(ExecutableElement method) {
    List<String> names = new ArrayList<>();
    for (VariableElement parameter : method.getParameters()) {
      names.add(parameter.getSimpleName().toString());
    }
    return String.join(", ", names);
  }
}
