package dev.brownout.processor;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.TypeParameterElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.IntersectionType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.WildcardType;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Finds a type that does not exist yet among those a guarded type's generated class would mention:
 * its supertypes, its methods' signatures and the classes its annotations name. Another processor
 * may generate such a type in a later round (a value class, say), so the processor defers the
 * guarded type to that round rather than report an error or write a class that cannot compile.
 */
final class MissingTypes {

  private MissingTypes() {}

  /** The first type in {@code type}'s surface that javac could not resolve, if any. */
  static Optional<TypeMirror> in(TypeElement type, Elements elements, Types types) {
    List<TypeMirror> surface = new ArrayList<>();
    supertypes(type.asType(), types, surface);
    typeParameters(type.getTypeParameters(), surface);
    annotationTypes(type, surface);
    for (ExecutableElement method : ElementFilter.methodsIn(elements.getAllMembers(type))) {
      surface.add(method.getReturnType());
      for (VariableElement parameter : method.getParameters()) {
        surface.add(parameter.asType());
      }
      surface.addAll(method.getThrownTypes());
      typeParameters(method.getTypeParameters(), surface);
      annotationTypes(method, surface);
    }
    return firstMissing(surface);
  }

  private static void supertypes(TypeMirror type, Types types, List<TypeMirror> surface) {
    for (TypeMirror supertype : types.directSupertypes(type)) {
      surface.add(supertype);
      if (supertype.getKind() == TypeKind.DECLARED) {
        supertypes(supertype, types, surface);
      }
    }
  }

  private static void typeParameters(
      List<? extends TypeParameterElement> parameters, List<TypeMirror> surface) {
    for (TypeParameterElement parameter : parameters) {
      surface.addAll(parameter.getBounds());
    }
  }

  private static void annotationTypes(Element element, List<TypeMirror> surface) {
    for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
      for (AnnotationValue value : mirror.getElementValues().values()) {
        if (value.getValue() instanceof TypeMirror type) {
          surface.add(type);
        } else if (value.getValue() instanceof List<?> list) {
          for (Object item : list) {
            if (item instanceof AnnotationValue listed
                && listed.getValue() instanceof TypeMirror type) {
              surface.add(type);
            }
          }
        }
      }
    }
  }

  /** {@code type} or a type inside it (an argument, a component, a bound) that is missing. */
  private static Optional<TypeMirror> missing(TypeMirror type) {
    return switch (type.getKind()) {
      case ERROR -> Optional.of(type);
      case DECLARED -> firstMissing(((DeclaredType) type).getTypeArguments());
      case ARRAY -> missing(((ArrayType) type).getComponentType());
      case WILDCARD -> {
        WildcardType wildcard = (WildcardType) type;
        TypeMirror bound =
            wildcard.getExtendsBound() != null
                ? wildcard.getExtendsBound()
                : wildcard.getSuperBound();
        yield bound == null ? Optional.empty() : missing(bound);
      }
      case INTERSECTION -> firstMissing(((IntersectionType) type).getBounds());
      // Primitives, void, and type variables: a variable's bounds are checked where it is declared.
      default -> Optional.empty();
    };
  }

  private static Optional<TypeMirror> firstMissing(List<? extends TypeMirror> types) {
    return types.stream().map(MissingTypes::missing).flatMap(Optional::stream).findFirst();
  }
}
