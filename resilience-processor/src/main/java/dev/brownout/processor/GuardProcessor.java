package dev.brownout.processor;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;

/**
 * Turns Brownout's annotations into a generated guarded class per annotated type, and refuses, with
 * a javac error on the offending element, anything that would fail or misbehave at run time: a
 * missing or mismatched fallback, an annotated method that cannot be overridden, a value outside
 * its range, two annotations that disagree.
 *
 * <p>For {@code com.shop.OrderService} it writes {@code com.shop.Guarded_OrderService}: it
 * implements the interface (or extends the class), builds one guard per guarded method when
 * constructed, and delegates every call to the implementation it wraps. Users get it from {@code
 * brownout.wrap(OrderService.class, implementation)}.
 */
public final class GuardProcessor extends AbstractProcessor {

  /*
   * Rounds. Each annotated type goes through three stages: read (TypeReader, into an immutable
   * GuardedType), validate (Validator, into a list of problems, reported through the one
   * ErrorReporter), write (GuardedClassWriter, only when there is no problem).
   *
   * A type whose surface mentions a type that does not exist yet (MissingTypes) is read in a later
   * round instead, since another processor may generate that type; reading it now would either
   * refuse a valid type or write a class that names an unresolved one. It waits by qualified name,
   * not as an element: javac builds new elements each round, and an element kept from an earlier
   * round may be stale. A type still missing when processing ends is reported once (BRO-TYPE-009),
   * beside javac's own "cannot find symbol".
   */

  /** Qualified names of types waiting for a type another processor has yet to generate. */
  private final Set<String> deferred = new LinkedHashSet<>();

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Annotations.supported();
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    ErrorReporter reporter = new ErrorReporter(processingEnv.getMessager());
    Set<TypeElement> types = new LinkedHashSet<>();
    for (String name : deferred) {
      Optional.ofNullable(processingEnv.getElementUtils().getTypeElement(name))
          .ifPresent(types::add);
    }
    deferred.clear();
    for (TypeElement annotation : annotations) {
      for (Element element : round.getElementsAnnotatedWith(annotation)) {
        TypeElement owner = element instanceof TypeElement type ? type : enclosingType(element);
        if (owner != null) {
          types.add(owner);
        }
      }
    }
    for (TypeElement type : types) {
      Optional<TypeMirror> missing =
          MissingTypes.in(type, processingEnv.getElementUtils(), processingEnv.getTypeUtils());
      // A local or anonymous class has no name to find it by later; it is refused anyway.
      boolean named = !type.getQualifiedName().isEmpty();
      if (missing.isPresent() && named && !round.processingOver()) {
        deferred.add(type.getQualifiedName().toString());
      } else if (missing.isPresent()) {
        reporter.report(
            Problem.on(
                ErrorId.TYPE_MISSING,
                type,
                "no guarded class was generated for "
                    + type.getSimpleName()
                    + ": it mentions "
                    + missing.get()
                    + ", which no source or processor has defined"));
      } else {
        process(type, reporter);
      }
    }
    return false;
  }

  private void process(TypeElement type, ErrorReporter reporter) {
    GuardedType model = new TypeReader(new TypeContext(processingEnv, type)).read();
    List<Problem> problems = new Validator(model).validate();
    if (!problems.isEmpty()) {
      reporter.report(problems);
      return;
    }
    try {
      new GuardedClassWriter(model).file().writeTo(processingEnv.getFiler());
    } catch (IOException e) {
      reporter.report(
          Problem.on(
              ErrorId.WRITE_FAILED,
              type,
              "Brownout could not write " + model.generatedName() + ": " + e.getMessage()));
    }
  }

  private static TypeElement enclosingType(Element element) {
    Element enclosing = element.getEnclosingElement();
    return enclosing instanceof TypeElement type ? type : null;
  }
}
