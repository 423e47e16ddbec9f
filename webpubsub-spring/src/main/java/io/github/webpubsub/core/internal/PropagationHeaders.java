package io.github.webpubsub.core.internal;

import org.springframework.http.HttpHeaders;

/**
 * Trace headers (such as {@code traceparent}) that the operation's observation wrote, carried to
 * every attempt through the Reactor context.
 */
final class PropagationHeaders {

  /** The Reactor context key of the headers. */
  static final String KEY = PropagationHeaders.class.getName();

  /** No headers. */
  static final HttpHeaders NONE = HttpHeaders.readOnlyHttpHeaders(new HttpHeaders());

  private PropagationHeaders() {}
}
