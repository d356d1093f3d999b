package dev.brownout.processor;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;

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
    for (TypeElement annotation : annotations) {
      for (Element element : round.getElementsAnnotatedWith(annotation)) {
        TypeElement owner = element instanceof TypeElement type ? type : enclosingType(element);
        if (owner != null) {
          types.add(owner);
        }
      }
    }
    for (TypeElement type : types) {
      process(type, reporter);
    }
    return false;
  }

  /** Reads, validates, and writes if validation found nothing: the three stages of one type. */
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
      reporter.report(Problem.on(ErrorId.WRITE_FAILED, type, "Brownout could not write " + model.generatedName() + ": "
          + e.getMessage()));
    }
  }

  private static TypeElement enclosingType(Element element) {
    Element enclosing = element.getEnclosingElement();
    return enclosing instanceof TypeElement type ? type : null;
  }
}
