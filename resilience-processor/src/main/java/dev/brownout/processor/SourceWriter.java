package dev.brownout.processor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.TypeParameterElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Types;

/**
 * Writes the guarded class of a {@link Model}: plain Java that a reader can follow, one guard and one
 * fallback field per guarded method, built once in the constructor, and one delegating override per
 * method.
 */
final class SourceWriter {

  private static final String CORE = "dev.brownout.core.";

  private final ProcessingEnvironment env;
  private final Types types;
  private final Model model;
  private final TypeElement type;
  private final StringBuilder out = new StringBuilder();

  SourceWriter(ProcessingEnvironment env, Model model) {
    this.env = env;
    this.types = env.getTypeUtils();
    this.model = model;
    this.type = model.type();
  }

  String source() {
    String qualified = model.generatedQualifiedName();
    int dot = qualified.lastIndexOf('.');
    String simple = qualified.substring(dot + 1);
    if (dot > 0) {
      line("package " + qualified.substring(0, dot) + ";");
      line("");
    }
    String typeParameters = typeParameters(type.getTypeParameters());
    String self = type.getQualifiedName() + typeArguments(type.getTypeParameters());
    line("/** Calls to {@link " + type.getQualifiedName() + "} through Brownout guards; generated, do not edit. */");
    line("@javax.annotation.processing.Generated(\"" + GuardProcessor.class.getName() + "\")");
    line("public final class " + simple + typeParameters
        + (type.getKind() == ElementKind.INTERFACE ? " implements " : " extends ") + self + " {");
    line("");
    line("  private final " + self + " delegate;");
    for (Model.Guarded guarded : model.guarded().values()) {
      String field = field(guarded.method());
      line("  private final " + CORE + "Guard " + field + ";");
      if (prebuilt(guarded)) {
        line("  private final " + task(guarded) + " " + field + "Task;");
      }
      if (guarded.fallback() != null) {
        line("  private final " + CORE + "Fallback<" + boxed(resultType(guarded)) + "> " + field + "Fallback;");
      }
    }
    line("");
    line("  @SuppressWarnings(\"unchecked\") // fallbacks cast the call's key back to its parameter types");
    line("  public " + simple + "(" + CORE + "Brownout brownout, " + self + " delegate) {");
    if (type.getKind() == ElementKind.CLASS) {
      line("    super();");
    }
    line("    this.delegate = java.util.Objects.requireNonNull(delegate, \"delegate\");");
    for (Model.Guarded guarded : model.guarded().values()) {
      writeGuard(guarded);
      if (prebuilt(guarded)) {
        line("    this." + field(guarded.method()) + "Task = " + taskLambda(guarded, "      ") + ";");
      }
    }
    // All of the class's guards are built: a key under its name that sets none of them is a mistake.
    line("    " + CORE + "GuardSpec.checkClassKeys(brownout, " + literal(type.getSimpleName().toString()) + ");");
    line("  }");
    for (ExecutableElement method : model.delegated()) {
      line("");
      Model.Guarded guarded = model.guarded().get(method);
      if (guarded == null) {
        writeDelegation(method);
      } else {
        writeGuarded(guarded);
      }
    }
    line("}");
    return out.toString();
  }

  private void writeGuard(Model.Guarded guarded) {
    String field = field(guarded.method());
    StringBuilder spec = new StringBuilder("    this." + field + " = " + CORE + "GuardSpec.named(" + literal(guarded.guardName()) + ")"
        + "\n        .inClass(" + literal(type.getSimpleName().toString()) + ")");
    for (Map.Entry<String, Map<String, String>> policy : guarded.policies().entrySet()) {
      spec.append("\n        .policy(").append(literal(policy.getKey())).append(")");
      for (Map.Entry<String, String> value : policy.getValue().entrySet()) {
        spec.append("\n        .set(").append(literal(policy.getKey())).append(", ").append(literal(value.getKey()))
            .append(", ").append(literal(value.getValue())).append(")");
      }
    }
    for (Map.Entry<String, List<TypeMirror>> exceptions : guarded.exceptions().entrySet()) {
      int dot = exceptions.getKey().indexOf('.');
      String[] parts = {exceptions.getKey().substring(0, dot), exceptions.getKey().substring(dot + 1)};
      List<String> classes = new ArrayList<>();
      for (TypeMirror exception : exceptions.getValue()) {
        classes.add(types.erasure(exception) + ".class");
      }
      spec.append("\n        .exceptions(").append(literal(parts[0])).append(", ").append(literal(parts[1]));
      for (String c : classes) {
        spec.append(", ").append(c);
      }
      spec.append(")");
    }
    for (Model.Installed policy : guarded.installed()) {
      spec.append("\n        .").append(policy.hook()).append("(").append(policy.expression()).append(")");
    }
    spec.append("\n        .build(brownout);");
    line(spec.toString());
    Model.Fallback fallback = guarded.fallback();
    if (fallback != null) {
      String result = boxed(resultType(guarded));
      StringBuilder fb = new StringBuilder("    this." + field + "Fallback = " + CORE + "Fallback.<" + result + ", "
          + types.erasure(fallback.on().get(0)) + ">onKeyed(" + types.erasure(fallback.on().get(0)) + ".class, "
          + fallbackLambda(guarded) + ")");
      for (int i = 1; i < fallback.on().size(); i++) {
        TypeMirror on = types.erasure(fallback.on().get(i));
        fb.append("\n        .orOnKeyed(").append(on).append(".class, ").append(fallbackLambda(guarded)).append(")");
      }
      if (!fallback.skipOn().isEmpty()) {
        List<String> skipped = new ArrayList<>();
        for (TypeMirror skip : fallback.skipOn()) {
          skipped.add(types.erasure(skip) + ".class");
        }
        fb.append("\n        .skipOn(").append(String.join(", ", skipped)).append(")");
      }
      line(fb.append(";").toString());
    }
  }

  /**
   * The method's arguments read back from the call's key (see {@link #key}): the key itself for one
   * parameter, the key's list elements for several, each cast to its parameter's type.
   */
  static List<String> argumentsFromKey(ExecutableElement method) {
    List<? extends VariableElement> parameters = method.getParameters();
    List<String> arguments = new ArrayList<>();
    for (int i = 0; i < parameters.size(); i++) {
      String parameterType = parameters.get(i).asType().toString();
      if (parameters.size() == 1) {
        arguments.add("(" + parameterType + ") key");
      } else {
        arguments.add("(" + parameterType + ") ((java.util.List<?>) key).get(" + i + ")");
      }
    }
    return arguments;
  }

  private String fallbackLambda(Model.Guarded guarded) {
    List<String> arguments = argumentsFromKey(guarded.method());
    if (guarded.fallback().takesFailure()) {
      arguments.add("failure");
    }
    String call = "delegate." + guarded.fallback().method().getSimpleName() + "(" + String.join(", ", arguments) + ")";
    if (resultType(guarded).getKind() == TypeKind.VOID) {
      return "(key, failure) -> {\n          " + call + ";\n          return null;\n        }";
    }
    return "(key, failure) -> " + call;
  }

  private void writeDelegation(ExecutableElement method) {
    line("  @Override");
    line("  " + header(method) + " {");
    String call = "delegate." + method.getSimpleName() + "(" + argumentNames(method) + ")";
    line("    " + (method.getReturnType().getKind() == TypeKind.VOID ? "" : "return ") + call + ";");
    line("  }");
  }

  private void writeGuarded(Model.Guarded guarded) {
    ExecutableElement method = guarded.method();
    String field = field(method);
    String fallback = guarded.fallback() == null ? "null" : "this." + field + "Fallback";
    String key = guarded.usesKey() ? key(method) : "null";
    String indent = guarded.async() || declaresException(method) ? "    " : "      ";
    String task = prebuilt(guarded) ? "this." + field + "Task" : taskLambda(guarded, indent);
    line("  @Override");
    line("  " + header(method) + " {");
    if (guarded.async()) {
      String stage = "this." + field + ".<" + boxed(resultType(guarded)) + ">callAsyncFor(" + key + ", " + task + ", " + fallback + ")";
      boolean future = types.erasure(method.getReturnType()).toString().equals("java.util.concurrent.CompletableFuture");
      line("    return " + stage + (future ? ".toCompletableFuture()" : "") + ";");
      line("  }");
      return;
    }
    boolean isVoid = method.getReturnType().getKind() == TypeKind.VOID;
    String invocation = keyed(guarded)
        ? "this." + field + ".<" + boxed(method.getParameters().get(0).asType()) + ", " + boxed(resultType(guarded)) + ">callWith("
            + method.getParameters().get(0).getSimpleName() + ", " + task + ", " + fallback + ")"
        : "this." + field + ".<" + boxed(resultType(guarded)) + ">callFor(" + key + ", " + task + ", " + fallback + ")";
    String statement = (isVoid ? "" : "return ") + invocation + ";";
    if (declaresException(method)) {
      line("    " + statement);
    } else {
      line("    try {");
      line("      " + statement);
      line("    } catch (RuntimeException | Error e) {");
      line("      throw e;");
      for (TypeMirror thrown : checkedThrown(method)) {
        line("    } catch (" + thrown + " e) {");
        line("      throw e;");
      }
      line("    } catch (Exception e) {");
      line("      throw new java.lang.reflect.UndeclaredThrowableException(e);");
      line("    }");
    }
    line("  }");
  }

  /**
   * Whether the call's task is built once, in the constructor: so it is for a method without
   * parameters (nothing to capture, so nothing to allocate per call) that declares no type variables.
   */
  private static boolean prebuilt(Model.Guarded guarded) {
    return (guarded.method().getParameters().isEmpty() || keyed(guarded)) && guarded.method().getTypeParameters().isEmpty();
  }

  /**
   * Whether the call's task takes the method's one argument as the call's key ({@code Guard.callWith}):
   * built once like a task without parameters, so a one-argument call captures nothing per call.
   */
  private static boolean keyed(Model.Guarded guarded) {
    return !guarded.async() && guarded.method().getParameters().size() == 1 && guarded.method().getTypeParameters().isEmpty();
  }

  /** The functional type of a guarded method's task. */
  private String task(Model.Guarded guarded) {
    String result = boxed(resultType(guarded));
    if (keyed(guarded)) {
      return CORE + "Guard.KeyedCall<" + boxed(guarded.method().getParameters().get(0).asType()) + ", " + result + ">";
    }
    return guarded.async()
        ? "java.util.function.Supplier<" + types.erasure(guarded.method().getReturnType()) + "<" + result + ">>"
        : "java.util.concurrent.Callable<" + result + ">";
  }

  /** The lambda that calls the delegate: a Supplier of the stage, or a Callable of the result. */
  private String taskLambda(Model.Guarded guarded, String indent) {
    ExecutableElement method = guarded.method();
    if (keyed(guarded)) {
      String call = "delegate." + method.getSimpleName() + "(key)";
      return method.getReturnType().getKind() == TypeKind.VOID
          ? "key -> {\n" + indent + "  " + call + ";\n" + indent + "  return null;\n" + indent + "}"
          : "key -> " + call;
    }
    String call = "delegate." + method.getSimpleName() + "(" + argumentNames(method) + ")";
    if (guarded.async()) {
      if (!hasChecked(method)) {
        return "() -> " + call;
      }
      return "() -> {\n" + indent + "  try {\n" + indent + "    return " + call + ";\n" + indent + "  } catch (RuntimeException | Error e) {\n"
          + indent + "    throw e;\n" + indent + "  } catch (Exception e) {\n" + indent
          + "    return java.util.concurrent.CompletableFuture.failedFuture(e);\n" + indent + "  }\n" + indent + "}";
    }
    if (method.getReturnType().getKind() == TypeKind.VOID) {
      return "() -> {\n" + indent + "  " + call + ";\n" + indent + "  return null;\n" + indent + "}";
    }
    return "() -> " + call;
  }

  /** The declared checked exceptions, most specific first and without ones a broader one covers. */
  private List<TypeMirror> checkedThrown(ExecutableElement method) {
    List<TypeMirror> checked = new ArrayList<>();
    List<? extends TypeMirror> declared = method.getThrownTypes();
    for (int i = 0; i < declared.size(); i++) {
      TypeMirror thrown = declared.get(i);
      if (!model.isChecked(thrown)) {
        continue;
      }
      boolean covered = false;
      for (int j = 0; j < declared.size(); j++) {
        if (j != i && types.isAssignable(thrown, declared.get(j)) && !types.isSameType(thrown, declared.get(j))) {
          covered = true;
        }
      }
      if (!covered) {
        checked.add(thrown);
      }
    }
    return checked;
  }

  private boolean hasChecked(ExecutableElement method) {
    return !checkedThrown(method).isEmpty();
  }

  /** Whether the method may throw any Exception, so the guard's own {@code throws Exception} fits. */
  private boolean declaresException(ExecutableElement method) {
    TypeMirror exception = env.getElementUtils().getTypeElement("java.lang.Exception").asType();
    for (TypeMirror thrown : method.getThrownTypes()) {
      if (types.isAssignable(exception, thrown)) {
        return true;
      }
    }
    return false;
  }

  private TypeMirror resultType(Model.Guarded guarded) {
    return guarded.async() ? model.typeArgument(guarded.method().getReturnType()) : guarded.method().getReturnType();
  }

  private String boxed(TypeMirror type) {
    if (type.getKind() == TypeKind.VOID) {
      return "java.lang.Object";
    }
    if (type.getKind().isPrimitive()) {
      return types.boxedClass(types.getPrimitiveType(type.getKind())).getQualifiedName().toString();
    }
    return type.toString();
  }

  private static String key(ExecutableElement method) {
    List<? extends VariableElement> parameters = method.getParameters();
    if (parameters.isEmpty()) {
      return "null";
    }
    if (parameters.size() == 1) {
      return parameters.get(0).getSimpleName().toString();
    }
    return "java.util.Arrays.asList(" + argumentNames(method) + ")";
  }

  private String header(ExecutableElement method) {
    StringBuilder header = new StringBuilder();
    header.append(method.getModifiers().contains(Modifier.PROTECTED) ? "protected " : "public ");
    String typeParameters = typeParameters(method.getTypeParameters());
    if (!typeParameters.isEmpty()) {
      header.append(typeParameters).append(" ");
    }
    header.append(method.getReturnType()).append(" ").append(method.getSimpleName()).append("(");
    List<String> parameters = new ArrayList<>();
    for (VariableElement parameter : method.getParameters()) {
      parameters.add("final " + parameter.asType() + " " + parameter.getSimpleName());
    }
    if (method.isVarArgs() && !parameters.isEmpty()) {
      String last = parameters.get(parameters.size() - 1);
      parameters.set(parameters.size() - 1, last.replaceFirst("\\[\\] (\\w+)$", "... $1"));
    }
    header.append(String.join(", ", parameters)).append(")");
    if (!method.getThrownTypes().isEmpty()) {
      List<String> thrown = new ArrayList<>();
      for (TypeMirror t : method.getThrownTypes()) {
        thrown.add(t.toString());
      }
      header.append(" throws ").append(String.join(", ", thrown));
    }
    return header.toString();
  }

  private static String typeParameters(List<? extends TypeParameterElement> parameters) {
    if (parameters.isEmpty()) {
      return "";
    }
    List<String> declared = new ArrayList<>();
    for (TypeParameterElement parameter : parameters) {
      List<String> bounds = new ArrayList<>();
      for (TypeMirror bound : parameter.getBounds()) {
        if (!bound.toString().equals("java.lang.Object")) {
          bounds.add(bound.toString());
        }
      }
      declared.add(parameter.getSimpleName() + (bounds.isEmpty() ? "" : " extends " + String.join(" & ", bounds)));
    }
    return "<" + String.join(", ", declared) + ">";
  }

  private static String typeArguments(List<? extends TypeParameterElement> parameters) {
    if (parameters.isEmpty()) {
      return "";
    }
    List<String> names = new ArrayList<>();
    for (TypeParameterElement parameter : parameters) {
      names.add(parameter.getSimpleName().toString());
    }
    return "<" + String.join(", ", names) + ">";
  }

  private static String argumentNames(ExecutableElement method) {
    List<String> names = new ArrayList<>();
    for (VariableElement parameter : method.getParameters()) {
      names.add(parameter.getSimpleName().toString());
    }
    return String.join(", ", names);
  }

  /** A field name per guarded method; overloads get their position appended. */
  private String field(ExecutableElement method) {
    int index = 0;
    for (ExecutableElement other : model.delegated()) {
      if (other.equals(method)) {
        break;
      }
      index++;
    }
    return method.getSimpleName() + "Guard" + index;
  }

  static String literal(String text) {
    StringBuilder literal = new StringBuilder("\"");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> literal.append("\\\"");
        case '\\' -> literal.append("\\\\");
        case '\n' -> literal.append("\\n");
        default -> literal.append(c);
      }
    }
    return literal.append('"').toString();
  }

  private void line(String text) {
    out.append(text).append('\n');
  }
}
