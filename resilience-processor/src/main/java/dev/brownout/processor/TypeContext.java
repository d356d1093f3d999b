package dev.brownout.processor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * The guarded type being processed, with javac's utilities and the questions about types that all
 * three stages ask (is this exception checked, what does a call give its caller, which members have
 * this name). Holds no state of its own.
 */
record TypeContext(ProcessingEnvironment env, TypeElement type) {

  Types types() {
    return env.getTypeUtils();
  }

  Elements elements() {
    return env.getElementUtils();
  }

  TypeMirror typeOf(String qualifiedName) {
    return elements().getTypeElement(qualifiedName).asType();
  }

  /**
   * Whether {@code type} is a subtype of the type named {@code qualifiedName}, which may be absent.
   */
  boolean isA(TypeMirror type, String qualifiedName) {
    TypeElement element = elements().getTypeElement(qualifiedName);
    return element != null && types().isAssignable(type, element.asType());
  }

  boolean isChecked(TypeMirror thrown) {
    return !isA(thrown, "java.lang.RuntimeException") && !isA(thrown, "java.lang.Error");
  }

  boolean isAsync(TypeMirror returnType) {
    if (returnType.getKind() != TypeKind.DECLARED) {
      return false;
    }
    String erased = types().erasure(returnType).toString();
    return erased.equals("java.util.concurrent.CompletionStage")
        || erased.equals("java.util.concurrent.CompletableFuture");
  }

  /**
   * What a call of {@code method} gives its caller: the return type, or a stage's type argument.
   */
  TypeMirror resultType(ExecutableElement method) {
    return isAsync(method.getReturnType())
        ? typeArgument(method.getReturnType())
        : method.getReturnType();
  }

  TypeMirror typeArgument(TypeMirror returnType) {
    List<? extends TypeMirror> arguments = ((DeclaredType) returnType).getTypeArguments();
    return arguments.isEmpty() ? typeOf("java.lang.Object") : arguments.get(0);
  }

  /** The methods of the guarded type (inherited ones too) called {@code name}. */
  List<ExecutableElement> named(String name) {
    List<ExecutableElement> candidates = new ArrayList<>();
    for (ExecutableElement candidate : ElementFilter.methodsIn(elements().getAllMembers(type))) {
      if (candidate.getSimpleName().contentEquals(name)) {
        candidates.add(candidate);
      }
    }
    return List.copyOf(candidates);
  }

  /** Why the generated class cannot call {@code candidate} on its delegate, or null if it can. */
  static String uncallable(ExecutableElement candidate) {
    Set<Modifier> modifiers = candidate.getModifiers();
    String name = candidate.getSimpleName().toString();
    if (modifiers.contains(Modifier.PRIVATE)) {
      return name + " is private, so the generated class cannot call it";
    }
    if (modifiers.contains(Modifier.STATIC)) {
      return name + " is static; make it an instance method";
    }
    return null;
  }

  /**
   * Why {@code candidate}'s result or exceptions do not fit a guarded method giving {@code
   * expected}, or null if they do; {@code role} names the handler in the message ("a recovery
   * method").
   */
  String resultProblem(ExecutableElement candidate, TypeMirror expected, String role) {
    String name = candidate.getSimpleName().toString();
    if (expected.getKind() == TypeKind.VOID) {
      if (candidate.getReturnType().getKind() != TypeKind.VOID) {
        return name
            + " returns "
            + candidate.getReturnType()
            + ", but the guarded method returns void";
      }
    } else if (!types().isAssignable(candidate.getReturnType(), expected)) {
      return name + " returns " + candidate.getReturnType() + ", which is not a " + expected;
    }
    for (TypeMirror thrown : candidate.getThrownTypes()) {
      if (isChecked(thrown)) {
        return name
            + " throws "
            + thrown
            + ", but "
            + role
            + " may throw unchecked exceptions only";
      }
    }
    return null;
  }

  /**
   * A problem with {@code mirror} as it applies to {@code method}: reported on the method when the
   * annotation is the method's own, else on the guarded type, which carries it.
   */
  Problem problem(ErrorId id, ExecutableElement method, AnnotationMirror mirror, String message) {
    boolean own = method.getAnnotationMirrors().contains(mirror);
    return Problem.on(id, own ? method : type, mirror, message);
  }

  /** The text of a String (or other) attribute of {@code mirror}, or "" when it is not set. */
  static String stringValue(AnnotationMirror mirror, String attribute) {
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> value :
        mirror.getElementValues().entrySet()) {
      if (value.getKey().getSimpleName().contentEquals(attribute)) {
        return value.getValue().getValue().toString();
      }
    }
    return "";
  }

  /** The types of a {@code Class[]} attribute's value. */
  static List<TypeMirror> typesOf(AnnotationValue value) {
    List<TypeMirror> types = new ArrayList<>();
    for (Object item : (List<?>) value.getValue()) {
      types.add((TypeMirror) ((AnnotationValue) item).getValue());
    }
    return List.copyOf(types);
  }

  static String simpleName(AnnotationMirror mirror) {
    return mirror.getAnnotationType().asElement().getSimpleName().toString();
  }

  /** {@code Type name, Type name} of {@code method}'s parameters, for messages. */
  static String parameters(ExecutableElement method) {
    List<String> params = new ArrayList<>();
    for (VariableElement parameter : method.getParameters()) {
      params.add(parameter.asType() + " " + parameter.getSimpleName());
    }
    return String.join(", ", params);
  }
}
