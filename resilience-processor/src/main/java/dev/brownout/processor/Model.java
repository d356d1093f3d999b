package dev.brownout.processor;

import dev.brownout.core.GuardSpec;
import dev.brownout.core.internal.GuardNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Types;
import javax.tools.Diagnostic;

/**
 * One annotated type as the processor understands it: which methods are guarded, by which guard,
 * with which values and fallback. Reading it reports every problem on the element that causes it.
 */
final class Model {

  /** A guarded method: its guard's name, policy values (as text), exception lists and fallback. */
  record Guarded(
      ExecutableElement method,
      String guardName,
      Map<String, Map<String, String>> policies,
      Map<String, List<TypeMirror>> exceptions,
      Fallback fallback,
      boolean async,
      List<Installed> installed) {

    /**
     * Whether the call's key (its arguments) is passed to the guard: only a fallback or an admission
     * policy reads it, and building it may allocate (a box, a list), so other calls pass none.
     */
    boolean usesKey() {
      if (fallback != null) {
        return true;
      }
      for (Installed policy : installed) {
        if (policy.hook().equals("admission")) {
          return true;
        }
      }
      return false;
    }
  }

  /** A policy of another module: the {@code GuardSpec} hook that installs it and the expression that creates it. */
  record Installed(String hook, String expression) {}

  /** The fallback of a guarded method, the failures it handles and those it lets through. */
  record Fallback(ExecutableElement method, List<TypeMirror> on, List<TypeMirror> skipOn, boolean takesFailure) {}

  private final ProcessingEnvironment env;
  private final Types types;
  private final TypeElement type;
  private final Map<ExecutableElement, Guarded> guarded = new LinkedHashMap<>();
  private final List<ExecutableElement> delegated = new ArrayList<>();
  private final Set<String> handlers = new java.util.HashSet<>();
  private boolean ok = true;

  Model(ProcessingEnvironment env, TypeElement type) {
    this.env = env;
    this.types = env.getTypeUtils();
    this.type = type;
  }

  TypeElement type() {
    return type;
  }

  ProcessingEnvironment env() {
    return env;
  }

  Map<ExecutableElement, Guarded> guarded() {
    return guarded;
  }

  List<ExecutableElement> delegated() {
    return delegated;
  }

  String generatedQualifiedName() {
    return GuardNames.generatedClassName(env.getElementUtils().getBinaryName(type).toString());
  }

  /** Reads and checks the type; false if an error was reported. */
  boolean read() {
    checkType();
    if (!ok) {
      return false;
    }
    checkAnnotatedMethodsCanBeOverridden();
    collectHandlers();
    Map<String, ExecutableElement> names = new LinkedHashMap<>();
    for (ExecutableElement method : GuardProcessor.overridable(env, type)) {
      delegated.add(method);
      Guarded g = guard(method);
      if (g == null) {
        continue;
      }
      ExecutableElement other = names.putIfAbsent(g.guardName(), method);
      if (other != null) {
        error(method, "guard name '" + g.guardName() + "' is already used by " + signature(other)
            + "; give one of them its own name, e.g. @CircuitBreaker(name = \"" + g.guardName() + "2\")");
      }
      guarded.put(method, g);
    }
    if (ok && guarded.isEmpty()) {
      error(type, "no method of " + type.getSimpleName() + " is guarded: annotate a method that a subclass can override");
    }
    return ok;
  }

  private void checkType() {
    Set<Modifier> modifiers = type.getModifiers();
    if (type.getKind() != ElementKind.INTERFACE && type.getKind() != ElementKind.CLASS) {
      error(type, "Brownout annotations guard interfaces and classes, not a " + type.getKind().toString().toLowerCase(java.util.Locale.ROOT)
          + ": annotate an interface that " + type.getSimpleName() + " implements");
      return;
    }
    if (modifiers.contains(Modifier.FINAL)) {
      error(type, "a guarded class cannot be final: remove 'final' from " + type.getSimpleName()
          + ", or annotate an interface it implements");
    }
    if (modifiers.contains(Modifier.PRIVATE)) {
      error(type, "a guarded type cannot be private: make " + type.getSimpleName() + " package-private or public");
    }
    if (type.getNestingKind() == NestingKind.MEMBER && !modifiers.contains(Modifier.STATIC) && type.getKind() == ElementKind.CLASS) {
      error(type, "a guarded nested class must be static: write 'static class " + type.getSimpleName() + "'");
    }
    if (type.getNestingKind() == NestingKind.LOCAL || type.getNestingKind() == NestingKind.ANONYMOUS) {
      error(type, "a guarded type must be a top-level or member type, not a local or anonymous class");
    }
    if (type.getKind() == ElementKind.CLASS) {
      boolean noArgs = false;
      for (ExecutableElement constructor : ElementFilter.constructorsIn(type.getEnclosedElements())) {
        if (constructor.getParameters().isEmpty() && !constructor.getModifiers().contains(Modifier.PRIVATE)) {
          noArgs = true;
        }
      }
      if (!noArgs) {
        error(type, "a guarded class needs a non-private constructor without parameters, which the generated"
            + " subclass calls; add one, or annotate an interface instead");
      }
      for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
        Set<Modifier> m = method.getModifiers();
        if (m.contains(Modifier.PUBLIC) && m.contains(Modifier.FINAL) && !m.contains(Modifier.STATIC)) {
          error(method, "a guarded class cannot have public final methods: " + method.getSimpleName()
              + " would run on the wrapper instead of the implementation; remove 'final'");
        }
      }
    }
  }

  private void checkAnnotatedMethodsCanBeOverridden() {
    for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
      AnnotationMirror annotation = firstBrownoutAnnotation(method);
      if (annotation == null) {
        continue;
      }
      String simple = "@" + annotation.getAnnotationType().asElement().getSimpleName();
      Set<Modifier> m = method.getModifiers();
      if (m.contains(Modifier.PRIVATE)) {
        error(method, annotation, simple + " cannot guard a private method: the generated class cannot override it; make "
            + method.getSimpleName() + " public");
      } else if (m.contains(Modifier.STATIC)) {
        error(method, annotation, simple + " cannot guard a static method: make " + method.getSimpleName()
            + " an instance method");
      } else if (m.contains(Modifier.FINAL)) {
        error(method, annotation, simple + " cannot guard a final method: remove 'final' from " + method.getSimpleName());
      } else if (type.getKind() == ElementKind.CLASS && !m.contains(Modifier.PUBLIC)) {
        error(method, annotation, simple + " guards public methods only: make " + method.getSimpleName() + " public");
      }
    }
  }

  private AnnotationMirror firstBrownoutAnnotation(Element element) {
    for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
      String name = mirror.getAnnotationType().toString();
      if (GuardProcessor.isBrownout(name)) {
        return mirror;
      }
    }
    return null;
  }

  /**
   * The methods the type's annotations name as fallbacks or recovery methods: an annotation on the
   * type does not guard them, since they answer for the guarded methods.
   */
  private void collectHandlers() {
    List<Element> sources = new ArrayList<>(List.of(type));
    sources.addAll(ElementFilter.methodsIn(env.getElementUtils().getAllMembers(type)));
    for (Element source : sources) {
      for (AnnotationMirror mirror : source.getAnnotationMirrors()) {
        String name = mirror.getAnnotationType().toString();
        if (name.equals(GuardProcessor.FALLBACK)) {
          handlers.add(stringValue(mirror, "method"));
        }
        ModulePolicy policy = GuardProcessor.modulePolicy(name);
        if (policy != null) {
          policy.handler(mirror).ifPresent(handlers::add);
        }
      }
    }
  }

  /** The guard of {@code method}, from its own annotations and its type's; null if unguarded. */
  private Guarded guard(ExecutableElement method) {
    Map<String, AnnotationMirror> effective = new LinkedHashMap<>();
    boolean handler = handlers.contains(method.getSimpleName().toString());
    for (Element source : handler ? List.of(method) : List.of(type, method)) {
      for (AnnotationMirror mirror : source.getAnnotationMirrors()) {
        String name = mirror.getAnnotationType().toString();
        if (GuardProcessor.isBrownout(name)) {
          effective.put(name, mirror);
        }
      }
    }
    if (effective.isEmpty()) {
      return null;
    }
    String guardName = null;
    AnnotationMirror namedBy = null;
    Map<String, Map<String, String>> policies = new LinkedHashMap<>();
    Map<String, List<TypeMirror>> exceptions = new LinkedHashMap<>();
    Fallback fallback = null;
    List<Installed> installed = new ArrayList<>();
    boolean async = isAsync(method.getReturnType());
    for (Map.Entry<String, AnnotationMirror> entry : effective.entrySet()) {
      AnnotationMirror mirror = entry.getValue();
      if (entry.getKey().equals(GuardProcessor.FALLBACK)) {
        fallback = fallback(method, mirror, async);
        continue;
      }
      String name = stringValue(mirror, "name");
      if (!name.isEmpty()) {
        if (guardName != null && !guardName.equals(name)) {
          error(method, mirror, "@" + simpleName(mirror) + "(name = \"" + name + "\") contradicts @" + simpleName(namedBy)
              + "(name = \"" + guardName + "\"): one method has one guard; give both the same name or leave one empty");
        }
        guardName = name;
        namedBy = mirror;
      }
      ModulePolicy module = GuardProcessor.modulePolicy(entry.getKey());
      if (module != null) {
        module.expression(this, method, mirror).ifPresent(e -> installed.add(new Installed(module.hook(), e)));
        continue;
      }
      String policy = GuardProcessor.POLICIES.get(entry.getKey());
      Map<String, String> values = new LinkedHashMap<>();
      policies.put(policy, values);
      for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> attribute : mirror.getElementValues().entrySet()) {
        String attributeName = attribute.getKey().getSimpleName().toString();
        Object value = attribute.getValue().getValue();
        if (attributeName.equals("name")) {
          continue;
        }
        if (value instanceof List<?> list) {
          List<TypeMirror> classes = new ArrayList<>();
          for (Object item : list) {
            classes.add((TypeMirror) ((AnnotationValue) item).getValue());
          }
          exceptions.put(policy + "." + attributeName, classes);
          continue;
        }
        String attributeKey = policy.equals("timeout") && attributeName.equals("value") ? "duration" : attributeName;
        String text = value.toString();
        Optional<String> problem = GuardSpec.check(policy, attributeKey, text);
        if (problem.isPresent()) {
          env.getMessager().printMessage(Diagnostic.Kind.ERROR,
              "invalid " + attributeName + " in @" + simpleName(mirror) + ": " + problem.get(), method.getEnclosingElement().equals(type) ? method : type, mirror, attribute.getValue());
          ok = false;
        }
        values.put(attributeKey, text);
      }
      if (policy.equals("retry")) {
        checkNarrows(method, mirror, "abortOn", exceptions.getOrDefault("retry.abortOn", List.of()),
            "retryOn", exceptions.getOrDefault("retry.retryOn", List.of()), "retried");
      }
    }
    if (policies.isEmpty() && installed.isEmpty() && fallback != null) {
      error(method, effective.get(GuardProcessor.FALLBACK), "@Fallback needs a policy to fall back from: add @CircuitBreaker,"
          + " @Bulkhead, @Timeout or @Retry to " + method.getSimpleName());
    }
    if (guardName == null) {
      guardName = GuardNames.defaultGuardName(type.getSimpleName().toString(), method.getSimpleName().toString());
    }
    return new Guarded(method, guardName, policies, exceptions, fallback, async, installed);
  }

  private Fallback fallback(ExecutableElement method, AnnotationMirror mirror, boolean async) {
    String name = null;
    String onName = "on";
    List<TypeMirror> on = new ArrayList<>();
    List<TypeMirror> skipOn = new ArrayList<>();
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> attribute : mirror.getElementValues().entrySet()) {
      String attributeName = attribute.getKey().getSimpleName().toString();
      if (attributeName.equals("method")) {
        name = attribute.getValue().getValue().toString();
      } else if (attributeName.equals("on") || attributeName.equals("applyOn")) {
        if (!on.isEmpty()) {
          error(method, mirror, "@Fallback sets both on and applyOn, two names for the failures it handles; keep one of them");
        }
        onName = attributeName;
        on.addAll(types(attribute.getValue()));
      } else if (attributeName.equals("skipOn")) {
        skipOn.addAll(types(attribute.getValue()));
      }
    }
    if (on.isEmpty()) {
      on.add(env.getElementUtils().getTypeElement("java.lang.Exception").asType());
    }
    checkNarrows(method, mirror, "skipOn", skipOn, onName, on, "handled by the fallback");
    TypeMirror expected = async ? typeArgument(method.getReturnType()) : method.getReturnType();
    String params = parameters(method);
    String shape = expected + " " + name + "(" + params + (params.isEmpty() ? "" : ", ") + "Exception failure)";
    List<ExecutableElement> candidates = new ArrayList<>();
    for (ExecutableElement candidate : ElementFilter.methodsIn(env.getElementUtils().getAllMembers(type))) {
      if (candidate.getSimpleName().contentEquals(name)) {
        candidates.add(candidate);
      }
    }
    if (candidates.isEmpty()) {
      error(method, mirror, "@Fallback(method = \"" + name + "\"): " + type.getSimpleName() + " has no method " + name
          + "; declare " + shape + " (the failure parameter is optional)");
      return null;
    }
    String mismatch = null;
    for (ExecutableElement candidate : candidates) {
      String problem = mismatch(method, candidate, on, expected);
      if (problem == null) {
        return new Fallback(candidate, on, skipOn, candidate.getParameters().size() > method.getParameters().size());
      }
      if (mismatch == null) {
        mismatch = problem;
      }
    }
    error(method, mirror, "@Fallback(method = \"" + name + "\"): " + mismatch + "; declare " + shape);
    return null;
  }

  private static List<TypeMirror> types(AnnotationValue value) {
    List<TypeMirror> types = new ArrayList<>();
    for (Object item : (List<?>) value.getValue()) {
      types.add((TypeMirror) ((AnnotationValue) item).getValue());
    }
    return types;
  }

  /**
   * Checks that each type of an overriding list ({@code abortOn}, {@code skipOn}) narrows the list it
   * overrides ({@code retryOn}, {@code on}): one that covers a whole entry of it makes that entry dead,
   * and one outside all of its entries does nothing. Both are mistakes worth a compile error. An empty
   * {@code retryOn} means every exception; an {@link Error} or a rejection is never retried at all.
   */
  private void checkNarrows(ExecutableElement method, AnnotationMirror mirror, String narrowing, List<TypeMirror> narrowers,
      String narrowed, List<TypeMirror> entries, String verb) {
    String simple = "@" + simpleName(mirror);
    for (TypeMirror narrower : narrowers) {
      if (narrowing.equals("abortOn") && (isA(narrower, "java.lang.Error") || isA(narrower, "dev.brownout.core.RejectedCallException"))) {
        error(method, mirror, simple + "(" + narrowing + " = " + narrower + ".class) does nothing: errors and rejections"
            + " are never retried; remove it");
        continue;
      }
      List<TypeMirror> effective = entries.isEmpty()
          ? List.of(env.getElementUtils().getTypeElement("java.lang.Exception").asType()) : entries;
      boolean inside = false;
      for (TypeMirror entry : effective) {
        if (types.isAssignable(entry, narrower)) {
          error(method, mirror, simple + "(" + narrowing + " = " + narrower + ".class) covers " + entry + " from " + simple
              + "(" + narrowed + "), so no " + entry + " is ever " + verb + "; remove one of them or narrow " + narrowing);
          inside = true;
          break;
        }
        inside |= types.isAssignable(narrower, entry);
      }
      if (!inside) {
        error(method, mirror, simple + "(" + narrowing + " = " + narrower + ".class) does nothing: it is not a subtype of any"
            + " type in " + simple + "(" + narrowed + "); remove it or name a subtype of one of them");
      }
    }
  }

  private boolean isA(TypeMirror type, String qualifiedName) {
    TypeElement element = env.getElementUtils().getTypeElement(qualifiedName);
    return element != null && types.isAssignable(type, element.asType());
  }

  /** Why {@code candidate} cannot be the fallback of {@code method}, or null if it can. */
  private String mismatch(ExecutableElement method, ExecutableElement candidate, List<TypeMirror> on, TypeMirror expected) {
    Set<Modifier> m = candidate.getModifiers();
    if (m.contains(Modifier.PRIVATE)) {
      return candidate.getSimpleName() + " is private, so the generated class cannot call it";
    }
    if (m.contains(Modifier.STATIC)) {
      return candidate.getSimpleName() + " is static; make it an instance method";
    }
    List<? extends VariableElement> wanted = method.getParameters();
    List<? extends VariableElement> given = candidate.getParameters();
    if (given.size() != wanted.size() && given.size() != wanted.size() + 1) {
      return candidate.getSimpleName() + " takes " + given.size() + " parameters, but the guarded method takes "
          + wanted.size() + " (plus, optionally, the failure)";
    }
    for (int i = 0; i < wanted.size(); i++) {
      if (!types.isSameType(types.erasure(wanted.get(i).asType()), types.erasure(given.get(i).asType()))) {
        return "parameter " + (i + 1) + " of " + candidate.getSimpleName() + " is " + given.get(i).asType()
            + ", but the guarded method's is " + wanted.get(i).asType();
      }
    }
    if (given.size() == wanted.size() + 1) {
      TypeMirror failure = given.get(given.size() - 1).asType();
      for (TypeMirror handled : on) {
        if (!types.isAssignable(handled, failure)) {
          return "its failure parameter is " + failure + ", which cannot hold a " + handled + " from @Fallback(on)";
        }
      }
    }
    if (expected.getKind() == TypeKind.VOID) {
      if (candidate.getReturnType().getKind() != TypeKind.VOID) {
        return candidate.getSimpleName() + " returns " + candidate.getReturnType() + ", but the guarded method returns void";
      }
    } else if (!types.isAssignable(candidate.getReturnType(), expected)) {
      return candidate.getSimpleName() + " returns " + candidate.getReturnType() + ", which is not a " + expected;
    }
    for (TypeMirror thrown : candidate.getThrownTypes()) {
      if (isChecked(thrown) && !declares(method, thrown)) {
        return candidate.getSimpleName() + " throws " + thrown + ", which the guarded method does not declare";
      }
    }
    return null;
  }

  private boolean declares(ExecutableElement method, TypeMirror thrown) {
    for (TypeMirror declared : method.getThrownTypes()) {
      if (types.isAssignable(thrown, declared)) {
        return true;
      }
    }
    return false;
  }

  boolean isChecked(TypeMirror thrown) {
    TypeMirror runtime = env.getElementUtils().getTypeElement("java.lang.RuntimeException").asType();
    TypeMirror error = env.getElementUtils().getTypeElement("java.lang.Error").asType();
    return !types.isAssignable(thrown, runtime) && !types.isAssignable(thrown, error);
  }

  boolean isAsync(TypeMirror returnType) {
    if (returnType.getKind() != TypeKind.DECLARED) {
      return false;
    }
    String erased = types.erasure(returnType).toString();
    return erased.equals("java.util.concurrent.CompletionStage") || erased.equals("java.util.concurrent.CompletableFuture");
  }

  /** What a call of {@code method} gives its caller: the return type, or a stage's type argument. */
  TypeMirror resultType(ExecutableElement method) {
    return isAsync(method.getReturnType()) ? typeArgument(method.getReturnType()) : method.getReturnType();
  }

  /** The text of a String attribute of {@code mirror}, or "" when it is not set. */
  static String stringValue(AnnotationMirror mirror, String attribute) {
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> value : mirror.getElementValues().entrySet()) {
      if (value.getKey().getSimpleName().contentEquals(attribute)) {
        return value.getValue().getValue().toString();
      }
    }
    return "";
  }

  TypeMirror typeArgument(TypeMirror returnType) {
    List<? extends TypeMirror> arguments = ((DeclaredType) returnType).getTypeArguments();
    return arguments.isEmpty() ? env.getElementUtils().getTypeElement("java.lang.Object").asType() : arguments.get(0);
  }

  private static String parameters(ExecutableElement method) {
    List<String> params = new ArrayList<>();
    for (VariableElement parameter : method.getParameters()) {
      params.add(parameter.asType() + " " + parameter.getSimpleName());
    }
    return String.join(", ", params);
  }

  private static String signature(ExecutableElement method) {
    return method.getSimpleName() + "(" + parameters(method) + ")";
  }

  private static String simpleName(AnnotationMirror mirror) {
    return mirror.getAnnotationType().asElement().getSimpleName().toString();
  }

  private void error(Element element, String message) {
    env.getMessager().printMessage(Diagnostic.Kind.ERROR, message, element);
    ok = false;
  }

  /** Reports {@code message} on {@code element} if {@code mirror} is its own annotation, else on the type. */
  void error(Element element, AnnotationMirror mirror, String message) {
    boolean own = element.getAnnotationMirrors().contains(mirror);
    env.getMessager().printMessage(Diagnostic.Kind.ERROR, message, own ? element : type, mirror);
    ok = false;
  }
}
