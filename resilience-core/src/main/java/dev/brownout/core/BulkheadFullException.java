package dev.brownout.core;

/** Thrown when a bulkhead has no free permit for a call (within its wait, if it has one). */
public final class BulkheadFullException extends RejectedCallException {

  private static final long serialVersionUID = 1L;

  BulkheadFullException(String bulkhead) {
    super(bulkhead, "bulkhead '" + bulkhead + "' is full");
  }
}
