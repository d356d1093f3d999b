package dev.brownout.processor;

import dev.brownout.core.internal.GuardNames;
import dev.brownout.processor.GuardedType.Annotated;
import dev.brownout.processor.GuardedType.CorePolicy;
import dev.brownout.processor.GuardedType.ExceptionList;
import dev.brownout.processor.GuardedType.FallbackUse;
import dev.brownout.processor.GuardedType.GuardedMethod;
import dev.brownout.processor.GuardedType.Naming;
import dev.brownout.processor.GuardedType.Setting;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;

/**
 * The read stage: turns an annotated type into a {@link GuardedType}. It reports nothing, and reads
 * every annotation as written, so that the validation stage sees the user's mistakes as they are.
 */
final class TypeReader {

  private final TypeContext context;

  TypeReader(TypeContext context) {
    this.context = context;
  }

  GuardedType read() {
    TypeElement type = context.type();
    Set<String> handlers = handlers();
    List<ExecutableElement> delegated = overridable();
    List<Migration> migrations = new ArrayList<>();
    for (ExecutableElement method :
        ElementFilter.methodsIn(context.elements().getAllMembers(type))) {
      Migration.read(context, method).ifPresent(migrations::add);
    }
    List<GuardedMethod> guarded = new ArrayList<>();
    for (ExecutableElement method : delegated) {
      if (migrations.stream().noneMatch(m -> m.method().equals(method))) {
        guard(method, handlers.contains(method.getSimpleName().toString())).ifPresent(guarded::add);
      }
    }
    List<Annotated> annotated = new ArrayList<>();
    for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
      firstBrownoutAnnotation(method)
          .ifPresent(mirror -> annotated.add(new Annotated(method, mirror)));
    }
    String generated =
        GuardNames.generatedClassName(context.elements().getBinaryName(type).toString());
    return new GuardedType(
        context,
        generated,
        List.copyOf(delegated),
        List.copyOf(guarded),
        List.copyOf(annotated),
        List.copyOf(migrations));
  }

  /** The methods of the type a guarded subclass or implementation has to override. */
  private List<ExecutableElement> overridable() {
    TypeElement type = context.type();
    List<ExecutableElement> methods = new ArrayList<>();
    for (ExecutableElement method :
        ElementFilter.methodsIn(context.elements().getAllMembers(type))) {
      Set<Modifier> modifiers = method.getModifiers();
      if (modifiers.contains(Modifier.STATIC) || modifiers.contains(Modifier.PRIVATE)) {
        continue;
      }
      if (method.getEnclosingElement().toString().equals("java.lang.Object")) {
        continue;
      }
      if (type.getKind() == ElementKind.INTERFACE) {
        // Default methods too: the implementation may override them, so the wrapper delegates them.
        methods.add(method);
      } else if (modifiers.contains(Modifier.PUBLIC) && !modifiers.contains(Modifier.FINAL)) {
        methods.add(method);
      }
    }
    return methods;
  }

  private static Optional<AnnotationMirror> firstBrownoutAnnotation(Element element) {
    return element.getAnnotationMirrors().stream()
        .filter(mirror -> Annotations.isBrownout(mirror.getAnnotationType().toString()))
        .map(mirror -> (AnnotationMirror) mirror)
        .findFirst();
  }

  /**
   * The methods the type's annotations name as fallbacks or recovery methods: an annotation on the
   * type does not guard them, since they answer for the guarded methods.
   */
  private Set<String> handlers() {
    Set<String> handlers = new HashSet<>();
    List<Element> sources = new ArrayList<>(List.of(context.type()));
    sources.addAll(ElementFilter.methodsIn(context.elements().getAllMembers(context.type())));
    for (Element source : sources) {
      for (AnnotationMirror mirror : source.getAnnotationMirrors()) {
        String name = mirror.getAnnotationType().toString();
        if (name.equals(Annotations.FALLBACK)) {
          handlers.add(TypeContext.stringValue(mirror, "method"));
        }
        ModulePolicy policy = Annotations.modulePolicy(name);
        if (policy != null) {
          policy.handler(mirror).ifPresent(handlers::add);
        }
      }
    }
    return handlers;
  }

  /**
   * The guard of {@code method}, from its own annotations and its type's (the method's win); a
   * handler takes only its own. Empty if the method is not guarded.
   */
  private Optional<GuardedMethod> guard(ExecutableElement method, boolean handler) {
    Map<String, AnnotationMirror> effective = new LinkedHashMap<>();
    for (Element source : handler ? List.of(method) : List.of(context.type(), method)) {
      for (AnnotationMirror mirror : source.getAnnotationMirrors()) {
        String name = mirror.getAnnotationType().toString();
        if (Annotations.isBrownout(name)) {
          effective.put(name, mirror);
        }
      }
    }
    if (effective.isEmpty()) {
      return Optional.empty();
    }
    List<Naming> names = new ArrayList<>();
    List<CorePolicy> policies = new ArrayList<>();
    Optional<FallbackUse> fallback = Optional.empty();
    List<ModulePolicy.Use> modules = new ArrayList<>();
    boolean async = context.isAsync(method.getReturnType());
    for (Map.Entry<String, AnnotationMirror> entry : effective.entrySet()) {
      AnnotationMirror mirror = entry.getValue();
      if (entry.getKey().equals(Annotations.FALLBACK)) {
        fallback = Optional.of(fallback(method, mirror, async));
        continue;
      }
      String name = TypeContext.stringValue(mirror, "name");
      if (!name.isEmpty()) {
        names.add(new Naming(mirror, name));
      }
      ModulePolicy module = Annotations.modulePolicy(entry.getKey());
      if (module != null) {
        modules.add(module.read(context, method, mirror));
      } else {
        policies.add(corePolicy(Annotations.POLICIES.get(entry.getKey()), mirror));
      }
    }
    String guardName =
        names.isEmpty()
            ? GuardNames.defaultGuardName(
                context.type().getSimpleName().toString(), method.getSimpleName().toString())
            : names.get(names.size() - 1).name();
    return Optional.of(
        new GuardedMethod(
            method,
            guardName,
            List.copyOf(names),
            List.copyOf(policies),
            fallback,
            List.copyOf(modules),
            async));
  }

  /** A core policy's attributes as {@link Annotations} says to read them. */
  private static CorePolicy corePolicy(String policy, AnnotationMirror mirror) {
    List<Setting> settings = new ArrayList<>();
    List<ExceptionList> exceptions = new ArrayList<>();
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> attribute :
        mirror.getElementValues().entrySet()) {
      String name = attribute.getKey().getSimpleName().toString();
      Object value = attribute.getValue().getValue();
      if (name.equals("name")) {
        continue;
      }
      if (value instanceof List<?>) {
        exceptions.add(new ExceptionList(name, TypeContext.typesOf(attribute.getValue())));
      } else {
        settings.add(
            new Setting(
                name, Annotations.key(policy, name), value.toString(), attribute.getValue()));
      }
    }
    return new CorePolicy(policy, mirror, List.copyOf(settings), List.copyOf(exceptions));
  }

  private FallbackUse fallback(ExecutableElement method, AnnotationMirror mirror, boolean async) {
    String onName = "on";
    boolean both = false;
    List<TypeMirror> on = new ArrayList<>();
    List<TypeMirror> skipOn = List.of();
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> attribute :
        mirror.getElementValues().entrySet()) {
      String attributeName = attribute.getKey().getSimpleName().toString();
      switch (attributeName) {
        case "on", "applyOn" -> {
          both |= !on.isEmpty();
          onName = attributeName;
          on.addAll(TypeContext.typesOf(attribute.getValue()));
        }
        case "skipOn" -> skipOn = TypeContext.typesOf(attribute.getValue());
        default -> {}
      }
    }
    if (on.isEmpty()) {
      on.add(context.typeOf("java.lang.Exception"));
    }
    TypeMirror expected =
        async ? context.typeArgument(method.getReturnType()) : method.getReturnType();
    List<TypeMirror> handled = List.copyOf(on);
    NamedMethod named =
        NamedMethod.find(
            context,
            mirror,
            "method",
            candidate -> FallbackMethods.mismatch(context, method, candidate, handled, expected));
    return new FallbackUse(mirror, onName, handled, skipOn, both, named);
  }
}
