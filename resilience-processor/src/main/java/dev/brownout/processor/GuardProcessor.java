package dev.brownout.processor;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * Turns Brownout's annotations into a generated guarded class per annotated type, and refuses, with
 * a javac error on the offending element, anything that would fail or misbehave at run time: a
 * missing or mismatched fallback, an annotated method that cannot be overridden, a value outside its
 * range, two annotations that disagree.
 *
 * <p>For {@code com.shop.OrderService} it writes {@code com.shop.Guarded_OrderService}: it implements
 * the interface (or extends the class), builds one guard per guarded method when constructed, and
 * delegates every call to the implementation it wraps. Users get it from {@code
 * brownout.wrap(OrderService.class, implementation)}.
 */
public final class GuardProcessor extends AbstractProcessor {

  static final String PACKAGE = "dev.brownout.core.annotation.";

  /** Annotation names mapped to the policy names of the runtime's {@code GuardSpec}. */
  static final Map<String, String> POLICIES = Map.of(
      PACKAGE + "CircuitBreaker", "circuitBreaker",
      PACKAGE + "Bulkhead", "bulkhead",
      PACKAGE + "Timeout", "timeout",
      PACKAGE + "Retry", "retry");

  static final String FALLBACK = PACKAGE + "Fallback";

  /** Policies whose annotations live in other modules, read by name. */
  static final List<ModulePolicy> MODULE_POLICIES = List.of(new RecoverPolicy(), new DegradablePolicy());

  /** Whether {@code annotation} (a qualified name) is one of Brownout's. */
  static boolean isBrownout(String annotation) {
    return POLICIES.containsKey(annotation) || annotation.equals(FALLBACK) || modulePolicy(annotation) != null;
  }

  /** The module policy of {@code annotation}, or null. */
  static ModulePolicy modulePolicy(String annotation) {
    for (ModulePolicy policy : MODULE_POLICIES) {
      if (policy.annotation().equals(annotation)) {
        return policy;
      }
    }
    return null;
  }

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    Set<String> names = new LinkedHashSet<>(POLICIES.keySet());
    names.add(FALLBACK);
    for (ModulePolicy policy : MODULE_POLICIES) {
      names.add(policy.annotation());
    }
    return names;
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    Map<TypeElement, Boolean> types = new LinkedHashMap<>();
    for (TypeElement annotation : annotations) {
      for (Element element : round.getElementsAnnotatedWith(annotation)) {
        TypeElement owner = element instanceof TypeElement type ? type : enclosingType(element);
        if (owner != null) {
          types.put(owner, Boolean.TRUE);
        }
      }
    }
    for (TypeElement type : types.keySet()) {
      Model model = new Model(processingEnv, type);
      if (model.read()) {
        write(model);
      }
    }
    return false;
  }

  private static TypeElement enclosingType(Element element) {
    Element enclosing = element.getEnclosingElement();
    return enclosing instanceof TypeElement type ? type : null;
  }

  private void write(Model model) {
    String name = model.generatedQualifiedName();
    try {
      JavaFileObject file = processingEnv.getFiler().createSourceFile(name, model.type());
      try (Writer writer = file.openWriter()) {
        writer.write(new SourceWriter(processingEnv, model).source());
      }
    } catch (IOException e) {
      processingEnv.getMessager().printMessage(
          Diagnostic.Kind.ERROR, "Brownout could not write " + name + ": " + e.getMessage(), model.type());
    }
  }

  /** The methods of {@code type} a guarded subclass or implementation has to override. */
  static List<javax.lang.model.element.ExecutableElement> overridable(
      javax.annotation.processing.ProcessingEnvironment env, TypeElement type) {
    List<javax.lang.model.element.ExecutableElement> methods = new ArrayList<>();
    for (javax.lang.model.element.ExecutableElement method :
        ElementFilter.methodsIn(env.getElementUtils().getAllMembers(type))) {
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
}
