package dev.brownout.processor;

import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;

/**
 * One mistake found by the validation stage: what it is, the message that says what to write
 * instead, and where javac should point (an element, and within it an annotation and one of its
 * values when the mistake is there). {@code mirror} and {@code value} are null when the element
 * itself is the place.
 */
record Problem(
    ErrorId id, Element element, AnnotationMirror mirror, AnnotationValue value, String message) {

  static Problem on(ErrorId id, Element element, String message) {
    return new Problem(id, element, null, null, message);
  }

  static Problem on(ErrorId id, Element element, AnnotationMirror mirror, String message) {
    return new Problem(id, element, mirror, null, message);
  }

  /** The message as reported: the identifier first. */
  String text() {
    return "[" + id.code() + "] " + message;
  }
}
